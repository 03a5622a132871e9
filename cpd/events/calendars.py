"""RFC 5545 calendars (the icalendar library): one event, or a member's booked events."""
from icalendar import Calendar, vText
from icalendar import Event as CalendarEvent

from cpd.core.models import utcnow
from cpd.core.text import one_line
from cpd.core.urls import public_url
from cpd.events.timezones import vtimezone

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
    entry.add("sequence", event.sequence or 0)
    page = public_url("events.event_detail", event_id=event.id)
    entry.add("description", f"{event.description}\n\n{page}" if event.description else page)
    # The joining link only for those who may join (confirmed bookers): a public calendar says "Online".
    location = one_line(event.venue) or (event.online_url if joining_link else "Online" if event.online_url else "")
    if location:
        entry.add("location", location)
    entry.add("url", url or page)
    entry.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    entry.add("last-modified", event.updated_at)
    return entry


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(one_line(name)))  # escaped as TEXT: commas and semicolons
    return calendar


def event_calendar(event, host, url=None, joining_link=False):
    calendar = _calendar(event.title)
    calendar.add_component(_vevent(event, host, url, joining_link))
    _add_timezones(calendar, [event])
    return calendar.to_ical()


def bookings_calendar(events, host, name="My bookings"):
    """A member's confirmed bookings: their joining links included."""
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(_vevent(event, host, joining_link=True))
    _add_timezones(calendar, events)
    return calendar.to_ical()


def _add_timezones(calendar, events):
    """One VTIMEZONE per zone the events use, with the rules of the latest year they fall in."""
    years = {}
    for event in events:
        years[event.timezone] = max(years.get(event.timezone, 0), event.local_starts_at.year)
    for zone_name, year in sorted(years.items()):
        if zone_name != "UTC":
            calendar.add_component(vtimezone(zone_name, year))
