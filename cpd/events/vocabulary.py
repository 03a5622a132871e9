EVENT_KINDS = {
    "course": "Course",
    "conference": "Conference",
    "sig_session": "SIG session",
    "outreach": "Outreach",
}
EVENT_STATUSES = {"draft": "Draft", "published": "Published", "cancelled": "Cancelled"}
BOOKING_STATUSES = {"confirmed": "Confirmed", "waitlisted": "On the waiting list", "cancelled": "Cancelled"}
SESSION_KINDS = {"talk": "Talk", "workshop": "Workshop", "panel": "Panel", "keynote": "Keynote"}
NOTICE_KINDS = {
    "booking_confirmed": "Booking confirmed",
    "waitlisted": "On the waiting list",
    "promoted": "A seat is yours",
    "event_cancelled": "Event cancelled",
    "reminder": "Reminder",
}
