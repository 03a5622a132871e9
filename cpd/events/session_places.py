"""Places at programme sessions: a booked attendee of a conference chooses the workshops (sessions
with a capacity of their own) they will go to, with a waiting list per session.

The same rule as an event's seats: lock the session's row, count, then insert, in the caller's one
transaction; a place given up goes to the first on that session's waiting list at once; positions
are derived from the order places were asked for, never stored.

Functions flush, never commit; the caller commits once.
"""
import sqlalchemy as sa

from cpd.core.errors import Conflict, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.events.models import Booking, ProgrammeSession, SessionBooking
from cpd.events.seats import lock_row
from cpd.extensions import db

ACTIVE = ("confirmed", "waitlisted")


def lock_session(session_id):
    """Take the session's row for this transaction."""
    session = lock_row(ProgrammeSession, session_id)
    if session is None:
        raise NotFound("No such session.")
    return session


def _confirmed_count(session_id):
    return db.session.scalar(sa.select(sa.func.count()).select_from(SessionBooking).where(
        SessionBooking.session_id == session_id, SessionBooking.status == "confirmed"))


def _position(place):
    if place.status != "waitlisted":
        return place
    place.waitlist_position = db.session.scalar(sa.select(sa.func.count()).select_from(SessionBooking).where(
        SessionBooking.session_id == place.session_id, SessionBooking.status == "waitlisted",
        SessionBooking.id <= place.id))
    return place


def choose_session(member, event_id, session_id):
    """A place at the session for a member with a confirmed seat at its conference."""
    session = lock_session(session_id)
    if session.event_id != event_id:
        raise NotFound("No such session in this event.")
    if session.capacity is None:
        raise Invalid("This session is open to everyone at the event: no place needs choosing.",
                      {"session": ["Open to all attendees."]})
    if session.starts_at <= utcnow():
        raise Invalid("This session has already started.", {"session": ["Started."]})
    booking = db.session.scalar(sa.select(Booking).where(
        Booking.event_id == event_id, Booking.member_id == member.id, Booking.status == "confirmed"))
    if booking is None:
        raise Invalid("Book a seat at the event first: sessions are chosen by those with a confirmed seat.",
                      {"session": ["No confirmed seat at the event."]})
    if db.session.scalar(sa.select(SessionBooking.id).where(
            SessionBooking.session_id == session.id, SessionBooking.member_id == member.id,
            SessionBooking.status.in_(ACTIVE))) is not None:
        raise Conflict("You already have a place, or a place on the waiting list, at this session.")
    status = "confirmed" if _confirmed_count(session.id) < session.capacity else "waitlisted"
    place = SessionBooking(session_id=session.id, booking_id=booking.id, member_id=member.id, status=status,
                           created_at=utcnow())
    db.session.add(place)
    db.session.flush()
    return _position(place)


def _fill_from_waiting_list(session):
    free = session.capacity - _confirmed_count(session.id)
    if free <= 0:
        return
    waiting = db.session.scalars(sa.select(SessionBooking).where(
        SessionBooking.session_id == session.id, SessionBooking.status == "waitlisted")
        .order_by(SessionBooking.id).limit(free)).all()
    for place in waiting:
        place.status = "confirmed"
    db.session.flush()


def give_up(actor, place_id):
    """The member (or staff) gives up a place; the first on the session's waiting list takes it."""
    place = db.session.get(SessionBooking, place_id)
    if place is None or not (actor.id == place.member_id or actor.is_staff):
        raise NotFound("No such session place.")
    session = lock_session(place.session_id)
    db.session.refresh(place)
    if place.status == "cancelled":
        raise Conflict("This place is already given up.")
    was_confirmed = place.status == "confirmed"
    place.status, place.cancelled_at = "cancelled", utcnow()
    db.session.flush()
    if was_confirmed:
        _fill_from_waiting_list(session)
    return place


def release_places_of(booking, event):
    """The event booking is cancelled: its session places go, each to its waiting list. Only a
    conference has a programme, so no other event's cancellation looks for places."""
    if event.kind != "conference":
        return
    places = db.session.scalars(sa.select(SessionBooking).where(
        SessionBooking.booking_id == booking.id, SessionBooking.status.in_(ACTIVE))
        .order_by(SessionBooking.session_id)).all()
    for place in places:
        session = lock_session(place.session_id)
        was_confirmed = place.status == "confirmed"
        place.status, place.cancelled_at = "cancelled", utcnow()
        db.session.flush()
        if was_confirmed:
            _fill_from_waiting_list(session)


def places_of(member_id, event_id):
    """{session id: the member's active place} at the event's sessions, positions set."""
    places = db.session.scalars(sa.select(SessionBooking).join(ProgrammeSession).where(
        SessionBooking.member_id == member_id, ProgrammeSession.event_id == event_id,
        SessionBooking.status.in_(ACTIVE))).all()
    return {place.session_id: _position(place) for place in places}


def session_figures(event_id):
    """{session id: (confirmed, waitlisted)} for the event's sessions: one grouped query."""
    confirmed = sa.func.sum(sa.case((SessionBooking.status == "confirmed", 1), else_=0))
    waitlisted = sa.func.sum(sa.case((SessionBooking.status == "waitlisted", 1), else_=0))
    rows = db.session.execute(sa.select(SessionBooking.session_id, confirmed, waitlisted)
                              .join(ProgrammeSession).where(ProgrammeSession.event_id == event_id)
                              .group_by(SessionBooking.session_id))
    return {session_id: (int(c or 0), int(w or 0)) for session_id, c, w in rows}


def timetable(event):
    """The event's programme by day in the event's own timezone: [(date, [sessions by start])]."""
    days = {}
    for session in sorted(event.sessions, key=lambda s: (s.starts_at, s.id)):
        days.setdefault(session.starts_at.astimezone(event.zone).date(), []).append(session)
    return sorted(days.items())


def chosen_session_ids(booking_ids):
    """{booking id: [session ids with a confirmed place]}: the register's first guess of who went where."""
    rows = db.session.execute(sa.select(SessionBooking.booking_id, SessionBooking.session_id).where(
        SessionBooking.booking_id.in_(booking_ids), SessionBooking.status == "confirmed"))
    chosen = {}
    for booking_id, session_id in rows:
        chosen.setdefault(booking_id, []).append(session_id)
    return chosen
