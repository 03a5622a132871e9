"""The register of one event as spreadsheet rows (built apart from sending them)."""
from cpd.events import booking as booking_service
from cpd.extensions import db

REGISTER_HEADER = ["booking_id", "member_id", "full_name", "email", "status", "waitlist_position", "attended",
                   "booked_at", "event_title", "event_starts_at", "timezone"]


def register_rows(event):
    rows = db.session.execute(booking_service.event_bookings(event.id))
    start = event.local_starts_at.isoformat()
    for booking, position in rows:
        yield [
            booking.id, booking.member_id, booking.member.full_name, booking.member.email, booking.status,
            position if booking.status == "waitlisted" else "", "" if booking.attended is None else booking.attended,
            booking.created_at.isoformat(), event.title, start, event.timezone,
        ]

