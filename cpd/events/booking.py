"""Booking a seat, the waiting list and cancelling.

Capacity: a booking locks the event's row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite a
write to the row takes the database's write lock before anything is read), reads the seat figures
the row keeps, inserts, and moves the figures (cpd.events.seats), all in the caller's one
transaction.

Functions flush, never commit; the caller commits once."""
import functools
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from cpd.core.errors import Conflict, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.pagination import count_rows
from cpd.events import groups, hooks, notices, permissions, seats, session_places
from cpd.events.models import Booking, Event
from cpd.events.seats import lock_event
from cpd.extensions import db
from cpd.notices.models import Notice


# --- booking -----------------------------------------------------------------------------------

def _booking_refusal(member, event, now):
    if event.status == "cancelled":
        return "The event is cancelled."
    if event.status != "published":
        return "The event is not open for booking yet."
    if event.starts_at <= now:
        return "The event has already started."
    if event.booking_opens_at and event.booking_opens_at > now:
        return f"Booking opens on {event.booking_opens_at.astimezone(event.zone):%-d %b %Y at %H:%M} ({event.timezone})."
    if event.booking_closes_at and event.booking_closes_at <= now:
        return f"Booking closed on {event.booking_closes_at.astimezone(event.zone):%-d %b %Y at %H:%M} ({event.timezone})."
    if event.members_only:
        return groups.members_only_refusal(member, event)
    return None


def may_join_online(actor, event, booking=None):
    """Whether `actor` is given the event's online joining link (see permissions.may_join_online)."""
    if not permissions.may_be_given_the_link(actor, event):
        return False
    if booking is None and not actor.is_staff:
        booking = active_booking(actor.id, event.id)
    return permissions.may_join_online(actor, event, booking)


def active_booking(member_id, event_id):
    return db.session.scalar(
        sa.select(Booking).where(Booking.member_id == member_id, Booking.event_id == event_id,
                                 Booking.status != "cancelled")
    )


def _lapsed(now):
    return sa.or_(sa.and_(Booking.status == "held", Booking.held_until <= now),
                  sa.and_(Booking.status == "offered", Booking.offer_expires_at <= now))


def release_lapsed_holds(event, now):
    """Seats held for a payment whose time ran out, at the locked `event`: cancelled, so their seats
    are free again (lazily, at the next booking, and by the sweep); each booker is told. A lapsed
    offer passes to the next on the waiting list."""
    if not event.held_count:
        return []
    lapsed = db.session.scalars(sa.select(Booking).where(Booking.event_id == event.id, _lapsed(now))).all()
    for booking in lapsed:
        seats.move(event, booking.status, "cancelled")
        notices.queue(booking.member, event, "hold_lapsed" if booking.status == "held" else "offer_lapsed")
        booking.status, booking.cancelled_at = "cancelled", now
    if lapsed:
        db.session.flush()
        hooks.tell("holds_lapsed", lapsed)
        fill_from_waiting_list(event)
    return lapsed


def release_every_lapsed_hold(now):
    """The sweep's part: every event with a lapsed hold or offer, each under its own lock. Returns how many."""
    event_ids = db.session.scalars(sa.select(Booking.event_id).where(_lapsed(now)).distinct()).all()
    released = 0
    for event_id in event_ids:
        released += len(release_lapsed_holds(lock_event(event_id), now))
        db.session.commit()
    return released


# The payments domain's checkout, for events with prices (registered when the app is made).
_CHECKOUT = {}
PAID_CHOICES = ("price_id", "discount_code", "pay_by", "purchase_order", "billing")


def register_checkout(handler):
    _CHECKOUT["paid"] = handler


@functools.cache
def _event_with_prices():
    return sa.select(Event).where(Event.id == sa.bindparam("event_id")).options(joinedload(Event.prices))


def request_seat(actor, event_id, choices):
    """The API's booking: a free event books as it always has; one with prices goes to checkout
    (a price, a way to pay, a held seat and an order)."""
    # The event is read with its prices in one statement, and kept here: checkout finds it (and
    # them) in the session rather than reading either again.
    event = db.session.execute(_event_with_prices(), {"event_id": event_id}).unique().scalar_one_or_none()
    if event is not None and event.prices:
        return _CHECKOUT["paid"](actor, event_id, choices)
    given = sorted(name for name in PAID_CHOICES if choices.get(name) not in (None, "", {}))
    if given:
        raise Invalid("This event is free: book it without a price or a way to pay.",
                      {name: ["Not used: the event is free."] for name in given})
    return book(actor, event_id)


