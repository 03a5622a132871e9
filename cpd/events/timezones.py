"""VTIMEZONE components that every calendar client reads alike.

icalendar's generated VTIMEZONE lists each past transition as RDATEs, which strict readers
(dateutil, through vobject) misread: a January event in London came out at +01:00. Here a zone
is described by its current rules, as RFC 5545 §3.6.5 shows and most calendars publish them: one
STANDARD and one DAYLIGHT observance, each a yearly RRULE ("the last Sunday of March at 01:00"),
found from the tz database (zoneinfo) for the year asked about.
"""
import calendar as month_calendar
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
EPOCH_YEAR = 1970


def _offset_at(zone, moment):
    return moment.astimezone(zone).utcoffset()


def _transitions(zone, year):
    """[(the UTC instant, offset before, offset after)] of the changes of offset in `year`."""
    found = []
    day = datetime(year, 1, 1, 12, tzinfo=timezone.utc)
    before = _offset_at(zone, day)
    while day.year == year:
        following = day + timedelta(days=1)
        after = _offset_at(zone, following)
        if after != before:
            low, high = day, following  # the change lies in (low, high]: narrow it to the minute
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if _offset_at(zone, middle) == before:
                    low = middle
                else:
                    high = middle
            found.append((high.replace(second=0, microsecond=0), before, after))
        day, before = following, after
    return found


def _yearly_rule(local_start):
    """RRULE for "the n-th (or last) weekday of this month", as the transition fell in its year."""
    day, month = local_start.day, local_start.month
    last_day = month_calendar.monthrange(local_start.year, month)[1]
    ordinal = -1 if day + 7 > last_day else (day - 1) // 7 + 1
    return {"freq": "yearly", "bymonth": month, "byday": f"{ordinal}{WEEKDAYS[local_start.weekday()]}"}


def _first_in_epoch(rule, local_start):
    """The rule's date in 1970 at the transition's wall-clock time: the observance's DTSTART."""
    weekday = WEEKDAYS.index(rule["byday"][-2:])
    ordinal = int(rule["byday"][:-2])
    days = [d for d in range(1, month_calendar.monthrange(EPOCH_YEAR, rule["bymonth"])[1] + 1)
            if datetime(EPOCH_YEAR, rule["bymonth"], d).weekday() == weekday]
    day = days[ordinal - 1] if ordinal > 0 else days[ordinal]
    return datetime(EPOCH_YEAR, rule["bymonth"], day, local_start.hour, local_start.minute)


def vtimezone(zone_name, year):
    """A VTIMEZONE for `zone_name` with the rules in force in `year`."""
    zone = ZoneInfo(zone_name)
    component = Timezone()
    component.add("tzid", zone_name)
    changes = _transitions(zone, year)
    if len(changes) != 2:  # no daylight saving (or an irregular year): one fixed offset
        moment = datetime(year, 7, 1, tzinfo=timezone.utc)
        offset = _offset_at(zone, moment)
        standard = TimezoneStandard()
        standard.add("dtstart", datetime(EPOCH_YEAR, 1, 1))
        standard.add("tzoffsetfrom", offset)
        standard.add("tzoffsetto", offset)
        standard.add("tzname", moment.astimezone(zone).tzname())
        component.add_component(standard)
        return component
    for instant, before, after in changes:
        local_start = (instant + before).replace(tzinfo=None)  # the wall clock as the change comes
        observance = TimezoneDaylight() if after > before else TimezoneStandard()
        rule = _yearly_rule(local_start)
        observance.add("dtstart", _first_in_epoch(rule, local_start))
        observance.add("rrule", rule)
        observance.add("tzoffsetfrom", before)
        observance.add("tzoffsetto", after)
        observance.add("tzname", instant.astimezone(zone).tzname())
        component.add_component(observance)
    return component
