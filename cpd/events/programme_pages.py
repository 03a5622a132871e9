"""Pages of the programme and event pages kept rendered, per worker, under the revisions of the
events on them.

A page's key is what it shows: who asks (staff see more), the search, how many events match, and the
id, creation time (an id can be used again once its event is gone) and revision of each event on the
page (Event.revision moves in the transaction of every change to the row, its seat figures, sessions
and prices). Two cheap reads find the key; a page is rendered
again only when the key is new, so a kept page is never stale. Whether an event is open for booking
changes with the clock alone: a kept page lasts until the next opening, closing or start among its
events. The key's digest is also the page's ETag, so a client that has the page gets 304.

An event's own page is kept the same way, under its id, creation time and revision (one read by
primary key), when it is the same for everyone who may see it: not a draft (only its managers see
those), and without the joining link (which goes to some signed-in callers only: theirs is rendered
each time).
"""
import hashlib
import threading
from collections import OrderedDict

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from cpd.core.models import utcnow
from cpd.events import permissions
from cpd.events.models import Event, EventPrice, ProgrammeSession
from cpd.extensions import db

KEPT_PAGES = 256  # per worker; a page of 50 events is some 40 KB
KEPT_EVENT_PAGES = 4096  # per worker; an event's page is one to a few KB


class PageKey:
    """What a page of the programme shows, read in two queries; its digest names the page.
    `search` is the search's filters (the `statement` event_search made of them). The reads go to
    the connection, not the ORM session, and take only what names the page (the times that bound
    how long it lasts are those of the events rendered): parsing four times of fifty rows, and the
    session's handling of each row, were half of the key's cost. (A count over a window beside the
    rows, one query, measured five times slower on SQLite: it reads the whole search where the page
    alone walks the index.)"""

    def __init__(self, search, statement, page, per_page, audience):
        connection = db.session.connection()
        counting, listing = _key_statements(search, statement, page, per_page, audience)
        self.total = connection.execute(counting).scalar_one()
        self.rows = connection.execute(listing).all()
        self.digest = _digest(audience, sorted(search.items()), page, per_page, self.total, *map(tuple, self.rows))


def _digest(*parts):
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _key_statements(search, statement, page, per_page, audience):
    """The count and the page's (id, revision, creation time as stored) of a search: built once
    for each search asked often, since building and caching a statement costs as much as running it."""
    which = (audience, tuple(sorted(search.items())), page, per_page)
    made = kept_statements.get(which)
    if made is None:
        listed = statement.with_only_columns(Event.id, Event.revision, _stored(Event.created_at))
        made = (sa.select(sa.func.count()).select_from(statement.with_only_columns(Event.id).order_by(None)
                                                       .subquery()),
                listed.limit(per_page).offset((page - 1) * per_page))
        kept_statements.put(which, made, None)
    return made


def _stored(column):
    """A time as the database gives it, unparsed: it only names a page."""
    return sa.type_coerce(column, sa.String).label(column.key)


def next_change_by_the_clock(events):
    """The next moment the clock alone changes a page of these events: an opening, a closing or a start."""
    now = utcnow()
    moments = [moment for event in events for moment in (event.starts_at, event.booking_opens_at,
                                                         event.booking_closes_at)
               if moment is not None and moment > now]
    return min(moments, default=None)


class KeptPages:
    """A bounded store (least recently used go first), safe across threads: rendered pages, or the
    statements that name them."""

    def __init__(self, size=KEPT_PAGES):
        self._pages = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, digest):
        with self._lock:
            kept = self._pages.get(digest)
            if kept is None:
                return None
            body, until = kept
            if until is not None and until <= utcnow():
                del self._pages[digest]
                return None
            self._pages.move_to_end(digest)
            return body

    def put(self, digest, body, until):
        with self._lock:
            self._pages[digest] = (body, until)
            self._pages.move_to_end(digest)
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)

    def clear(self):
        with self._lock:
            self._pages.clear()


kept_pages = KeptPages()
kept_event_pages = KeptPages(KEPT_EVENT_PAGES)
kept_statements = KeptPages()  # (audience, search, page, per_page) -> the page key's two statements


def page(search, statement, page_number, per_page, audience, render):
    """(ETag, body) of a page of the programme: kept, or rendered by `render(total)` (the body and
    the events on it) and kept."""
    key = PageKey(search, statement, page_number, per_page, audience)
    body = kept_pages.get(key.digest)
    if body is None:
        body, events = render(key.total)
        kept_pages.put(key.digest, body, next_change_by_the_clock(events))
    return key.digest, body


_events = Event.__table__
_EVENT_PAGE_KEY = sa.select(_events.c.revision, _stored(_events.c.created_at), _events.c.status,
                            _events.c.online_url).where(_events.c.id == sa.bindparam("event_id"))


def event_page(actor, event_id, render):
    """(ETag, body) of the event's page, kept or rendered by `render()` (the body and the event, for
    a caller not given the joining link) and kept; None when the page is not kept for this caller (a
    draft, an event with a joining link asked for by someone signed in, or no such event): the
    caller renders it."""
    key = db.session.connection().execute(_EVENT_PAGE_KEY, {"event_id": event_id}).first()
    if key is None or not permissions.is_visible_to_all(key) or permissions.may_be_given_the_link(actor, key):
        return None
    digest = _digest("event", event_id, key.revision, key.created_at)
    body = kept_event_pages.get(digest)
    if body is None:
        body, shown = render()
        kept_event_pages.put(digest, body, next_change_by_the_clock([shown]))
    return digest, body


@event.listens_for(Session, "after_flush")
def _revise_events_of_changed_parts(session, flush_context):
    """An event whose programme sessions or prices changed is revised too (its own row's changes
    revise it already, through the column's onupdate), in the same transaction."""
    event_ids = {obj.event_id for obj in (*session.new, *session.dirty, *session.deleted)
                 if isinstance(obj, (ProgrammeSession, EventPrice)) and obj.event_id is not None}
    if event_ids:
        events = Event.__table__
        session.connection().execute(sa.update(events).where(events.c.id.in_(event_ids)).values(
            revision=events.c.revision + 1, updated_at=events.c.updated_at))
