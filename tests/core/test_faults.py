"""Faults: the database away gives a clear 503; a request that fails halfway leaves nothing behind;
a worker killed in a booking rush leaves no overbooking and no orphan rows."""
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from cpd import create_app
from cpd.events import notices
from cpd.events.models import Booking
from cpd.notices.models import Notice
from cpd.extensions import db


def test_an_unreachable_database_is_a_503_with_a_json_body_or_a_page(tmp_path):
    # Nothing listens on port 9: every connection is refused.
    app = create_app({"CPD_ENV": "testing",
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"})
    client = app.test_client()
    api = client.get("/api/v1/events")
    assert api.status_code == 503 and api.is_json
    assert api.headers["Retry-After"] == "5"
    assert "try again" in api.get_json()["message"]
    page = client.get("/events")
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").status_code == 200


def test_a_request_that_fails_between_two_writes_leaves_nothing(client, app, create_event, create_member,
                                                               auth_headers, monkeypatch):
    event = create_event(capacity=3)
    headers = auth_headers(create_member())

    def broken_outbox(*args, **kwargs):
        raise RuntimeError("the outbox write failed")

    monkeypatch.setattr(notices, "queue", broken_outbox)
    response = client.post(f"/api/v1/events/{event.id}/bookings", headers=headers)
    assert response.status_code == 500 and response.is_json
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Notice)) == 0
    monkeypatch.undo()
    assert client.post(f"/api/v1/events/{event.id}/bookings", headers=headers).status_code == 201


def _post(url, headers):
    request = urllib.request.Request(url, data=b"", method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None  # the worker serving it was killed


def _worker_pids(master_port):
    import subprocess

    out = subprocess.run(["pgrep", "-f", f"127.0.0.1:{master_port}"], capture_output=True, text=True).stdout
    return sorted(int(pid) for pid in out.split())


def test_a_worker_killed_during_a_rush_leaves_no_overbooking_and_no_orphans(app, database_url, serve_with_gunicorn,
                                                                           create_event, create_member, auth_headers):
    seats, rush = 5, 60
    base = serve_with_gunicorn(database_url, workers=4)
    port = base.rsplit(":", 1)[1]
    event = create_event(capacity=seats)
    headers = [auth_headers(create_member()) for _ in range(rush)]
    barrier = threading.Barrier(rush + 1)

    def book(header):
        barrier.wait()
        return _post(f"{base}/api/v1/events/{event.id}/bookings", header)

    with ThreadPoolExecutor(max_workers=rush) as pool:
        futures = [pool.submit(book, h) for h in headers]
        barrier.wait()
        time.sleep(0.05)
        pids = _worker_pids(port)
        os.kill(pids[-1], signal.SIGKILL)  # a worker (the master is the lowest pid)
        statuses = [f.result() for f in futures]

    assert statuses.count(201) >= rush // 2
    with app.app_context():
        confirmed = db.session.scalar(sa.select(sa.func.count()).where(
            Booking.event_id == event.id, Booking.status == "confirmed"))
        bookings = db.session.scalar(sa.select(sa.func.count()).where(Booking.event_id == event.id))
        told = db.session.scalar(sa.select(sa.func.count()).where(
            Notice.event_id == event.id, Notice.kind.in_(("booking_confirmed", "waitlisted"))))
    assert confirmed == seats
    # A request killed mid-flight may or may not have committed; a committed one is whole.
    assert statuses.count(201) <= bookings <= statuses.count(201) + statuses.count(None)
    assert told == bookings  # every booking has its notice and no notice lacks its booking



def test_the_service_recovers_by_itself_when_the_database_returns(tmp_path):
    from flask_migrate import upgrade

    home = tmp_path / "db"
    home.mkdir()
    app = create_app({"CPD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{home / 'cpd.sqlite3'}"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    client = app.test_client()
    away = tmp_path / "away"
    home.rename(away)  # the database goes away
    assert client.get("/api/v1/cpd-policies").status_code == 503
    away.rename(home)  # and comes back: no restart needed
    response = client.get("/api/v1/cpd-policies")
    assert response.status_code == 200 and response.get_json()["total"] == 6
