"""The rush again, across processes: gunicorn with several workers, each with its own
connections, serving the same database (PostgreSQL in CI, SQLite locally)."""
import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from cpd.events.models import Booking
from cpd.extensions import db

WORKERS = 4
RUSH = 40
SEATS = 5


@pytest.fixture
def gunicorn_server(database_url, serve_with_gunicorn):
    return serve_with_gunicorn(database_url, workers=WORKERS)


def _post(url, headers):
    request = urllib.request.Request(url, data=b"", method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_several_gunicorn_workers_never_overbook(app, gunicorn_server, create_event, create_member, auth_headers):
    event = create_event(capacity=SEATS)
    headers = [auth_headers(create_member()) for _ in range(RUSH)]
    barrier = threading.Barrier(RUSH)
    url = f"{gunicorn_server}/api/v1/events/{event.id}/bookings"

    def rush(header):
        barrier.wait()
        return _post(url, header)

    with ThreadPoolExecutor(max_workers=RUSH) as pool:
        results = list(pool.map(rush, headers))

    assert [status for status, _ in results] == [201] * RUSH
    assert sorted(body["status"] for _, body in results).count("confirmed") == SEATS
    assert sorted(body["waitlist_position"] for _, body in results if body["status"] == "waitlisted") == list(
        range(1, RUSH - SEATS + 1))
    with app.app_context():
        confirmed = db.session.scalar(
            sa.select(sa.func.count()).where(Booking.event_id == event.id, Booking.status == "confirmed"))
    assert confirmed == SEATS
    recount = app.test_cli_runner().invoke(args=["events", "recount", "--check"])
    assert recount.exit_code == 0 and "match its bookings" in recount.output