def book(member, event_id, hold_until=None):
    """A seat if one is free, else a place on the waiting list: lock, count, insert. With
    `hold_until` (a paid event's card checkout) the seat is held until then, not confirmed."""
    event = lock_event(event_id)
    if not permissions.can_see_event(member, event):
        raise NotFound("No such event.")
    now = utcnow()
    refusal = _booking_refusal(member, event, now)
    if refusal:
        raise Invalid(refusal, {"event": [refusal]})
    release_lapsed_holds(event, now)
    status = "waitlisted" if event.is_full else "held" if hold_until else "confirmed"
    booking = Booking(event=event, member=member, status=status,
                      confirmed_at=now if status == "confirmed" else None,
                      held_until=hold_until if status == "held" else None)
    # A member's second active booking is refused by the database's unique index, not looked for
    # first: one statement fewer under the event's lock, for the busiest write there is. No
    # savepoint: the request rolls back whole (nothing it wrote before the insert is worth keeping).
    db.session.add(booking)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise Conflict("You have already booked this event.") from None
    seats.move(event, None, status)
    if status != "held":  # a held seat's notice comes with its payment
        notices.queue(member, event, "booking_confirmed" if status == "confirmed" else "waitlisted")
    return with_position(booking)


def book_group(members, event_id, booker):
    """Seats for several people at once (an organisation booking its people): all or none, under the
    same lock as any booking. A group larger than the seats left is refused whole (409 naming how
    many are left): never split, never waitlisted in part."""
    event = lock_event(event_id)
    if not permissions.can_see_event(booker, event):
        raise NotFound("No such event.")
    now = utcnow()
    for member in members:
        refusal = _booking_refusal(member, event, now)
        if refusal:
            raise Invalid(f"{member.full_name}: {refusal}", {"member_ids": [f"{member.id}: {refusal}"]})
    release_lapsed_holds(event, now)
    left = event.seats_left
    if left is not None and len(members) > left:
        raise Conflict(f"Only {left} seat{'s' if left != 1 else ''} left: the group of {len(members)} was not booked.",
                       {"seats_left": [str(left)]})
    booked = [Booking(event=event, member=member, status="confirmed", confirmed_at=now) for member in members]
    db.session.add_all(booked)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise Conflict("Someone in the group has already booked this event: the group was not booked.") from None
    seats.move(event, None, "confirmed", bookings=len(booked))
    for booking in booked:
        notices.queue(booking.member, event, "booking_confirmed")
    return booked


def locked_for(booking):
    """Lock the booking's event and read the booking again under it (another request may have
    changed it while this one waited). The booking keeps the locked event as its own: else, once
    the caller lets go of the event, answering with the booking would read the event once more."""
    event = lock_event(booking.event_id)
    db.session.refresh(booking, [column.key for column in sa.inspect(Booking).column_attrs])
    set_committed_value(booking, "event", event)
    return event


def confirm_held(booking, now):
    """A held (or offered) seat whose payment has arrived: confirmed, and the booker told. If it had
    lapsed meanwhile, it is taken again while a seat is free; else False (the payment is refunded
    by the caller). The event is locked here."""
    event = locked_for(booking)
    if booking.status == "confirmed":
        return True
    if booking.status == "cancelled":
        if event.is_full or active_booking(booking.member_id, event.id) is not None:
            return False
        booking.cancelled_at = None
    seats.move(event, booking.status, "confirmed")
    booking.status, booking.confirmed_at, booking.held_until, booking.offer_expires_at = "confirmed", now, None, None
    db.session.flush()
    notices.queue(booking.member, event, "booking_confirmed")
    return True


def fill_from_waiting_list(event):
    """Give free seats to the waiting list, first come first served. The event must be locked."""
    if not event.waitlist_count:
        return []
    if event.capacity is None:
        free = event.waitlist_count
    else:
        free = max(event.capacity - event.seats_taken, 0)
    if not free:
        return []
    waiting = db.session.scalars(
        sa.select(Booking).where(Booking.event_id == event.id, Booking.status == "waitlisted")
        .order_by(Booking.id).limit(free)
    ).all()
    now = utcnow()
    if event.is_paid:
        # A paid seat is offered, not given: the first waiting have OFFER_HOURS to pay (pretix's model).
        expires = now + timedelta(hours=current_app.config["OFFER_HOURS"])
        seats.move(event, "waitlisted", "offered", len(waiting))
        for booking in waiting:
            booking.status, booking.offer_expires_at = "offered", expires
            notices.queue(booking.member, event, "offered")
    else:
        seats.move(event, "waitlisted", "confirmed", len(waiting))
        for booking in waiting:
            booking.status, booking.confirmed_at = "confirmed", now
            notices.queue(booking.member, event, "promoted")
    db.session.flush()
    return waiting


def members_only_refusal_for(member, event):
    """Said on the event's page before anyone tries to book: why this members-only event is closed
    to `member`, or None."""
    if member is None or not event.members_only:
        return None
    return groups.members_only_refusal(member, event)


