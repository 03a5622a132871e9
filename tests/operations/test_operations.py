"""Running the service: request ids and JSON request logs, /metrics for Prometheus, reads routed to
a replica, and notices delivered by the background worker once each, Redis down or not."""
import logging
import os
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cpd import create_app
from cpd.core.background import work_queue
from cpd.notices.models import Notice
from cpd.core.models import utcnow
from cpd.extensions import db

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_a_request_id_is_accepted_echoed_and_logged(client, caplog):
    with caplog.at_level(logging.INFO, logger="cpd.requests"):
        given = client.get("/healthz", headers={"X-Request-ID": "trace-42.a"})
        made = client.get("/events")
        refused = client.get("/healthz", headers={"X-Request-ID": "no spaces or <tags>"})
    assert given.headers["X-Request-ID"] == "trace-42.a"
    assert len(made.headers["X-Request-ID"]) == 32 and refused.headers["X-Request-ID"] != "no spaces or <tags>"
    lines = [record.fields for record in caplog.records if record.name == "cpd.requests"]
    assert lines[0] | {"duration_ms": 0} == {"request_id": "trace-42.a", "method": "GET", "path": "/healthz",
                                            "endpoint": "health.healthz", "status": 200, "duration_ms": 0,
                                            "remote_addr": "127.0.0.1"}
    assert lines[1]["request_id"] == made.headers["X-Request-ID"] and lines[1]["status"] == 200


def test_metrics_need_the_token_and_count_requests_and_the_outbox(client, app, create_member, create_staff,
                                                                  auth_headers, create_event):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers=auth_headers(create_member())).status_code == 401
    event = create_event(capacity=5)
    client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(create_member()))
    app.config["METRICS_TOKEN"] = "scrape-me-please"
    try:
        scraped = client.get("/metrics", headers={"Authorization": "Bearer scrape-me-please"})
    finally:
        app.config["METRICS_TOKEN"] = ""
    assert scraped.status_code == 200 and scraped.mimetype == "text/plain"
    text = scraped.get_data(as_text=True)
    assert 'cpd_http_requests_total{endpoint="api_events.EventBookings",method="POST",status="201"}' in text
    assert "cpd_http_request_duration_seconds_bucket" in text
    assert "cpd_notices_pending 1.0" in text and "cpd_bookings_confirmed 1.0" in text
    assert client.get("/metrics", headers=auth_headers(create_staff())).status_code == 200


def test_figures_and_exports_read_from_the_replica_and_bookings_write_to_the_primary(app, create_member,
                                                                                     create_staff, auth_headers,
                                                                                     create_event):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    routed = create_app({"CPD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "DATABASE_REPLICA_URL": url,
                         "UPLOAD_DIR": app.config["UPLOAD_DIR"], "RATELIMIT_STORAGE_URI": "memory://"})
    went = {"primary": [], "replica": []}
    with routed.app_context():
        for name, engine in (("primary", db.engines[None]), ("replica", db.engines["replica"])):
            sa.event.listen(engine, "before_cursor_execute",
                            lambda conn, cursor, statement, *rest, name=name: went[name].append(statement))
    event = create_event(capacity=3)
    staff, member = auth_headers(create_staff()), auth_headers(create_member())
    client = routed.test_client()
    try:
        assert client.post(f"/api/v1/events/{event.id}/bookings", headers=member).status_code == 201
        assert went["replica"] == [] and any("INSERT INTO bookings" in s for s in went["primary"])
        went["primary"].clear()
        year = event.starts_at.year
        assert client.get(f"/api/v1/metrics/kpis?year={year}", headers=staff).status_code == 200
        assert client.get(f"/api/v1/exports/attendance.csv?from={year}-01-01", headers=staff).status_code == 200
        figures = [s for s in went["replica"] if "FROM members" in s or "FROM bookings" in s or "events" in s]
        assert len(figures) > 10
        assert not any("GROUP BY" in s for s in went["primary"])  # the figures' aggregates all went to the replica
    finally:
        with routed.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()


