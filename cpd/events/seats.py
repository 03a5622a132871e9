"""Seat figures kept on the event row, and the row's lock that every change to them takes first.

Each event carries its confirmed, waitlisted and held counts (held: seats kept for a payment being
made, `held` and `offered` bookings). They change only inside the transaction
that changes a booking's status, after it has locked the event's row (lock_event), so two
bookings never read the same count, and a failed or killed request rolls the booking and the
figures back together. Reading them costs nothing: the programme list was spending a third of its
time counting bookings (bench/RESULTS.md). `flask events recount --check` compares every event's
figures with a count of its bookings (the test suite runs it after a rush and after a killed
worker); `flask events recount` mends any that differ.

Functions flush, never commit; the caller commits once."""
import functools

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from cpd.core.errors import NotFound
from cpd.events.models import Booking, Event
from cpd.events.vocabulary import SEAT_HOLDING
from cpd.extensions import db

# --- keeping the figures -------------------------------------------------------------------------

_events = Event.__table__
# Built once: the busiest write there is runs it under the event's lock.
_MOVE = sa.update(_events).where(_events.c.id == sa.bindparam("event_id")).values(
    confirmed_count=_events.c.confirmed_count + sa.bindparam("confirmed"),
    waitlist_count=_events.c.waitlist_count + sa.bindparam("waiting"),
    held_count=_events.c.held_count + sa.bindparam("held"), updated_at=_events.c.updated_at)


def move(event, old_status, new_status, bookings=1):
    """`bookings` of the locked `event` go from `old_status` (None: new bookings) to `new_status`.
    One UPDATE that leaves the event's updated_at alone: a booking does not change the event (its
    calendar entry's LAST-MODIFIED stays)."""
    confirmed = bookings * ((new_status == "confirmed") - (old_status == "confirmed"))
    waiting = bookings * ((new_status == "waitlisted") - (old_status == "waitlisted"))
    held = bookings * ((new_status in SEAT_HOLDING) - (old_status in SEAT_HOLDING))
    if not (confirmed or waiting or held):
        return
    db.session.execute(_MOVE, {"event_id": event.id, "confirmed": confirmed, "waiting": waiting, "held": held})
    set_committed_value(event, "confirmed_count", event.confirmed_count + confirmed)
    set_committed_value(event, "waitlist_count", event.waitlist_count + waiting)
    set_committed_value(event, "held_count", (event.held_count or 0) + held)


# --- proving them --------------------------------------------------------------------------------

def _counted(*statuses):
    return (sa.select(sa.func.count()).where(Booking.event_id == Event.id, Booking.status.in_(statuses))
            .correlate(Event).scalar_subquery())


def drifted():
    """Events whose kept figures differ from a count of their bookings, read in one statement (one
    snapshot, so bookings made meanwhile cannot show as drift): [(id, kept, counted)] with each
    figure a (confirmed, waitlisted, held) triple."""
    confirmed, waitlisted, held = _counted("confirmed"), _counted("waitlisted"), _counted(*SEAT_HOLDING)
    rows = db.session.execute(
        sa.select(Event.id, Event.confirmed_count, Event.waitlist_count, Event.held_count, confirmed, waitlisted, held)
        .where(sa.or_(Event.confirmed_count != confirmed, Event.waitlist_count != waitlisted,
                      Event.held_count != held))
        .order_by(Event.id)
    ).all()
    return [(row[0], tuple(row[1:4]), tuple(row[4:7])) for row in rows]


def _recount(*which):
    """Set the figures of the events `which` chooses (all, without it) from a count of their
    bookings. A mend is a change to the event: its updated_at moves."""
    db.session.execute(sa.update(Event).where(*which).values(confirmed_count=_counted("confirmed"),
                                                             waitlist_count=_counted("waitlisted"),
                                                             held_count=_counted(*SEAT_HOLDING))
                       .execution_options(synchronize_session=False))


def recount(event_id):
    """Set one event's figures from a count of its bookings, under the event's lock."""
    lock_event(event_id)
    _recount(Event.id == event_id)
    return db.session.get(Event, event_id, populate_existing=True)


def recount_all():
    """Every event's figures from a count of its bookings, in one UPDATE (after bookings were loaded
    in bulk, by the demo or a migration; not while people are booking)."""
    _recount()


# --- the lock ------------------------------------------------------------------------------------

def lock_row(model, row_id):
    """Take one row (an event, a programme session) for this transaction, so counts and inserts
    cannot interleave; None when there is no such row."""
    statement = _lock_statement(model, db.session.get_bind().dialect.name)
    return db.session.scalars(statement, {"row_id": row_id}).one_or_none()


@functools.cache
def _lock_statement(model, dialect):
    """The statement that takes and reads one row of `model` (built once per model)."""
    row_id = sa.bindparam("row_id")
    if dialect == "sqlite":
        # A write begins SQLite's write transaction: other writers wait until we commit. It writes
        # the row as it is, updated_at included (else its onupdate would move it), and reads it
        # back in the same statement (RETURNING): one round trip fewer while the lock is held.
        table = model.__table__
        unchanged = {column: column for column in (table.c.id, table.c.get("updated_at")) if column is not None}
        # (Loaded through a select from the Core statement: the ORM's bulk UPDATE path costs more.)
        statement = sa.select(model).from_statement(
            sa.update(table).where(table.c.id == row_id).values(unchanged).returning(*table.c))
    else:
        statement = sa.select(model).where(model.id == row_id).with_for_update()
    return statement.execution_options(populate_existing=True)


def lock_event(event_id):
    """Take the event's row for this transaction."""
    event = lock_row(Event, event_id)
    if event is None:
        raise NotFound("No such event.")
    return event
