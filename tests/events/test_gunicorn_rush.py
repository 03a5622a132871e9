"""The rush again, across processes: gunicorn with several workers, each with its own
connections, serving the same database (PostgreSQL in CI, SQLite locally)."""
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from cpd.events.models import Booking
from cpd.extensions import db

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
RUSH = 40
SEATS = 5


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn_server(database_url):
    port = _free_port()
    env = {**os.environ, "CPD_ENV": "testing", "DATABASE_URL": database_url, "RATELIMIT_ENABLED": "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "--timeout", "60",
         "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/v1/cpd-policies", timeout=5)
            break
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail(f"gunicorn did not start: {process.stderr.read().decode()[-2000:]}")
    yield base
    process.terminate()
    process.wait(timeout=20)


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
