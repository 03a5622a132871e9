"""Changing an event's time or place: everyone holding or awaiting a seat hears of it once, naming
what changed; the calendar entry's SEQUENCE goes up (RFC 5545 3.8.7.4: "incremented ... each time
the Organizer makes a significant revision", so imported copies take the new day); and a
conference's programme sessions move with it. Part of the change's transaction."""
import sqlalchemy as sa

from cpd.events import notices
from cpd.events.models import Booking
from cpd.extensions import db

MOVING_FIELDS = ("starts_at", "ends_at", "timezone", "venue", "online_url")
# Whoever holds a seat, waits for one, or has one offered or held for payment.
TOLD = ("confirmed", "waitlisted", "held", "offered")


def before_the_change(event):
    """What the bookers are told about, as it stands before a change."""
    return {field: getattr(event, field) for field in MOVING_FIELDS} | {"when": notices.when(event),
                                                                         "where": notices.where(event, True)}


def after_the_change(event, before):
    """Tell the bookers once what moved, raise the SEQUENCE and move the programme; nothing when
    neither time nor place changed (or the event is cancelled)."""
    moved = [field for field in MOVING_FIELDS if getattr(event, field) != before[field]]
    if not moved or event.status == "cancelled":
        return []
    event.sequence += 1
    shift = event.starts_at - before["starts_at"]
    if shift:
        for session in event.sessions:
            session.starts_at, session.ends_at = session.starts_at + shift, session.ends_at + shift
    changes = _changes_in_words(event, before)
    bookings = db.session.scalars(sa.select(Booking).where(Booking.event_id == event.id,
                                                            Booking.status.in_(TOLD))).all()
    for booking in bookings:
        notices.queue(booking.member, event, "event_changed", changes=changes)
    db.session.flush()
    return moved


def _changes_in_words(event, before):
    lines = []
    now_when, now_where = notices.when(event), notices.where(event, True)
    if now_when != before["when"]:
        lines.append(f"When: now {now_when} (was {before['when']})")
    if now_where != before["where"]:
        lines.append(f"Where: now {now_where} (was {before['where']})")
    return "\n".join(lines) or "Its details have changed."
