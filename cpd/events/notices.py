"""Notices to members: written to the outbox in the same transaction as the change they tell of,
delivered later by `flask mail send` (SMTP; printed when no MAIL_SERVER is set)."""
import smtplib
from datetime import timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app

from cpd.core.background import after_commit
from cpd.core.models import utcnow
from cpd.core.text import one_line
from cpd.extensions import db

RETRY_DELAYS = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]


def _when(event):
    start = event.local_starts_at
    return f"{start:%A %-d %B %Y, %H:%M} ({event.timezone})"


def _where(event, joining_link):
    if event.venue:
        return event.venue
    if event.online_url:
        return event.online_url if joining_link else "online (the link comes with a confirmed seat)"
    return "details to follow"


TEMPLATES = {
    "booking_confirmed": (
        "Booking confirmed: {title}",
        "Your seat at {title} is confirmed.\n\nWhen: {when}\nWhere: {where}\n\n"
        "The calendar entry is attached. If you can no longer come, please cancel so that someone "
        "on the waiting list can take your seat.",
    ),
    "waitlisted": (
        "On the waiting list: {title}",
        "{title} is full, so you are on its waiting list. If a seat comes free it is yours "
        "automatically, and we will tell you.\n\nWhen: {when}",
    ),
    "promoted": (
        "A seat is yours: {title}",
        "A seat came free at {title} and it is now yours.\n\nWhen: {when}\nWhere: {where}\n\n"
        "The calendar entry is attached.",
    ),
    "event_cancelled": (
        "Cancelled: {title}",
        "We are sorry: {title}, planned for {when}, is cancelled. Your booking is cancelled with it.",
    ),
    "reminder": (
        "Tomorrow: {title}",
        "A reminder that {title} starts {when}.\nWhere: {where}",
    ),
}


# Notices that carry the event's calendar entry, built when the notice is delivered: not inside the
# booking's transaction, which holds the event's lock (a third of a booking's time went on it),
# and it then shows the event as it stands when the member reads it.
WITH_CALENDAR = ("booking_confirmed", "promoted", "reminder")


def queue(member, event, kind):
    """Write a notice about an event to the outbox (part of the caller's transaction)."""
    subject, body = TEMPLATES[kind]
    seated = kind in WITH_CALENDAR
    facts = {"title": one_line(event.title), "when": _when(event), "where": _where(event, joining_link=seated)}
    return queue_message(member, kind, subject.format(**facts), body.format(**facts), event_id=event.id)


def calendar_of(notice):
    """The .ics the notice carries: stored with it (notices written before calendars were built at
    delivery), or the event's entry now, for the kinds that carry one."""
    from cpd.events.calendars import event_calendar
    from cpd.events.models import Event

    if notice.calendar:
        return notice.calendar.encode("utf-8")
    if notice.kind not in WITH_CALENDAR or notice.event_id is None:
        return None
    event = db.session.get(Event, notice.event_id)
    return event_calendar(event, current_app.config["CALENDAR_UID_HOST"], joining_link=True) if event else None


def queue_message(member, kind, subject, body, to_address=None, greeting=None, **extra):
    """Write any notice to the outbox (part of the caller's transaction); `to_address` sends it
    somewhere other than the member's own address (to someone greeted by `greeting`)."""
    from cpd.events.models import Notice

    notice = Notice(member=member, kind=kind, subject=subject, to_address=to_address,
                    body=f"Dear {greeting or member.full_name},\n\n{body}\n", **extra)
    db.session.add(notice)
    if current_app.config.get("REDIS_URL"):
        db.session.flush()  # its id, for the worker to deliver it as soon as this transaction commits
        after_commit(db.session, "cpd.events.notices.deliver_one", notice.id, job_id=f"notice-{notice.id}")
    return notice


def recipient(notice):
    return notice.to_address or notice.member.email


def _message(notice, sender):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient(notice)
    message["Subject"] = notice.subject
    message.set_content(notice.body)
    calendar = calendar_of(notice)
    if calendar:
        message.add_attachment(calendar, maintype="text", subtype="calendar",
                               filename="event.ics", params={"method": "PUBLISH"})
    return message


def deliver_pending(now=None, echo=print):
    """Send what is due in the outbox; a failed send stays there and is tried again later.

    Returns (sent, failed). Each notice's outcome is committed as it goes.
    """
    from cpd.events.models import Notice

    now = now or utcnow()
    config = current_app.config
    due = db.session.scalars(
        sa.select(Notice).where(Notice.sent_at.is_(None),
                                sa.or_(Notice.next_attempt_at.is_(None), Notice.next_attempt_at <= now))
        .order_by(Notice.id).limit(500)
    ).all()
    return _deliver(due, config, now, echo)


def _deliver(due, config, now, echo):
    sent = failed = 0
    connection = None
    for notice in due:
        try:
            message = _message(notice, config["MAIL_FROM"])
            if not config.get("MAIL_SERVER"):
                echo(f"--- notice {notice.id} to {recipient(notice)}: {notice.subject}\n{notice.body}")
            else:
                connection = connection or _connect(config)
                connection.send_message(message)
            notice.sent_at = now
            sent += 1
        except (smtplib.SMTPException, OSError) as error:
            connection = None
            notice.attempts += 1
            notice.last_error = str(error)[:1000]
            notice.next_attempt_at = now + RETRY_DELAYS[min(notice.attempts - 1, len(RETRY_DELAYS) - 1)]
            failed += 1
        db.session.commit()
    if connection is not None:
        try:
            connection.quit()
        except smtplib.SMTPException:
            pass
    return sent, failed


SWEEP_AFTER = timedelta(minutes=1)


def unsent_ids(now, limit=1000):
    """Notices due, not sent and written over a minute ago (younger ones have their job in
    flight): what the sweep hands to the worker again."""
    from cpd.events.models import Notice

    return db.session.scalars(sa.select(Notice.id).where(
        Notice.sent_at.is_(None), Notice.created_at <= now - SWEEP_AFTER,
        sa.or_(Notice.next_attempt_at.is_(None), Notice.next_attempt_at <= now))
        .order_by(Notice.id).limit(limit)).all()


def _connect(config):
    connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20)
    if config["MAIL_USE_TLS"]:
        connection.starttls()
    if config.get("MAIL_USERNAME"):
        connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return connection


CLAIM = timedelta(minutes=10)


def deliver_one(notice_id, echo=print):
    """The worker's job: deliver one notice, once. It is claimed first (a conditional UPDATE, so two
    workers or a job and the sweep cannot both send it), then sent and marked sent. A notice whose
    member was erased is dropped with a log line, not retried."""
    from cpd.events.models import Notice
    from cpd.members.models import Member

    now = utcnow()
    claimed = db.session.execute(
        sa.update(Notice).where(Notice.id == notice_id, Notice.sent_at.is_(None),
                                sa.or_(Notice.next_attempt_at.is_(None), Notice.next_attempt_at <= now))
        .values(next_attempt_at=now + CLAIM).execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if claimed != 1:
        return "not due"  # sent already, or another worker has it
    notice = db.session.get(Notice, notice_id)
    member = db.session.get(Member, notice.member_id)
    if member is None or not member.is_active:
        current_app.logger.warning("notice %s dropped: its member's record was erased", notice_id)
        notice.sent_at, notice.last_error = now, "dropped: the member's record was erased"
        db.session.commit()
        return "dropped"
    sent, _ = _deliver([notice], current_app.config, now, echo)
    return "sent" if sent else "failed"
