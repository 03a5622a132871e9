"""Seat figures, counted and never stored, and the event row's lock that booking takes before counting.

Functions flush, never commit; the caller commits once."""
import sqlalchemy as sa

from cpd.core.errors import NotFound
from cpd.events.models import Booking, Event
from cpd.extensions import db


# --- seat figures ------------------------------------------------------------------------------

def _seat_columns():
    confirmed = sa.func.sum(sa.case((Booking.status == "confirmed", 1), else_=0))
    waitlisted = sa.func.sum(sa.case((Booking.status == "waitlisted", 1), else_=0))
    return confirmed, waitlisted


def _seats_with_status(status):
    """The event's bookings in `status`, counted per event row through the (event_id, status) index."""
    return (
        sa.select(sa.func.count()).where(Booking.event_id == Event.id, Booking.status == status)
        .correlate(Event).scalar_subquery()
    )


def with_seat_figures(statement):
    """Add each event's confirmed and waitlisted counts to a select() of events: no extra query,
    and only the rows the page returns are counted."""
    return statement.add_columns(_seats_with_status("confirmed"), _seats_with_status("waitlisted"))


def events_with_figures(rows):
    events = []
    for event, confirmed, waitlisted in rows:
        event.confirmed_count, event.waitlist_count = int(confirmed), int(waitlisted)
        events.append(event)
    return events


def count_seats(event):
    confirmed, waitlisted = _seat_columns()
    row = db.session.execute(sa.select(confirmed, waitlisted).where(Booking.event_id == event.id)).one()
    event.confirmed_count, event.waitlist_count = int(row[0] or 0), int(row[1] or 0)
    return event

def lock_row(model, row_id):
    """Take one row (an event, a programme session) for this transaction, so counts and inserts
    cannot interleave; None when there is no such row."""
    if db.session.get_bind().dialect.name == "sqlite":
        # A write begins SQLite's write transaction: other writers wait until we commit.
        db.session.execute(
            sa.update(model).where(model.id == row_id).values(id=model.id)
            .execution_options(synchronize_session=False)
        )
        return db.session.get(model, row_id, populate_existing=True)
    return db.session.scalar(
        sa.select(model).where(model.id == row_id).with_for_update().execution_options(populate_existing=True)
    )


def lock_event(event_id):
    """Take the event's row for this transaction."""
    event = lock_row(Event, event_id)
    if event is None:
        raise NotFound("No such event.")
    return event
