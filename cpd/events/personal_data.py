"""What the events domain holds on a person, for their download and their erasure.

Functions flush, never commit; the caller commits once."""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cpd.events.models import Booking, CalendarFeed, Feedback
from cpd.extensions import db


# --- personal data -----------------------------------------------------------------------------

def erase_personal_data(member_id):
    """Bookings and attendance stay (the figures count them); what identifies or was written goes."""
    db.session.execute(sa.update(Feedback).where(Feedback.member_id == member_id).values(comment="")
                       .execution_options(synchronize_session=False))
    db.session.execute(sa.delete(CalendarFeed).where(CalendarFeed.member_id == member_id))
    db.session.flush()


def personal_data(member_id):
    bookings = db.session.scalars(
        sa.select(Booking).where(Booking.member_id == member_id).options(selectinload(Booking.event))
        .order_by(Booking.id)).all()
    feedback = db.session.scalars(sa.select(Feedback).where(Feedback.member_id == member_id)).all()
    return {
        "bookings.json": [
            {"id": b.id, "event_id": b.event_id, "event_title": b.event.title, "event_starts_at": b.event.starts_at,
             "status": b.status, "attended": b.attended, "booked_at": b.created_at, "cancelled_at": b.cancelled_at}
            for b in bookings],
        "feedback.json": [{"event_id": f.event_id, "rating": f.rating, "comment": f.comment,
                           "given_at": f.created_at} for f in feedback],
    }
