"""RFC 5545 calendars (the icalendar library): one event, or a member's booked events."""
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from cpd.core.models import utcnow
from cpd.core.text import one_line

PRODID = "-//Learning and CPD platform//Events//EN"


def _uid(event, host):
    return f"event-{event.id}@{host}"


def _vevent(event, host, url=None, joining_link=False):
    entry = CalendarEvent()
    entry.add("uid", _uid(event, host))
    entry.add("dtstamp", utcnow())
    entry.add("dtstart", event.local_starts_at)
    entry.add("dtend", event.local_ends_at)
    entry.add("summary", one_line(event.title))
    if event.description:
        entry.add("description", event.description)
    # The joining link only for those who may join (confirmed bookers): a public calendar says "Online".
    location = one_line(event.venue) or (event.online_url if joining_link else "Online" if event.online_url else "")
    if location:
        entry.add("location", location)
    if url:
        entry.add("url", url)
    entry.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    entry.add("last-modified", event.updated_at)
    return entry


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(name))
    return calendar


def event_calendar(event, host, url=None, joining_link=False):
    calendar = _calendar(event.title)
    calendar.add_component(_vevent(event, host, url, joining_link))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def bookings_calendar(events, host, name="My bookings"):
    """A member's confirmed bookings: their joining links included."""
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(_vevent(event, host, joining_link=True))
    calendar.add_missing_timezones()
    return calendar.to_ical()
