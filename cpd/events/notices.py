"""The events domain's notices: what a booking, a waiting list, a cancellation or a reminder tells
the member, written to the outbox (cpd.notices), and the calendar entry those about a seat carry."""
from flask import current_app

from cpd.core.text import one_line
from cpd.core.urls import public_url
from cpd.extensions import db
from cpd.notices import delivery, queue_notice


def when(event):
    start = event.local_starts_at
    return f"{start:%A %-d %B %Y, %H:%M} ({event.timezone})"


def where(event, joining_link):
    if event.venue:
        return event.venue
    if event.online_url:
        return event.online_url if joining_link else "online (the link comes with a confirmed seat)"
    return "details to follow"


TEMPLATES = {
    "booking_confirmed": (
        "Booking confirmed: {title}",
        "Your seat at {title} is confirmed.\n\nWhen: {when}\nWhere: {where}\n\n"
        "The calendar entry is attached. If you can no longer come, please cancel so that someone "
        "on the waiting list can take your seat.",
    ),
    "waitlisted": (
        "On the waiting list: {title}",
        "{title} is full, so you are on its waiting list. If a seat comes free it is yours "
        "automatically, and we will tell you.\n\nWhen: {when}",
    ),
    "promoted": (
        "A seat is yours: {title}",
        "A seat came free at {title} and it is now yours.\n\nWhen: {when}\nWhere: {where}\n\n"
        "The calendar entry is attached.",
    ),
    "event_cancelled": (
        "Cancelled: {title}",
        "We are sorry: {title}, planned for {when}, is cancelled. Your booking is cancelled with it.",
    ),
    "reminder": (
        "Tomorrow: {title}",
        "A reminder that {title} starts {when}.\nWhere: {where}",
    ),
    "hold_lapsed": (
        "Your held seat was released: {title}",
        "We kept a seat at {title} for you while you paid, but no payment arrived in time, so the seat "
        "is free again and nothing was charged. You are welcome to book again while seats remain.\n\nWhen: {when}",
    ),
    "offer_lapsed": (
        "Your offered seat has passed on: {title}",
        "The seat offered to you at {title} was not paid for in time, so it has been offered to the next "
        "person on the waiting list. Nothing was charged.\n\nWhen: {when}",
    ),
    "event_changed": (
        "Changed: {title}",
        "{title}, which you booked, has changed.\n\n{changes}\n\nThe calendar entry is attached: it replaces the "
        "one you had. If you can no longer come, please cancel so that someone else can have the seat.",
    ),
    "offered": (
        "A seat is offered to you: {title}",
        "A seat came free at {title} and, as the first on its waiting list, you may take it. Pay from "
        "My bookings within {offer_hours} hours to have it; after that it is offered to the next person."
        "\n\nWhen: {when}",
    ),
}


# Notices that carry the event's calendar entry, built when the notice is delivered: not inside the
# booking's transaction, which holds the event's lock (a third of a booking's time went on it),
# and it then shows the event as it stands when the member reads it.
WITH_CALENDAR = ("booking_confirmed", "promoted", "reminder", "event_changed")
# Where each notice sends the member: the event's page, or My bookings where there is something to do.
LINKS = {"offered": ("Pay for the seat", "events.my_bookings"), "hold_lapsed": ("Book again", "events.event_detail")}


def link(kind, event):
    """(what, absolute URL) of where a notice of `kind` sends its reader."""
    words, endpoint = LINKS.get(kind, ("The event", "events.event_detail"))
    values = {"event_id": event.id} if endpoint == "events.event_detail" else {}
    return words, public_url(endpoint, **values)


def queue(member, event, kind, **more):
    """Write a notice about an event to the outbox (part of the caller's transaction), with a link
    to what it is about."""
    subject, body = TEMPLATES[kind]
    seated = kind in WITH_CALENDAR
    facts = {"title": one_line(event.title), "when": when(event), "where": where(event, joining_link=seated),
             "offer_hours": current_app.config["OFFER_HOURS"], **more}
    return queue_notice(member, kind, subject.format(**facts), body.format(**facts), links=[link(kind, event)],
                        event_id=event.id)


def calendar_attachment(notice):
    """The event's calendar entry as it stands when the notice is sent (None once the event is gone)."""
    from cpd.events.calendars import event_calendar
    from cpd.events.models import Event

    if notice.event_id is None:
        return None
    event = db.session.get(Event, notice.event_id)
    if event is None:
        return None
    calendar = event_calendar(event, current_app.config["CALENDAR_UID_HOST"], joining_link=True)
    return calendar, "text", "calendar", "event.ics", {"method": "PUBLISH"}


delivery.register_attachment(WITH_CALENDAR, calendar_attachment)

# Jobs queued before the outbox became its own package name this path.
deliver_one = delivery.deliver_one
