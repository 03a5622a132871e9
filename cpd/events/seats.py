"""Seat figures kept on the event row, and the row's lock that every change to them takes first.

Each event carries its confirmed and waitlisted counts. They change only inside the transaction
that changes a booking's status, after it has locked the event's row (lock_event), so two
bookings never read the same count, and a failed or killed request rolls the booking and the
figures back together. Reading them costs nothing: the programme list was spending a third of its
time counting bookings (bench/RESULTS.md). `flask events recount --check` compares every event's
figures with a count of its bookings (the test suite runs it after a rush and after a killed
worker); `flask events recount` mends any that differ.

Functions flush, never commit; the caller commits once."""
import sqlalchemy as sa

from cpd.core.errors import NotFound
from cpd.events.models import Booking, Event
from cpd.extensions import db

HELD = ("confirmed", "waitlisted")


# --- keeping the figures -------------------------------------------------------------------------

def move(event, old_status, new_status):
    """One booking of the locked `event` goes from `old_status` (None: a new booking) to `new_status`."""
    if old_status == new_status:
        return
    if old_status == "confirmed":
        event.confirmed_count -= 1
    elif old_status == "waitlisted":
        event.waitlist_count -= 1
    if new_status == "confirmed":
        event.confirmed_count += 1
    elif new_status == "waitlisted":
        event.waitlist_count += 1


# --- proving them --------------------------------------------------------------------------------

def _counted(status):
    return (sa.select(sa.func.count()).where(Booking.event_id == Event.id, Booking.status == status)
            .correlate(Event).scalar_subquery())


def drifted():
    """Events whose kept figures differ from a count of their bookings, read in one statement (one
    snapshot, so bookings made meanwhile cannot show as drift): [(id, kept, counted)] with each
    figure a (confirmed, waitlisted) pair."""
    confirmed, waitlisted = _counted("confirmed"), _counted("waitlisted")
    rows = db.session.execute(
        sa.select(Event.id, Event.confirmed_count, Event.waitlist_count, confirmed, waitlisted)
        .where(sa.or_(Event.confirmed_count != confirmed, Event.waitlist_count != waitlisted))
        .order_by(Event.id)
    ).all()
    return [(event_id, (kept_c, kept_w), (c, w)) for event_id, kept_c, kept_w, c, w in rows]


def recount(event_id):
    """Set one event's figures from a count of its bookings, under the event's lock."""
    event = lock_event(event_id)
    counts = dict(db.session.execute(
        sa.select(Booking.status, sa.func.count()).where(Booking.event_id == event_id, Booking.status.in_(HELD))
        .group_by(Booking.status)).all())
    event.confirmed_count, event.waitlist_count = counts.get("confirmed", 0), counts.get("waitlisted", 0)
    db.session.flush()
    return event


def recount_all():
    """Every event's figures from a count of its bookings, in one UPDATE (after bookings were loaded
    in bulk, by the demo or a migration; not while people are booking)."""
    db.session.execute(sa.update(Event).values(confirmed_count=_counted("confirmed"),
                                               waitlist_count=_counted("waitlisted"))
                       .execution_options(synchronize_session=False))


# --- the lock ------------------------------------------------------------------------------------

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