@pytest.fixture
def queued_app(app):
    """The app with REDIS_URL set (a database of Redis of the tests' own, emptied)."""
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS, socket_connect_timeout=1).flushdb()
    except RedisError as error:
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail(f"Redis is required here and did not answer at {REDIS}: {error}")
        pytest.skip(f"no Redis at {REDIS} (set TEST_REDIS_URL; CI sets REQUIRE_REDIS)")
    app.config["REDIS_URL"] = REDIS
    yield app
    app.config["REDIS_URL"] = ""


def run_worker(app):
    from rq import SimpleWorker

    with app.app_context():
        queue = work_queue()
        SimpleWorker([queue], connection=queue.connection).work(burst=True, with_scheduler=False)


def sent_notices(app):
    with app.app_context():
        return db.session.execute(sa.select(Notice.kind, Notice.sent_at.is_not(None)).order_by(Notice.id)).all()


def test_the_worker_delivers_a_booking_notice_once(queued_app, client, create_member, auth_headers, create_event,
                                                   capsys):
    event = create_event(capacity=5)
    client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(create_member(full_name="Wanda Worker")))
    with queued_app.app_context():
        queue = work_queue()
        assert len(queue) == 1
        from cpd.operations.rounds import sweep
        from cpd.core.models import utcnow

        assert sweep(utcnow()) == 0  # a notice a minute old or less has its job in flight
        assert sweep(utcnow() + timedelta(minutes=2)) == 1  # handed over again: still delivered once
    run_worker(queued_app)
    printed = capsys.readouterr().out
    assert printed.count("Dear Wanda Worker") == 1
    assert sent_notices(queued_app) == [("booking_confirmed", True)]


def test_with_redis_down_the_booking_commits_and_the_sweep_delivers_later(app, client, create_member, auth_headers,
                                                                         create_event, queued_app, capsys):
    event = create_event(capacity=5)
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    booked = client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(create_member()))
    assert booked.status_code == 201
    assert sent_notices(app) == [("booking_confirmed", False)]
    app.config["REDIS_URL"] = REDIS
    with app.app_context():
        from cpd.core.models import utcnow
        from cpd.operations.rounds import sweep

        assert sweep(utcnow() + timedelta(minutes=2)) == 1
    run_worker(app)
    assert sent_notices(app) == [("booking_confirmed", True)]


def test_a_notice_for_an_erased_member_is_dropped_not_retried(queued_app, client, create_member, auth_headers,
                                                              create_event, caplog):
    event = create_event(capacity=5)
    member = create_member()
    client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(member))
    with queued_app.app_context():
        # Erased between the booking and the job (erasure itself also clears what waits in the outbox).
        from cpd.core.models import utcnow
        from cpd.members.models import Member

        db.session.execute(sa.update(Member).where(Member.id == member.id).values(erased_at=utcnow()))
        db.session.commit()
    with caplog.at_level(logging.WARNING):
        run_worker(queued_app)
    with queued_app.app_context():
        kinds = dict(db.session.execute(sa.select(Notice.kind, Notice.last_error)).all())
    assert kinds["booking_confirmed"] == "dropped: the member's record was erased"
    assert any("dropped" in record.getMessage() for record in caplog.records)


