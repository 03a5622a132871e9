"""The register (attended or absent, which credits CPD) and feedback from those who attended.

Functions flush, never commit; the caller commits once."""
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cpd.core import audit
from cpd.core.errors import Conflict, Forbidden, Invalid
from cpd.core.models import utcnow
from cpd.events import permissions
from cpd.events.models import AttendanceMark, Booking, Feedback, SessionAttendance
from cpd.extensions import db
from cpd.records import verified as verified_records


# --- attendance --------------------------------------------------------------------------------

def _credited_hours(event, booking):
    attended_sessions = [a.session for a in booking.sessions_attended]
    if attended_sessions:
        return sum((s.duration_hours for s in attended_sessions), Decimal(0))
    if event.cpd_hours is not None:
        # Never more than the event lasted, whatever was typed as its hours.
        return min(event.cpd_hours, event.duration_hours)
    return event.duration_hours


def mark_attendance(actor, event, attended_ids=(), absent_ids=(), sessions=None):
    """Take the register. Each attended booking gives its member one verified CPD record (none
    for an event that credits no CPD hours: its attendance still counts for reach and engagement);
    marking absent again removes it. Sending the same register twice changes nothing."""
    if not permissions.can_manage_event(actor, event):
        raise Forbidden("Only staff, or the SIG's leads for their sessions, take this register.")
    attended_ids, absent_ids = set(attended_ids), set(absent_ids)
    both = attended_ids & absent_ids
    if both:
        raise Invalid(f"Bookings {sorted(both)} are marked both attended and absent.",
                      {"attended": ["A booking cannot be both attended and absent."]})
    if event.starts_at > utcnow():
        raise Invalid("The register opens when the event starts.", {"event": ["Not started yet."]})
    bookings = {b.id: b for b in db.session.scalars(
        sa.select(Booking).where(Booking.event_id == event.id, Booking.id.in_(attended_ids | absent_ids))
        .options(selectinload(Booking.sessions_attended).selectinload(SessionAttendance.session))
    )}
    unknown = (attended_ids | absent_ids) - set(bookings)
    if unknown:
        raise Invalid(f"No bookings {sorted(unknown)} for this event.", {"attended": ["Unknown booking ids."]})
    not_confirmed = sorted(i for i in attended_ids if bookings[i].status != "confirmed")
    if not_confirmed:
        raise Invalid(f"Bookings {not_confirmed} are not confirmed seats.", {"attended": ["Only confirmed seats attend."]})
    session_ids = {s.id: s for s in event.sessions}
    for booking_id, chosen in (sessions or {}).items():
        if booking_id not in attended_ids:
            raise Invalid("Sessions are given only for bookings marked attended.", {"sessions": ["Mark the booking attended."]})
        if set(chosen) - set(session_ids):
            raise Invalid("Unknown programme sessions.", {"sessions": ["Not sessions of this event."]})
    now = utcnow()
    audit.record_staff_action(actor, "event.attendance", "event", event.id, attended=sorted(attended_ids),
                              absent=sorted(absent_ids))
    for booking_id in sorted(attended_ids | absent_ids):
        booking = bookings[booking_id]
        attended = booking_id in attended_ids
        if sessions is not None and booking_id in sessions:
            chosen = set(sessions[booking_id])
            booking.sessions_attended = [a for a in booking.sessions_attended if a.session_id in chosen] + [
                SessionAttendance(session=session_ids[i]) for i in chosen
                if i not in {a.session_id for a in booking.sessions_attended}]
            db.session.flush()
        if booking.attended is not attended:
            booking.attended = attended
            db.session.add(AttendanceMark(booking_id=booking.id, attended=attended, marked_by_id=actor.id, marked_at=now))
        hours = _credited_hours(event, booking) if attended else 0
        if hours > 0:
            local_start, local_end = event.local_starts_at.date(), event.local_ends_at.date()
            # A course or a conference is formal learning, whatever its CPD activity type says.
            verified_records.record_attendance(
                booking.member_id, event.id, event.title, event.cpd_activity_type, local_start, local_end, hours,
                formal=event.cpd_activity_type == "formal_educational" or event.kind in ("course", "conference"))
        else:  # absent, or an event that credits no CPD hours (outreach): attendance without a record
            verified_records.remove_attendance_record(booking.member_id, event.id)
    db.session.flush()
    return [bookings[i] for i in sorted(bookings)]


# --- feedback ----------------------------------------------------------------------------------

def events_with_feedback_from(member_id, event_ids):
    """Which of `event_ids` the member has already rated: one query for a whole list."""
    if not event_ids:
        return set()
    return set(db.session.scalars(sa.select(Feedback.event_id).where(
        Feedback.member_id == member_id, Feedback.event_id.in_(event_ids))))


def may_give_feedback(booking, already_given):
    """Feedback is asked of those marked attended (the register), once each."""
    return booking is not None and booking.status == "confirmed" and booking.attended is True and not already_given


def feedback_to_ask(past_bookings):
    """Of past bookings (latest first, each with may_give_feedback), the one whose feedback is asked
    for now: the latest, so a member is asked once at a time, not for a stack of events."""
    return next((booking for booking in past_bookings if booking.may_give_feedback), None)


def give_feedback(member, event, rating, comment=""):
    """An attendee (marked attended on the register) rates the event once."""
    booking = db.session.scalar(
        sa.select(Booking).where(Booking.event_id == event.id, Booking.member_id == member.id,
                                 Booking.status == "confirmed", Booking.attended.is_(True))
    )
    if booking is None:
        raise Forbidden("Only those marked as attending can give feedback on this event.")
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise Invalid.on_field("rating", "Give a whole number from 1 to 5.")
    comment = (comment or "").strip()
    if len(comment) > 5000:
        raise Invalid.on_field("comment", "At most 5000 characters.")
    if db.session.scalar(sa.select(Feedback.id).where(Feedback.event_id == event.id,
                                                      Feedback.member_id == member.id)) is not None:
        raise Conflict("You have already given feedback on this event.")
    feedback = Feedback(event_id=event.id, member_id=member.id, rating=rating, comment=comment)
    try:
        with db.session.begin_nested():
            db.session.add(feedback)
    except sa.exc.IntegrityError:
        raise Conflict("You have already given feedback on this event.") from None
    return feedback
