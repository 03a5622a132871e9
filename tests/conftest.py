"""Test fixtures: a real database (SQLite file, or PostgreSQL when TEST_DATABASE_URL is set)
built by the migrations, emptied after every test, and factories for the objects tests need.

Tests that drive HTTP hold no app context of their own, so every request gets a fresh one,
as in production. Factories called outside an app context push one and hand back a
detached object whose columns are loaded.
"""
import os
import re
import shutil
import uuid
from contextlib import contextmanager

import psycopg
import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask_migrate import upgrade

from cpd import create_app
from cpd.auth import services as auth_services
from cpd.extensions import db, limiter
from cpd.integrations.webhook_events import know_nobody_listens
from cpd.members.models import Member, ProfessionalRegistration
from cpd.core.models import utcnow
from cpd.records.models import StandingsRound
from cpd.records.shipped_policies import SHIPPED_POLICY_CODES

TEST_PASSWORD = "correct horse battery"


def _postgres_schema_url(base_url):
    """A fresh schema in the test database, so runs never see each other's tables."""
    schema = f"cpd_test_{uuid.uuid4().hex[:12]}"
    plain = sa.engine.make_url(base_url).set(drivername="postgresql")
    with psycopg.connect(plain.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = sa.engine.make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema, plain


def _drop_postgres_schema(plain, schema):
    with psycopg.connect(plain.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        url, schema, plain = _postgres_schema_url(base)
        yield url
        _drop_postgres_schema(plain, schema)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    upload_dir = tmp_path_factory.mktemp("uploads")
    application = create_app(
        {
            "CPD_ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_DIR": str(upload_dir),
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with application.app_context():
        upgrade()
    know_nobody_listens()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


REFERENCE_TABLES = {"registration_titles", "title_competences"}


def empty_database(app):
    """Every table emptied but the reference rows the migrations seed, the limits' counts reset and
    the uploads removed: the state each test starts from."""
    with app.app_context():
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            if table.name in REFERENCE_TABLES:
                continue  # the registers' titles and competences, seeded by the migrations
            if table.name == "cpd_policies":
                # Reference data the migrations seed: keep the shipped policies, drop the tests' own.
                db.session.execute(table.delete().where(table.c.code.not_in(SHIPPED_POLICY_CODES)))
            else:
                db.session.execute(table.delete())
        # As migration 0039 notes for a database with no log: every member's standing is an empty log's.
        db.session.add(StandingsRound(day=utcnow().date(), members=0))
        db.session.commit()
    limiter.reset()
    know_nobody_listens()
    upload_dir = app.config["UPLOAD_DIR"]
    for entry in os.listdir(upload_dir):
        shutil.rmtree(os.path.join(upload_dir, entry), ignore_errors=True)


def notices_without_a_link(app):
    """(kind, subject) of each notice written whose text names no address to go to."""
    from cpd.notices.models import Notice

    with app.app_context():
        db.session.rollback()
        return db.session.execute(sa.select(Notice.kind, Notice.subject).where(
            ~Notice.body.contains("://"))).all()


@pytest.fixture(autouse=True)
def _empty_database_after_test(app):
    yield
    # Every notice links to what it is about: whatever a test made the app write is checked here.
    unlinked = notices_without_a_link(app)
    empty_database(app)
    assert not unlinked, f"notices that link to nothing: {unlinked}"


@pytest.fixture
def app_ctx(app):
    """For service tests: one app context, and the session the services use."""
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@contextmanager
def _context(app):
    if has_app_context():
        yield False
    else:
        with app.app_context():
            yield True


def _saved(app, build):
    """Run `build` in an app context, commit, and return what it built, usable afterwards."""
    with _context(app) as own_context:
        obj = build()
        db.session.commit()
        if own_context:
            db.session.refresh(obj)
            db.session.expunge(obj)
        return obj


def member_factory(app):
    counter = iter(range(1, 100_000))

    def factory(**fields):
        number = next(counter)
        fields.setdefault("email", f"member{number}@example.org")
        fields.setdefault("full_name", f"Test Member {number}")
        fields.setdefault("role", "member")
        fields.setdefault("cpd_policy", app.config["DEFAULT_CPD_POLICY"])
        password = fields.pop("password", TEST_PASSWORD)
        registrations = fields.pop("registrations", [])

        def build():
            member = Member(password_hash=auth_services.passwords.hash_password(password), **fields)
            for title, awarded_on in registrations:
                member.registrations.append(ProfessionalRegistration(title=title, awarded_on=awarded_on))
            db.session.add(member)
            db.session.flush()
            return member

        return _saved(app, build)

    return factory


@pytest.fixture
def create_member(app):
    return member_factory(app)


def staff_factory(create_member):
    def factory(**fields):
        fields.setdefault("full_name", "Stella Staff")
        return create_member(role="staff", **fields)

    return factory


@pytest.fixture
def create_staff(create_member):
    return staff_factory(create_member)


def headers_factory(app):
    """Bearer headers for a member, as the API's token endpoint would give them."""

    def headers_for(member):
        with _context(app):
            raw, _ = auth_services.issue_token(db.session.get(Member, member.id))
            db.session.commit()
        return {"Authorization": f"Bearer {raw}"}

    return headers_for


@pytest.fixture
def auth_headers(app):
    return headers_factory(app)


@pytest.fixture
def sign_in(client):
    """Sign a member in to the pages (the session cookie Flask-Login reads)."""

    def sign_in_as(member, test_client=None):
        with (test_client or client).session_transaction() as session:
            session["_user_id"] = member.get_id()
            session["_fresh"] = True
        return test_client or client

    return sign_in_as


def csrf_token_from(html):
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "the page has no CSRF token"
    return match.group(1)


@pytest.fixture
def form_post(client):
    """GET a page, then POST its form with the page's own CSRF token."""

    def post(url, data, page_url=None, test_client=None):
        browser = test_client or client
        page = browser.get(page_url or url)
        token = csrf_token_from(page.get_data(as_text=True))
        return browser.post(url, data={"csrf_token": token, **data})

    return post


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside the block: `with count_queries() as counter: ...`."""

    @contextmanager
    def counting():
        statements = []

        def before(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return counting



def record_factory(app):
    """A CPD record for a member: create_record(member, hours=2, activity_type="work_based", ...)."""
    from datetime import date as _date
    from decimal import Decimal

    from cpd.records.models import CpdRecord

    def factory(member, **fields):
        fields.setdefault("title", "Reading group on materials testing")
        fields.setdefault("activity_type", "self_directed")
        fields.setdefault("started_on", _date(2026, 3, 2))
        fields.setdefault("ended_on", fields["started_on"])
        fields["hours"] = Decimal(str(fields.get("hours", 2)))
        fields.setdefault("learning", "How fatigue cracks start")
        fields.setdefault("benefit_to_practice", "Better inspection plans")

        topics = fields.pop("topics", [])

        def build():
            from cpd.records.models import RecordTopic

            record = CpdRecord(member_id=member.id, topic_rows=[RecordTopic(topic=t) for t in topics], **fields)
            db.session.add(record)
            db.session.flush()
            return record

        return _saved(app, build)

    return factory


@pytest.fixture
def create_record(app):
    return record_factory(app)


def event_factory(app):
    """An event, published and open unless told otherwise: create_event(capacity=5, starts_in=days)."""
    from datetime import timedelta
    from decimal import Decimal

    from cpd.core.models import utcnow
    from cpd.events.models import Event

    def factory(starts_in=timedelta(days=14), hours=3, **fields):
        starts = fields.pop("starts_at", None) or utcnow().replace(microsecond=0) + starts_in
        fields.setdefault("kind", "course")
        fields.setdefault("title", "Introduction to failure analysis")
        fields.setdefault("status", "published")
        fields.setdefault("timezone", "Europe/London")
        fields.setdefault("cpd_activity_type", "formal_educational")
        if "cpd_hours" in fields and fields["cpd_hours"] is not None:
            fields["cpd_hours"] = Decimal(str(fields["cpd_hours"]))
        fields.setdefault("ends_at", starts + timedelta(hours=hours))

        def build():
            event = Event(starts_at=starts, **fields)
            db.session.add(event)
            db.session.flush()
            return event

        return _saved(app, build)

    return factory


@pytest.fixture
def create_event(app):
    return event_factory(app)


@pytest.fixture
def book_seat(app):
    """Book through the service (as the API would) and commit: book_seat(member, event)."""
    from cpd.events import booking as booking_service

    def factory(member, event):
        with _context(app):
            booking = booking_service.book(db.session.get(Member, member.id), event.id)
            db.session.commit()
            return booking.id

    return factory


def booking_factory(app):
    """A booking row as it stands, rules aside (for events that have already happened); the
    event's seat figures move with it, as a booking made through the service moves them."""
    from cpd.core.models import utcnow
    from cpd.events import seats
    from cpd.events.models import Booking

    def factory(member, event, status="confirmed", **fields):
        def build():
            booking = Booking(member_id=member.id, event_id=event.id, status=status,
                              confirmed_at=utcnow() if status == "confirmed" else None, **fields)
            db.session.add(booking)
            db.session.flush()
            seats.move(seats.lock_event(event.id), None, status)
            db.session.flush()
            return booking

        return _saved(app, build).id

    return factory


@pytest.fixture
def create_booking(app):
    return booking_factory(app)


def sig_factory(app):
    """A SIG with its leads and members: create_sig(leads=[member], members=[member])."""
    from cpd.sigs.models import Sig, SigLead, SigMembership

    counter = iter(range(1, 100_000))

    def factory(leads=(), members=(), **fields):
        fields.setdefault("name", f"Test SIG {next(counter)}")
        fields.setdefault("discipline", "engineering")

        def build():
            sig = Sig(**fields)
            db.session.add(sig)
            db.session.flush()
            for person in {*leads, *members}:
                db.session.add(SigMembership(sig_id=sig.id, member_id=person.id))
            for person in leads:
                db.session.add(SigLead(sig_id=sig.id, member_id=person.id))
            db.session.flush()
            return sig

        return _saved(app, build)

    return factory


@pytest.fixture
def create_sig(app):
    return sig_factory(app)


@pytest.fixture
def serve_with_gunicorn():
    """Serve the app with gunicorn (several worker processes) on a free port; stopped afterwards."""
    from tests.servers import start_gunicorn

    servers = []

    def serve(database_url, workers=3, port=None, **environment):
        env = {**os.environ, "CPD_ENV": "testing", "DATABASE_URL": database_url, "RATELIMIT_ENABLED": "0",
               **environment}
        try:
            server = start_gunicorn(env, workers=workers, port=port)
        except RuntimeError as error:
            pytest.fail(str(error))
        servers.append(server)
        serve.processes.append(server.process)
        return server.base

    serve.processes = []  # the gunicorn masters, for tests that kill a worker
    yield serve
    for server in servers:
        server.stop()
