"""What a member has to do next, soonest first, each with its date and a link: an audit case due, a
declaration due, an application unfinished, a referee yet to answer, an offered or held seat to pay
for, feedback to give, records to reflect on. One small query each; the home page shows them."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import url_for

from cpd.core.models import utcnow
from cpd.events.models import Booking, Event, Feedback
from cpd.extensions import db
from cpd.members.vocabulary import REGISTRATION_TITLES, label
from cpd.records.models import CpdRecord
from cpd.registration.models import Application, Referee
from cpd.revalidation import declarations
from cpd.revalidation.models import AuditCase, CpdAudit

FEEDBACK_DAYS = 60  # feedback is asked for events that ended in the last two months
REFLECT_DAYS = 365  # records to reflect on: those of the last year without a reflection


@dataclass(frozen=True)
class NextStep:
    due: date
    what: str
    url: str
    overdue: bool = False


def _day(moment):
    return moment.date() if isinstance(moment, datetime) else moment


def _audit_cases(member, today):
    rows = db.session.execute(sa.select(AuditCase.status, AuditCase.due_on, AuditCase.lapse_on, CpdAudit.year)
                              .join(CpdAudit, CpdAudit.id == AuditCase.audit_id)
                              .where(AuditCase.member_id == member.id,
                                     AuditCase.status.in_(("notified", "more_information", "lapse_pending")))).all()
    for status, due_on, lapse_on, year in rows:
        if status == "lapse_pending" and lapse_on:
            yield NextStep(lapse_on, f"Appeal the {year} CPD audit's outcome, or your registration lapses",
                           url_for("revalidation.overview"))
        elif due_on:
            yield NextStep(due_on, f"Send your CPD profile for the {year} audit", url_for("revalidation.overview"),
                           due_on < today)


def _declaration(member, today):
    year = today.year
    if not declarations.is_registrant(member.id):
        return
    if any(made.year == year for made in declarations.declarations_of(member.id)):
        return
    due = declarations.deadline(year)
    yield NextStep(due, f"Make your {year} CPD declaration", url_for("revalidation.overview"), due < today)


def _applications(member):
    rows = db.session.execute(sa.select(Application.id, Application.title, Application.status,
                                        Application.updated_at).where(
        Application.member_id == member.id, Application.status.in_(("draft", "referred_back")))).all()
    for application_id, title, status, updated_at in rows:
        words = "Finish and submit" if status == "draft" else "Revise and resubmit"
        yield NextStep(_day(updated_at), f"{words} your application for {label(REGISTRATION_TITLES, title)}",
                       url_for("registration.my_application", application_id=application_id))
    waiting = db.session.execute(sa.select(Referee.name, Referee.link_expires_at, Application.id).join(
        Application, Application.id == Referee.application_id).where(
        Application.member_id == member.id, Referee.status == "asked")).all()
    for name, expires, application_id in waiting:
        yield NextStep(_day(expires) if expires else date.today(), f"{name} has yet to answer as your referee",
                       url_for("registration.my_application", application_id=application_id))


def _seats_to_pay_for(member):
    rows = db.session.execute(sa.select(Booking.status, Booking.offer_expires_at, Booking.held_until, Event.title)
                              .join(Event, Event.id == Booking.event_id)
                              .where(Booking.member_id == member.id, Booking.status.in_(("offered", "held")))).all()
    for status, offer_expires, held_until, title in rows:
        if status == "offered" and offer_expires:
            yield NextStep(_day(offer_expires), f"Pay for the seat offered to you at {title}",
                           url_for("events.my_bookings"))
        elif held_until:
            yield NextStep(_day(held_until), f"Pay for your held seat at {title}", url_for("events.my_bookings"))


def _feedback(member, now):
    given = sa.exists().where(Feedback.event_id == Event.id, Feedback.member_id == member.id)
    rows = db.session.execute(sa.select(Event.id, Event.title, Event.ends_at).join(Booking, Booking.event_id == Event.id)
                              .where(Booking.member_id == member.id, Booking.attended.is_(True),
                                     Event.ends_at <= now, Event.ends_at >= now - timedelta(days=FEEDBACK_DAYS),
                                     sa.not_(given)).order_by(Event.ends_at)).all()
    for event_id, title, ends_at in rows:
        yield NextStep(_day(ends_at), f"Say how {title} was", url_for("events.event_detail", event_id=event_id))


def _reflections(member, today):
    unreflected = sa.func.length(sa.func.trim(CpdRecord.learning)) == 0
    count, oldest = db.session.execute(sa.select(sa.func.count(), sa.func.min(CpdRecord.started_on)).where(
        CpdRecord.member_id == member.id, unreflected,
        CpdRecord.ended_on >= today - timedelta(days=REFLECT_DAYS))).one()
    if count:
        yield NextStep(oldest, f"Reflect on {count} record{'s' if count != 1 else ''}: what you learned and how it "
                               "helps your work", url_for("records.record_list"))


def next_steps(member):
    """[NextStep], soonest first."""
    now = utcnow()
    today = now.date()
    steps = [*_audit_cases(member, today), *_declaration(member, today), *_applications(member),
             *_seats_to_pay_for(member), *_feedback(member, now), *_reflections(member, today)]
    return sorted(steps, key=lambda step: (step.due, step.what))


def when(step, today=None):
    """The step's date as people read it: with the year only where it is not this year."""
    today = today or utcnow().date()
    return step.due.strftime("%-d %B" if step.due.year == today.year else "%-d %B %Y")
