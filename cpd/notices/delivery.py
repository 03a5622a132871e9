"""Delivering the outbox: by SMTP, or printed when no MAIL_SERVER is set. A failed send stays in the
outbox and is tried again later; the worker's job claims a notice before sending it, so it goes once."""
import smtplib
from datetime import timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.notices.models import Notice

RETRY_DELAYS = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
SWEEP_AFTER = timedelta(minutes=1)
CLAIM = timedelta(minutes=10)

# kind -> builder(notice) returning (bytes, maintype, subtype, filename, params) or None: what a
# domain attaches to its notices when they are sent (the events domain: the calendar entry).
_ATTACHMENTS = {}


def register_attachment(kinds, builder):
    for kind in kinds:
        _ATTACHMENTS[kind] = builder


def attachment_of(notice):
    if notice.calendar:  # stored with older notices
        return notice.calendar.encode("utf-8"), "text", "calendar", "event.ics", {"method": "PUBLISH"}
    builder = _ATTACHMENTS.get(notice.kind)
    return builder(notice) if builder else None


def recipient(notice):
    return notice.to_address or notice.member.email


def _message(notice, sender):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient(notice)
    message["Subject"] = notice.subject
    message.set_content(notice.body)
    attachment = attachment_of(notice)
    if attachment:
        content, maintype, subtype, filename, params = attachment
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename, params=params)
    return message


def deliver_pending(now=None, echo=print):
    """Send what is due in the outbox. Returns (sent, failed); each outcome is committed as it goes."""
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(Notice).where(Notice.sent_at.is_(None),
                                sa.or_(Notice.next_attempt_at.is_(None), Notice.next_attempt_at <= now))
        .order_by(Notice.id).limit(500)
    ).all()
    return _deliver(due, current_app.config, now, echo)


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


def unsent_ids(now, limit=1000):
    """Notices due, not sent and written over a minute ago (younger ones have their job in
    flight): what the sweep hands to the worker again."""
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


def deliver_one(notice_id, echo=print):
    """The worker's job: deliver one notice, once. It is claimed first (a conditional UPDATE, so two
    workers or a job and the sweep cannot both send it), then sent and marked sent. A notice whose
    member was erased is dropped with a log line, not retried."""
    now = utcnow()
    claimed = db.session.execute(
        sa.update(Notice).where(Notice.id == notice_id, Notice.sent_at.is_(None),
                                sa.or_(Notice.next_attempt_at.is_(None), Notice.next_attempt_at <= now))
        .values(next_attempt_at=now + CLAIM).execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if claimed != 1:
        return "not due"  # sent already, or another worker has it
    notice = db.session.get(Notice, notice_id)
    if notice.member is None or not notice.member.is_active:
        current_app.logger.warning("notice %s dropped: its member's record was erased", notice_id)
        notice.sent_at, notice.last_error = now, "dropped: the member's record was erased"
        db.session.commit()
        return "dropped"
    sent, _ = _deliver([notice], current_app.config, now, echo)
    return "sent" if sent else "failed"


def waiting_and_failing():
    """(notices pending, notices whose last attempt failed): for the operator's metrics."""
    pending, failing = db.session.execute(sa.select(
        sa.func.count(), sa.func.count().filter(Notice.attempts > 0)).where(Notice.sent_at.is_(None))).one()
    return int(pending), int(failing)
