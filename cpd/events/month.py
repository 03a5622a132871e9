"""The programme as a month: each day of the month's weeks (Monday first) with the published events
starting on it, in each event's own time zone; and "add to Google Calendar / Outlook" links."""
import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import urlencode

import sqlalchemy as sa

from cpd.core.errors import Invalid
from cpd.core.urls import public_url
from cpd.events.models import Event
from cpd.extensions import db

EARLIEST, LATEST = date(2000, 1, 1), date(2200, 12, 1)


@dataclass
class Day:
    day: date
    in_month: bool
    events: list = field(default_factory=list)


def month_of(text, today):
    """The first day of the month `text` names (YYYY-MM), or of today's month; Invalid otherwise."""
    if not text:
        return today.replace(day=1)
    try:
        first = datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise Invalid.on_field("month", "Give a month as YYYY-MM, for example 2027-03.") from None
    if not EARLIEST <= first <= LATEST:
        raise Invalid.on_field("month", "Give a month between 2000 and 2200.")
    return first


def weeks(first):
    """[[Day × 7]] for the month starting `first`, each with its events (one query)."""
    days = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start, end = days[0][0], days[-1][-1]
    # A day's events are those starting on it where they happen: read a day either side for the zones.
    window = (datetime.combine(start - timedelta(days=1), time(0), timezone.utc),
              datetime.combine(end + timedelta(days=2), time(0), timezone.utc))
    events = db.session.scalars(sa.select(Event).where(Event.status == "published", Event.starts_at >= window[0],
                                                       Event.starts_at < window[1])
                                .order_by(Event.starts_at, Event.id)).all()
    by_day = {}
    for event in events:
        by_day.setdefault(event.local_starts_at.date(), []).append(event)
    return [[Day(day, day.month == first.month, by_day.get(day, [])) for day in week] for week in days]


def neighbours(first):
    """(the month before, the month after), as YYYY-MM."""
    before = (first - timedelta(days=1)).replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    return before.strftime("%Y-%m"), after.strftime("%Y-%m")


def _utc(moment):
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_link(event):
    """Google Calendar's "add an event" form, filled in."""
    return "https://calendar.google.com/calendar/render?" + urlencode({
        "action": "TEMPLATE", "text": event.title, "dates": f"{_utc(event.starts_at)}/{_utc(event.ends_at)}",
        "details": public_url("events.event_detail", event_id=event.id), "location": event.venue or "Online"})


def outlook_link(event):
    """Outlook on the web's "new event" form, filled in."""
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode({
        "path": "/calendar/action/compose", "rru": "addevent", "subject": event.title,
        "startdt": event.starts_at.astimezone(timezone.utc).isoformat(),
        "enddt": event.ends_at.astimezone(timezone.utc).isoformat(),
        "body": public_url("events.event_detail", event_id=event.id), "location": event.venue or "Online"})
