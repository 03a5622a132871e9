"""The years figures are asked for: their bounds, which have data, and the events counted in a year by
the start in their own timezone."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from cpd.core.errors import Invalid
from cpd.events.models import Event
from cpd.extensions import db
from cpd.engagement.models import Engagement, TechnicalSupporter
from cpd.members.models import Member
from cpd.records.models import CpdRecord


def year_bounds(year):
    start = datetime(year, 1, 1, tzinfo=timezone.utc)
    end = datetime(year + 1, 1, 1, tzinfo=timezone.utc)
    return start, end


def years_with_data():
    """(first, last) years the figures can speak of: from the first sign of activity to next year."""
    row = db.session.execute(sa.select(
        sa.select(sa.func.min(Member.created_at)).scalar_subquery(),
        sa.select(sa.func.min(Event.starts_at)).scalar_subquery(),
        sa.select(sa.func.min(CpdRecord.ended_on)).scalar_subquery(),
        sa.select(sa.func.min(Member.joined_on)).scalar_subquery(),
        sa.select(sa.func.min(Engagement.happened_on)).scalar_subquery(),
        sa.select(sa.func.min(TechnicalSupporter.since)).scalar_subquery(),
    )).one()
    years = [int(str(value)[:4]) for value in row if value is not None]
    this_year = datetime.now(timezone.utc).year
    return (min(years) if years else this_year), this_year + 1


def check_year(year):
    first, last = years_with_data()
    if not first <= year <= last:
        raise Invalid.on_field("year", f"We hold figures from {first} to {last}; {year} is outside them.")


def event_zones():
    """The time zones events are held in (a handful), for cutting years in local time."""
    return db.session.scalars(sa.select(Event.timezone).distinct()).all()


def starts_in_local_year(year, zones):
    """SQL: the event starts in `year` in its own time zone (an Auckland New Year lecture at 00:30
    on 1 January belongs to the new year, though it is still the old one in UTC)."""
    def bounds(zone):
        tz = ZoneInfo(zone)
        return (datetime(year, 1, 1, tzinfo=tz).astimezone(timezone.utc),
                datetime(year + 1, 1, 1, tzinfo=tz).astimezone(timezone.utc))
    return sa.or_(sa.false(), *[sa.and_(Event.timezone == zone, Event.starts_at >= bounds(zone)[0],
                                        Event.starts_at < bounds(zone)[1]) for zone in zones])