def test_a_large_export_is_built_by_the_worker_and_downloaded_when_ready(queued_app, client, create_member,
                                                                         create_staff, auth_headers, sign_in):
    queued_app.config["EXPORT_BACKGROUND_ROWS"] = 2
    try:
        for number in range(3):
            create_member(full_name=f"Exported Person {number}")
        asker = create_staff()
        staff = auth_headers(asker)
        year = utcnow().year
        small = client.get(f"/api/v1/exports/attendance.csv?from={year}-01-01", headers=staff)
        assert small.status_code == 200 and small.get_data(as_text=True).startswith("event_id,title")
        asked = client.get(f"/api/v1/exports/members.csv?year={year}", headers=staff)
        assert asked.status_code == 202 and asked.headers["Location"] == asked.get_json()["url"]
        job = asked.get_json()
        assert job["status"] == "queued"
        assert client.get(job["download_url"], headers=staff).status_code == 409
        assert client.get(job["url"], headers=auth_headers(create_staff())).status_code == 404
        sign_in(asker)
        assert "being built in the background" in client.get(job["page_url"]).get_data(as_text=True)
        run_worker(queued_app)
        done = client.get(job["url"], headers=staff).get_json()
        assert (done["status"], done["rows"]) == ("ready", 3)  # one row per member (staff accounts aside)
        download = client.get(job["download_url"], headers=staff)
        assert download.status_code == 200 and "Exported Person 2" in download.get_data(as_text=True)
        assert "3 rows" in client.get(job["page_url"]).get_data(as_text=True)
    finally:
        queued_app.config["EXPORT_BACKGROUND_ROWS"] = 20_000


def _export_job(app, status, created_minutes_ago=0, started_minutes_ago=None, **fields):
    import secrets

    from cpd.exports.models import ExportJob

    now = utcnow()
    with app.app_context():
        job = ExportJob(id=secrets.token_urlsafe(8), kind="members", extension="csv",
                        parameters={"year": now.year}, status=status,
                        created_at=now - timedelta(minutes=created_minutes_ago),
                        started_at=None if started_minutes_ago is None else now - timedelta(minutes=started_minutes_ago),
                        **fields)
        db.session.add(job)
        db.session.commit()
        return job.id


def _status(app, job_id):
    from cpd.exports.models import ExportJob

    with app.app_context():
        job = db.session.get(ExportJob, job_id)
        return job.status, job.error


def test_an_export_is_never_stranded(queued_app, create_member):
    from cpd.operations.rounds import sweep

    create_member(full_name="Exported Person")
    lost = _export_job(queued_app, "queued", created_minutes_ago=5)        # its enqueue never reached Redis
    young = _export_job(queued_app, "queued", created_minutes_ago=0)       # its job is still in flight
    crashed = _export_job(queued_app, "running", created_minutes_ago=60, started_minutes_ago=45)
    busy = _export_job(queued_app, "running", created_minutes_ago=6, started_minutes_ago=5)
    with queued_app.app_context():
        sweep(utcnow())
        assert len(work_queue()) == 1
    run_worker(queued_app)
    assert _status(queued_app, lost) == ("ready", "")
    assert _status(queued_app, young)[0] == "queued"
    assert _status(queued_app, crashed) == ("failed", "The worker stopped while building it: ask for it again.")
    assert _status(queued_app, busy) == ("running", "")


def test_an_export_that_fails_in_any_way_is_marked_failed(queued_app, monkeypatch):
    from cpd.exports import jobs, rows

    def broken(year):
        raise ValueError("a value the export cannot write")
        yield  # a generator, as the real one is

    monkeypatch.setattr(rows, "member_rows", broken)
    job_id = _export_job(queued_app, "queued")
    with queued_app.app_context():
        assert jobs.build(job_id) == "failed"
    assert _status(queued_app, job_id) == ("failed", "a value the export cannot write")


def test_the_daily_round_runs_at_its_wall_clock_time_whenever_the_schedule_starts(queued_app):
    from datetime import datetime, timezone

    from cpd.operations.commands import build_schedule

    with queued_app.app_context():
        scheduler = build_schedule(work_queue().connection, 60, "15 3 * * *")
    jobs = {job.name: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"sweep", "daily round"} and jobs["sweep"].interval == 60
    daily = jobs["daily round"]
    for started in (datetime(2026, 12, 6, 1, 0, tzinfo=timezone.utc), datetime(2026, 12, 6, 17, 40, tzinfo=timezone.utc)):
        daily.latest_enqueue_time = started
        following = daily.get_next_enqueue_time().astimezone()  # cron fields read the scheduler's clock
        assert (following.hour, following.minute) == (3, 15) and following > started
        assert following - started < timedelta(days=1)

