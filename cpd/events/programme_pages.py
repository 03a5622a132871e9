"""Pages of the programme kept rendered, per worker, under the revisions of the events on them.

A page's key is what it shows: who asks (staff see more), the search, how many events match, and the
id, creation time (an id can be used again once its event is gone) and revision of each event on the
page (Event.revision moves in the transaction of every change to the row, its seat figures, sessions
and prices). Two cheap reads find the key; a page is rendered
again only when the key is new, so a kept page is never stale. Whether an event is open for booking
changes with the clock alone: a kept page lasts until the next opening, closing or start among its
events. The key's digest is also the page's ETag, so a client that has the page gets 304.
"""
import hashlib
import threading
from collections import OrderedDict

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from cpd.core.models import utcnow
from cpd.core.pagination import count_rows
from cpd.events.models import Event, EventPrice, ProgrammeSession
from cpd.extensions import db

KEPT_PAGES = 256  # per worker; a page of 50 events is some 40 KB


class PageKey:
    """What a page of the programme shows, read in two queries; its digest names the page.
    `search` is the search's filters (the `statement` event_search made of them)."""

    def __init__(self, search, statement, page, per_page, audience):
        self.total = count_rows(statement.with_only_columns(Event.id))
        self.rows = db.session.execute(statement.with_only_columns(
            Event.id, Event.revision, Event.created_at, Event.starts_at, Event.booking_opens_at,
            Event.booking_closes_at)
            .limit(per_page).offset((page - 1) * per_page)).all()
        parts = [audience, sorted(search.items()), page, per_page, self.total,
                 *((row.id, row.revision, row.created_at.isoformat()) for row in self.rows)]
        self.digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()

    def lasts_until(self):
        """The next moment the clock alone changes the page: an opening, a closing or a start."""
        now = utcnow()
        moments = [moment for row in self.rows for moment in (row.starts_at, row.booking_opens_at,
                                                               row.booking_closes_at)
                   if moment is not None and moment > now]
        return min(moments, default=None)


class KeptPages:
    """A bounded store of rendered pages (least recently used go first), safe across threads."""

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


def page(search, statement, page_number, per_page, audience, render):
    """(ETag, body) of a page of the programme: kept, or rendered by `render(total)` and kept."""
    key = PageKey(search, statement, page_number, per_page, audience)
    body = kept_pages.get(key.digest)
    if body is None:
        body = render(key.total)
        kept_pages.put(key.digest, body, key.lasts_until())
    return key.digest, body


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
