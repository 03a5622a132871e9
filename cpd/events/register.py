"""The register of one event as spreadsheet rows (built apart from sending them)."""
from cpd.events import booking as booking_service
from cpd.extensions import db

REGISTER_HEADER = ["booking_id", "member_id", "full_name", "email", "status", "waitlist_position", "attended",
                   "booked_at", "event_title", "event_starts_at", "timezone"]


def named(bookings, name):
    """The bookings of people whose name holds `name` (all of them for none)."""
    folded = name.casefold()
    return [booking for booking in bookings if folded in booking.member.full_name.casefold()] if name else bookings


def unmarked(bookings):
    """How many booked seats the register has not marked yet."""
    return sum(1 for booking in bookings if booking.status == "confirmed" and booking.attended is None)


def register_rows(event):
    rows = db.session.execute(booking_service.event_bookings(event.id))
    start = event.local_starts_at.isoformat()
    for booking, position in rows:
        yield [
            booking.id, booking.member_id, booking.member.full_name, booking.member.email, booking.status,
            position if booking.status == "waitlisted" else "", "" if booking.attended is None else booking.attended,
            booking.created_at.isoformat(), event.title, start, event.timezone,
        ]

