"""Staff (and a SIG's lead for its sessions) write to an event's bookers: everyone holding, awaiting or
offered a seat gets the message through the outbox, with a link to the event. Flushes, never commits."""
import sqlalchemy as sa

from cpd.core import audit
from cpd.core.errors import Forbidden, Invalid
from cpd.core.text import has_control_characters, one_line
from cpd.events import permissions
from cpd.events.models import Booking
from cpd.events.notices import link
from cpd.events.rescheduling import TOLD
from cpd.extensions import db
from cpd.notices import queue_notice

SUBJECT_LIMIT, BODY_LIMIT = 200, 5_000


def check_message(values):
    """(subject, body) cleaned, or Invalid naming each field."""
    subject, body = one_line(str(values.get("subject") or "")), str(values.get("body") or "").strip()
    errors = {}
    if not 1 <= len(subject) <= SUBJECT_LIMIT:
        errors["subject"] = [f"Give a subject of 1 to {SUBJECT_LIMIT} characters."]
    if not 1 <= len(body) <= BODY_LIMIT or has_control_characters(body):
        errors["body"] = [f"Write the message: 1 to {BODY_LIMIT} characters of text."]
    if errors:
        raise Invalid.from_fields(errors)
    return subject, body


def recipients(event):
    return db.session.scalars(sa.select(Booking).where(Booking.event_id == event.id, Booking.status.in_(TOLD))
                              .order_by(Booking.id)).all()


def send_to_bookers(actor, event, values):
    """Write `values` {subject, body} to each booker of `event`; returns how many were written to."""
    if not permissions.can_manage_event(actor, event):
        raise Forbidden("Only staff, or the SIG's leads for their sessions, write to an event's bookers.")
    subject, body = check_message(values)
    bookings = recipients(event)
    for booking in bookings:
        queue_notice(booking.member, "event_message", f"{subject} ({one_line(event.title)})", body,
                     links=[link("event_message", event)], event_id=event.id)
    audit.record(actor, "event.message", "event", event.id, recipients=len(bookings), subject=subject)
    db.session.flush()
    return len(bookings)