def cancellation_refusal(event, now=None):
    """Why a booker can no longer cancel their own place at `event`, or None while they can."""
    now = now or utcnow()
    if event.starts_at <= now:
        return "The event has already started."
    if event.cancellation_deadline and event.cancellation_deadline <= now:
        return (f"Cancellations closed on {event.cancellation_deadline.astimezone(event.zone):%-d %b %Y at %H:%M}"
                f" ({event.timezone}).")
    return None


def cancel_booking(actor, booking):
    """The booker (before the deadline) or staff cancel; the first on the waiting list takes the seat."""
    if not permissions.can_manage_booking(actor, booking):
        raise NotFound("No such booking.")
    event = locked_for(booking)
    if booking.status == "cancelled":
        raise Conflict("The booking is already cancelled.")
    now = utcnow()
    refusal = None if actor.is_staff else cancellation_refusal(event, now)
    if refusal:
        raise Invalid(refusal, {"booking": [refusal]})
    was_confirmed = booking.status == "confirmed"
    seats.move(event, booking.status, "cancelled")
    booking.status, booking.cancelled_at = "cancelled", now
    db.session.flush()
    hooks.tell("bookings_cancelled", [booking], now, False)
    session_places.release_places_of(booking, event)
    if was_confirmed:
        fill_from_waiting_list(event)
    return with_position(booking)


def get_booking_for(actor, booking_id):
    booking = db.session.get(Booking, booking_id)
    if booking is None or not permissions.can_manage_booking(actor, booking):
        raise NotFound("No such booking.")
    return with_position(booking)


def with_position(booking):
    """Set the booking's place on the waiting list, counted from the bookings before it."""
    if booking.status != "waitlisted":
        booking.waitlist_position = None
        return booking
    booking.waitlist_position = db.session.scalar(
        sa.select(sa.func.count()).where(Booking.event_id == booking.event_id, Booking.status == "waitlisted",
                                         Booking.id <= booking.id)
    )
    return booking


def _ranked_bookings(which_events):
    """Each booking's place among its event's bookings of the same status, in the order made
    (for waitlisted ones, their waiting-list position), for the events `which_events` selects."""
    return (
        sa.select(Booking.id, sa.func.row_number().over(
            partition_by=(Booking.event_id, Booking.status), order_by=Booking.id).label("position"))
        .where(which_events)
        .subquery()
    )


def member_bookings(member_id, upcoming_only=False, past_only=False):
    """A member's bookings with their events and waiting-list positions: all of them, latest first;
    those to come (not cancelled), soonest first; or those of events that have ended, latest first."""
    own_events = sa.select(Booking.event_id).where(Booking.member_id == member_id)
    ranked = _ranked_bookings(Booking.event_id.in_(own_events))
    statement = (
        sa.select(Booking, ranked.c.position)
        .join(ranked, ranked.c.id == Booking.id)
        .join(Event, Event.id == Booking.event_id)
        .where(Booking.member_id == member_id)
        .options(selectinload(Booking.event))
        .order_by(Event.starts_at.desc(), Booking.id)
    )
    if past_only:
        statement = statement.where(Event.ends_at < utcnow())
    if upcoming_only:  # the next ones first
        statement = statement.where(Event.ends_at >= utcnow(), Booking.status != "cancelled").order_by(None).order_by(
            Event.starts_at, Booking.id)
    return statement


def bookings_page(statement, page, per_page):
    total = count_rows(statement)
    rows = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page)).all()
    items = []
    for booking, position in rows:
        booking.waitlist_position = position if booking.status == "waitlisted" else None
        items.append(booking)
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def event_bookings(event_id):
    """Everyone booked, waitlisted and cancelled for an event, with positions and members."""
    ranked = _ranked_bookings(Booking.event_id == event_id)
    return (
        sa.select(Booking, ranked.c.position)
        .join(ranked, ranked.c.id == Booking.id)
        .options(selectinload(Booking.member), selectinload(Booking.sessions_attended))
        .order_by(sa.case({"confirmed": 0, "waitlisted": 1}, value=Booking.status, else_=2), Booking.id)
    )

def upcoming_events_needing_reminders(now):
    """Confirmed bookings for events starting in the next 24 hours that have had no reminder."""
    reminded = sa.select(Notice.id).where(
        Notice.kind == "reminder", Notice.member_id == Booking.member_id, Notice.event_id == Booking.event_id)
    return db.session.scalars(
        sa.select(Booking).join(Event, Event.id == Booking.event_id)
        .where(Booking.status == "confirmed", Event.status == "published",
               Event.starts_at > now, Event.starts_at <= now + timedelta(hours=24), ~sa.exists(reminded))
        .options(selectinload(Booking.event), selectinload(Booking.member))
    ).all()
