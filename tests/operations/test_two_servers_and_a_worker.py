"""Proof on this machine: two gunicorn servers, one background worker and the schedule against the
same database and Redis, as deployed. Members book through both servers; a fake SMTP server on
127.0.0.1 (aiosmtpd) counts what arrives: every confirmation exactly once, though the worker is
stopped mid-queue and started again (a job it had taken off the queue when the stop came is found
by the schedule's sweep a minute after its notice was written)."""
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa
from redis import Redis

from cpd.notices.models import Notice
from cpd.extensions import db
from tests.operations.test_operations import REDIS, queued_app  # noqa: F401 (a fixture)
from tests.servers import free_port, start_gunicorn

ROOT = Path(__file__).resolve().parents[2]
BOOKERS = 12


class Inbox:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.extend(envelope.rcpt_tos)
        return "250 OK"


def wait_for(check, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def queue_is_idle(connection):
    """Nothing waiting and nothing in hand: every job the worker was given has run to its end."""
    from rq import Queue
    from rq.registry import StartedJobRegistry

    queue = Queue("cpd", connection=connection)
    return len(queue) == 0 and StartedJobRegistry(queue=queue).count == 0


def outbox_state(app, inbox):
    """What the failure message shows: who has mail, and each unsent notice's attempts and error."""
    with app.app_context():
        unsent = db.session.execute(sa.select(Notice.id, Notice.attempts, Notice.next_attempt_at, Notice.last_error)
                                    .where(Notice.sent_at.is_(None))).all()
    return {"received": sorted(inbox.received), "unsent": unsent}


def test_bookings_through_two_servers_are_confirmed_once_each_by_the_worker(app, queued_app, create_member,
                                                                            create_event, auth_headers):
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = {**os.environ, "CPD_ENV": "testing", "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "REDIS_URL": REDIS, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port), "MAIL_USE_TLS": "0",
           "RATELIMIT_ENABLED": "0", "UPLOAD_DIR": app.config["UPLOAD_DIR"]}
    env.pop("TEST_DATABASE_URL", None)
    servers, worker, schedule = [], None, None
    event = create_event(capacity=BOOKERS + 5, title="Two-server rush")
    people = [create_member(email=f"booker{n}@example.org") for n in range(BOOKERS)]
    headers = [auth_headers(person) for person in people]
    try:
        bases = []
        for _ in range(2):
            servers.append(start_gunicorn(env, workers=2))
            bases.append(servers[-1].base)

        for number, header in enumerate(headers):
            request = urllib.request.Request(f"{bases[number % 2]}/api/v1/events/{event.id}/bookings", method="POST",
                                             headers={**header, "Content-Type": "application/json"}, data=b"{}")
            assert urllib.request.urlopen(request, timeout=20).status == 201

        flask = [sys.executable, "-m", "flask", "--app", "wsgi", "worker"]
        worker = subprocess.Popen(flask, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_for(lambda: len(inbox.received) >= 3), "the worker delivered nothing"
        worker.send_signal(signal.SIGTERM)  # stopped mid-queue (it finishes the notice in hand)
        worker.wait(timeout=30)
        worker = subprocess.Popen(flask, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        schedule = subprocess.Popen([*flask[:-1], "schedule", "run", "--every", "5"], cwd=ROOT, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_for(lambda: len(inbox.received) >= BOOKERS, seconds=120), outbox_state(app, inbox)
        # Every job has run to its end, so a duplicate would have arrived by now.
        assert wait_for(lambda: queue_is_idle(Redis.from_url(REDIS)), seconds=30)
    finally:
        for server in servers:
            server.stop()
        for process in (worker, schedule):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
        smtp.stop()
    assert sorted(inbox.received) == sorted(f"booker{n}@example.org" for n in range(BOOKERS))
    with app.app_context():
        unsent = db.session.scalar(sa.select(sa.func.count()).select_from(Notice).where(Notice.sent_at.is_(None)))
    assert unsent == 0
