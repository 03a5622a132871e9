"""Profile one kind of request end to end, in process, against the database `make bench` filled:

    python -m bench.profile list|event|summary|book [--requests 300] [--top 30]

DATABASE_URL chooses the database (PostgreSQL: its schema cpd_bench), else bench/bench.sqlite3. Prints the time
per request without the profiler, then the top frames by cumulative time with it. The requests go
through Flask's test client: everything of ours and of Flask's, nothing of gunicorn's.
"""
import argparse
import cProfile
import io
import os
import pstats
import random
import time

import sqlalchemy as sa

from bench.generate import token_for
from bench.run import BENCH, PG_SCHEMA, make_app


def bench_database_url():
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{BENCH / 'bench.sqlite3'}"
    if url.startswith("sqlite"):
        return url
    from cpd.settings import normalise_database_url

    return sa.engine.make_url(normalise_database_url(url)).update_query_dict(
        {"options": f"-csearch_path={PG_SCHEMA}"}).render_as_string(hide_password=False)


def requests_of(app, kind, rng):
    """A function making one request of `kind`, with the bench's members and events."""
    from cpd.auth.models import ApiToken
    from cpd.core.models import utcnow
    from cpd.events.models import Event
    from cpd.extensions import db

    with app.app_context():
        members = db.session.scalars(sa.select(ApiToken.member_id).order_by(ApiToken.id).limit(2000)).all()
        events = db.session.scalars(sa.select(Event.id).where(Event.status == "published").order_by(Event.id)).all()
        upcoming = db.session.scalars(sa.select(Event.id).where(Event.starts_at > utcnow())
                                      .order_by(Event.capacity.desc(), Event.id).limit(4)).all()
    client = app.test_client()

    def headers():
        return {"Authorization": f"Bearer {token_for(rng.choice(members))}"}

    def book():
        signed_in = headers()
        made = client.post(f"/api/v1/events/{rng.choice(upcoming)}/bookings", headers=signed_in)
        if made.status_code == 201:
            client.delete(f"/api/v1/bookings/{made.get_json()['id']}", headers=signed_in)
        return made

    return {
        "list": lambda: client.get("/api/v1/events?per_page=50"),
        "event": lambda: client.get(f"/api/v1/events/{rng.choice(events)}"),
        "summary": lambda: client.get("/api/v1/me/cpd-summary", headers=headers()),
        "bare": lambda: client.get("/healthz"),
        "book": book,
    }[kind]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["list", "event", "summary", "book", "bare"])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    app = make_app(bench_database_url())
    one = requests_of(app, args.kind, random.Random(1))
    for _ in range(20):
        one()
    started = time.perf_counter()
    for _ in range(args.requests):
        one()
    each = (time.perf_counter() - started) / args.requests
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        one()
    profile.disable()
    report = io.StringIO()
    pstats.Stats(profile, stream=report).sort_stats("cumulative").print_stats(args.top)
    print(f"{args.kind}: {each * 1000:.2f} ms a request in process ({args.requests} requests)\n")
    print(report.getvalue().replace(os.getcwd() + "/", ""))


if __name__ == "__main__":
    main()
