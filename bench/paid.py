"""The paid scenarios of `make bench`: a rush for the five seats of one paid event (hold a seat by
card, with its order and a PaymentIntent at localstripe, then cancel it, over and over), once as it
is and once with a gunicorn worker SIGKILLed mid-rush; then a burst of 500 signed webhooks.

Seats held per minute are counted from the orders the run made (each hold makes one). After each
rush the seat figures are proven against a count of the bookings (`flask events recount --check`)
and no event holds or seats more than its capacity."""
import hashlib
import hmac
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import sqlalchemy as sa

WEBHOOK_SECRET = "whsec_bench"
# Production refuses a payment provider on a private plain-HTTP address (localstripe's), so these
# servers run with CPD_ENV=testing: the same code and database, the same gunicorn workers.
STRIPE = {"STRIPE_SECRET_KEY": "sk_test_bench", "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "CPD_ENV": "testing"}


def _paid_event(app, title):
    from datetime import timedelta

    from cpd.core.models import utcnow
    from cpd.events.models import Event, EventPrice
    from cpd.extensions import db

    with app.app_context():
        start = utcnow().replace(microsecond=0) + timedelta(days=30)
        event = Event(kind="course", title=title, status="published", capacity=5, starts_at=start,
                      ends_at=start + timedelta(hours=6), timezone="Europe/London", cpd_activity_type="formal_educational")
        event.prices = [EventPrice(name="Standard", amount=Decimal("120.00"), vat_rate=Decimal("0.20"),
                                   eligibility="anyone", position=0)]
        db.session.add(event)
        db.session.commit()
        return event.id, event.prices[0].id


def _orders_of(app, event_id):
    from cpd.extensions import db
    from cpd.payments.models import Order

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Order).where(Order.event_id == event_id))


def _over_capacity(app):
    from cpd.events.models import Event
    from cpd.extensions import db

    with app.app_context():
        db.session.expire_all()
        return db.session.scalar(sa.select(sa.func.count()).select_from(Event).where(
            Event.capacity.is_not(None), Event.confirmed_count + Event.held_count > Event.capacity))


def _recount_check(url):
    env = {**os.environ, "CPD_ENV": "testing", "DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "events", "recount", "--check"],
                          env=env, capture_output=True, text=True).returncode


def _kill_a_worker_later(master_pid, after):
    def kill():
        time.sleep(after)
        children = _workers_of(master_pid)
        if children:
            os.kill(children[0], signal.SIGKILL)
    thread = threading.Thread(target=kill, daemon=True)
    thread.start()
    return thread


def _workers_of(pid):
    """The worker processes of a gunicorn master (Linux /proc)."""
    from pathlib import Path

    return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()]


def _rush(url, app, tokens, args, wrk, kill):
    event_id, price_id = _paid_event(app, "Paid rush" + (" (a worker killed)" if kill else ""))
    from bench.run import start_server

    process, base = start_server(url, args.workers, extra_env=STRIPE_ENV)
    try:
        killer = _kill_a_worker_later(process.pid, args.duration / 2) if kill else None
        figures = wrk(base, "/", args.duration, 8, threads=8, script="paid_hold_cancel.lua",
                      script_args=[str(tokens), str(event_id), str(price_id), "8"], warmup=0)
        if killer:
            killer.join()
    finally:
        process.terminate()
        process.wait(timeout=30)
    holds = _orders_of(app, event_id)
    figures.update(holds=holds, holds_per_minute=holds * 60 / args.duration, over_capacity=_over_capacity(app),
                   recount_check=_recount_check(url))
    return figures, event_id


STRIPE_ENV = {}


def _signed(event):
    payload = json.dumps(event).encode()
    at = int(time.time())
    signature = hmac.new(WEBHOOK_SECRET.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={at},v1={signature}"


def _webhook_burst(url, app, args, event_id):
    """500 signed events (a failure report for each open order of the rush, some of them twice) posted
    by 16 threads: each request's time, p50 and p99."""
    from bench.run import start_server
    from cpd.extensions import db
    from cpd.payments.models import Order

    with app.app_context():
        references = db.session.scalars(sa.select(Order.provider_reference).where(
            Order.event_id == event_id, Order.provider_reference.is_not(None)).limit(400)).all() or ["pi_none"]
    events = []
    for number in range(500):
        reference = references[number % len(references)]
        events.append({"id": f"evt_bench_{number % 450}", "object": "event", "type": "payment_intent.payment_failed",
                       "data": {"object": {"id": reference, "object": "payment_intent",
                                           "last_payment_error": {"message": "Your card was declined."}}}})
    process, base = start_server(url, args.workers, extra_env=STRIPE_ENV)
    timings, statuses = [], []

    def post(event):
        payload, signature = _signed(event)
        request = urllib.request.Request(f"{base}/api/v1/payments/stripe/webhook", data=payload, method="POST",
                                         headers={"Stripe-Signature": signature, "Content-Type": "application/json"})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as answer:
            statuses.append(answer.status)
        timings.append((time.perf_counter() - started) * 1000)

    try:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(post, events))
        elapsed = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=30)
    timings.sort()
    return {"rps": len(events) / elapsed, "p50": statistics.median(timings),
            "p99": timings[int(len(timings) * 0.99) - 1], "requests": len(events),
            "errors": sum(1 for status in statuses if status != 200)}


def paid_scenarios(url, data, args, app, wrk, tokens):
    from tests.servers import start_localstripe

    stripe = start_localstripe()
    STRIPE_ENV.update(STRIPE, STRIPE_API_BASE=stripe.base)
    try:
        rush, event_id = _rush(url, app, tokens, args, wrk, kill=False)
        killed, _ = _rush(url, app, tokens, args, wrk, kill=True)
        burst = _webhook_burst(url, app, args, event_id)
    finally:
        stripe.stop()
    return {"paid rush (5 seats, hold then cancel)": rush, "paid rush, a worker SIGKILLed mid-rush": killed,
            "webhook burst (500 signed events)": burst}
