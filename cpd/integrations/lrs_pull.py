"""`flask xapi pull`: read completions from the body's learning record store, from where the last
pull stopped.

xAPI 1.0.3, part three, 2.1.3 (GET statements): `since` (exclusive, on the `stored` time),
`ascending`, `limit`, and the `more` IRL of each page until it is empty. Every statement is read
(not every store applies the `verb` filter: Ralph's file-system backend answers none); those with
verbs not taken here are left alone, and one we cannot read is counted and passed over (it stays in
the store), never a reason to stop."""
import base64
import json
from datetime import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

from flask import current_app

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.integrations import transport, xapi, xapi_statements
from cpd.integrations.models import LrsPullCursor

PAGE_SIZE = 500
MOST_PAGES = 1000  # a store that keeps answering `more` is stopped, not followed for ever
PAGE_BYTES = 20 * 1024 * 1024


class PullFailed(Exception):
    """The store could not be read (its address, its answer)."""


@dataclass
class Pulled:
    taken: int = 0  # new here
    left_alone: int = 0  # other verbs
    passed_over: int = 0  # unreadable
    pages: int = 0
    errors: list = field(default_factory=list)


def _headers(key, secret):
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3", "Accept": "application/json"}


def _get(url, headers):
    public_only = current_app.config["ENV_NAME"] == "production"
    try:
        reply = transport.request("GET", url, headers, public_only, read_limit=PAGE_BYTES, whole=True)
    except transport.Refused as error:
        raise PullFailed(f"{url} may not be read: {error}") from None
    except OSError as error:
        raise PullFailed(f"{url} could not be read: {error}") from None
    if reply.status != 200:
        raise PullFailed(f"{url} answered {reply.status}: {reply.body[:200].decode('utf-8', 'replace')}")
    try:
        page = json.loads(reply.body)
    except ValueError:
        raise PullFailed(f"{url} did not answer JSON.") from None
    if not isinstance(page, dict) or not isinstance(page.get("statements"), list):
        raise PullFailed(f"{url} did not answer a StatementResult.")
    return page


def _take_page(statements, system, pulled):
    """Take the readable statements of one page (each batch whole: the unreadable are set aside first)."""
    now = utcnow()
    readable = []
    for raw in statements:
        verb = raw.get("verb") if isinstance(raw, dict) else None
        if not isinstance(verb, dict) or verb.get("id") not in xapi_statements.VERBS:
            pulled.left_alone += 1
            continue
        try:
            xapi_statements.read(raw, now)
            readable.append(raw)
        except xapi_statements.StatementError as error:
            pulled.passed_over += 1
            pulled.errors.append(f"{raw.get('id') if isinstance(raw, dict) else '?'}: {error}")
    if readable:
        pulled.taken += xapi.take(readable, system, now)[1]


def _stored_times(statements):
    return [raw["stored"] for raw in statements if isinstance(raw, dict) and isinstance(raw.get("stored"), str)]


def pull(lrs_url=None, key=None, secret=None):
    """Pull what the store has taken since the last pull; Pulled (counts). Commits page by page, so
    an interrupted pull keeps what it took; the cursor moves once the last page has been read."""
    config = current_app.config
    lrs_url, key, secret = lrs_url or config["LRS_URL"], key or config["LRS_KEY"], secret or config["LRS_SECRET"]
    if not lrs_url:
        raise PullFailed("Set LRS_URL (the learning record store's xAPI address), LRS_KEY and LRS_SECRET.")
    base = lrs_url if lrs_url.endswith("/") else lrs_url + "/"
    system = urlsplit(base).hostname or base
    cursor = db.session.get(LrsPullCursor, base)
    since = cursor.since if cursor else None
    headers, pulled, latest = _headers(key, secret), Pulled(), [since] if since else []
    query = {"ascending": "true", "limit": PAGE_SIZE, **({"since": since} if since else {})}
    url = urljoin(base, "statements") + "?" + urlencode(query)
    while url and pulled.pages < MOST_PAGES:
        page = _get(url, headers)
        pulled.pages += 1
        _take_page(page["statements"], system, pulled)
        latest.extend(_stored_times(page["statements"]))
        db.session.commit()
        more = page.get("more") or ""
        url = urljoin(base, more) if more else None
    if latest:
        _move_cursor(base, max(latest, key=_moment))
    return pulled


def _moment(stored):
    return datetime.fromisoformat(stored.replace("Z", "+00:00"))


def _move_cursor(base, since):
    cursor = db.session.get(LrsPullCursor, base)
    if cursor is None:
        db.session.add(LrsPullCursor(lrs_url=base, since=since, pulled_at=utcnow()))
    else:
        cursor.since, cursor.pulled_at = since, utcnow()
    db.session.commit()
