EVENT_KINDS = {
    "course": "Course",
    "conference": "Conference",
    "sig_session": "SIG session",
    "outreach": "Outreach",
}
EVENT_STATUSES = {"draft": "Draft", "published": "Published", "cancelled": "Cancelled"}
BOOKING_STATUSES = {"confirmed": "Confirmed", "waitlisted": "On the waiting list", "cancelled": "Cancelled",
                    "held": "Held while you pay", "offered": "Offered: pay to take the seat"}
# Statuses that keep a seat for a payment not yet made: counted in the event's held_count.
SEAT_HOLDING = ("held", "offered")
PRICE_ELIGIBILITY = {"anyone": "Anyone", "members": "Members of the body", "non_members": "Non-members",
                     "students": "Students"}
SESSION_KINDS = {"talk": "Talk", "workshop": "Workshop", "panel": "Panel", "keynote": "Keynote"}
NOTICE_KINDS = {
    "booking_confirmed": "Booking confirmed",
    "waitlisted": "On the waiting list",
    "promoted": "A seat is yours",
    "event_cancelled": "Event cancelled",
    "reminder": "Reminder",
    "hold_lapsed": "Your held seat was released",
    "offered": "A seat is offered to you",
    "offer_lapsed": "Your offered seat has passed on",
}
