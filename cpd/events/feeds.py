"""The member's private calendar feed: a secret address they can reset.

Functions flush, never commit; the caller commits once."""
import secrets

import sqlalchemy as sa

from cpd.core.errors import NotFound
from cpd.events.models import Booking, CalendarFeed, Event
from cpd.extensions import db


# --- the member's private calendar feed --------------------------------------------------------

def calendar_feed_for(member, reset=False):
    """The member's secret calendar address; reset gives a new one and the old stops working."""
    feed = db.session.get(CalendarFeed, member.id)
    if feed is None:
        feed = CalendarFeed(member_id=member.id, token=secrets.token_urlsafe(24))
        db.session.add(feed)
    elif reset:
        feed.token = secrets.token_urlsafe(24)
    db.session.flush()
    return feed


def events_in_feed(token):
    feed = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.token == token[:64]))
    if feed is None:
        raise NotFound("No such calendar.")
    return db.session.scalars(
        sa.select(Event).join(Booking, Booking.event_id == Event.id)
        .where(Booking.member_id == feed.member_id, Booking.status == "confirmed")
        .order_by(Event.starts_at)
    ).all()
