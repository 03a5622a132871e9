"""The findings of the outside security review (F1-F17), each with a test that failed before its fix."""
import socket
import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cpd import create_app
from cpd.core.audit import AuditEntry
from cpd.core.models import utcnow
from cpd.events.models import Event
from cpd.extensions import db
from tests.conftest import TEST_PASSWORD

TIMES = {"starts_at": "2031-01-01T18:00:00", "ends_at": "2031-01-01T20:00:00"}


def audit_actions(app):
    with app.app_context():
        return db.session.execute(sa.select(AuditEntry.action, AuditEntry.target_id, AuditEntry.details)
                                  .order_by(AuditEntry.id)).all()


@pytest.fixture
def lead_session(client, create_member, create_sig, auth_headers):
    lead = create_member(grade="member")
    sig = create_sig(leads=[lead])
    headers = auth_headers(lead)
    session = client.post("/api/v1/events", headers=headers,
                          json={"kind": "sig_session", "sig_id": sig.id, "title": "Lattices", **TIMES}).get_json()
    return headers, session, sig


def test_f1_a_lead_cannot_turn_a_session_into_a_course_run(client, lead_session, create_staff, auth_headers):
    headers, session, _ = lead_session
    course = client.post("/api/v1/courses", headers=auth_headers(create_staff()), json={"title": "NDT"}).get_json()
    for change in ({"kind": "course", "course_id": course["id"], "status": "published"}, {"kind": "conference"},
                   {"course_id": course["id"]}):
        refused = client.patch(f"/api/v1/events/{session['id']}", headers=headers, json=change)
        assert refused.status_code == 403, change
    unchanged = client.get(f"/api/v1/events/{session['id']}").get_json()
    assert (unchanged["kind"], unchanged["course_id"]) == ("sig_session", None)
    same_kind = client.patch(f"/api/v1/events/{session['id']}", headers=headers,
                             json={"kind": "sig_session", "title": "Lattices II"})
    assert same_kind.status_code == 200 and same_kind.get_json()["title"] == "Lattices II"


def test_f2_credited_hours_never_exceed_the_event(client, app, lead_session, create_member, create_staff,
                                                 auth_headers):
    headers, session, sig = lead_session
    too_many = client.patch(f"/api/v1/events/{session['id']}", headers=headers, json={"cpd_hours": 500})
    assert too_many.status_code == 422 and "2.00 h" in too_many.get_json()["errors"]["cpd_hours"][0]
    assert client.patch(f"/api/v1/events/{session['id']}", headers=headers, json={"cpd_hours": 1.5}).status_code == 200
    member = create_member()
    client.post(f"/api/v1/sigs/{sig.id}/members", headers=auth_headers(member))
    booking = client.post(f"/api/v1/events/{session['id']}/bookings", headers=auth_headers(member)).get_json()
    with app.app_context():
        db.session.execute(sa.update(Event).where(Event.id == session["id"]).values(
            starts_at=utcnow() - timedelta(hours=3), ends_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    client.put(f"/api/v1/events/{session['id']}/attendance", headers=headers, json={"attended": [booking["id"]]})
    after_register = client.patch(f"/api/v1/events/{session['id']}", headers=headers, json={"cpd_hours": 2})
    assert after_register.status_code == 403
    staff = auth_headers(create_staff())
    assert client.patch(f"/api/v1/events/{session['id']}", headers=staff, json={"cpd_hours": 2}).status_code == 200
    changed = [d for action, _, d in audit_actions(app) if action == "event.cpd_hours_after_attendance"]
    assert changed == [{"old": 1.5, "new": 2.0}]


def test_f3_the_joining_link_only_for_confirmed_bookers(client, create_event, create_member, create_staff,
                                                       auth_headers):
    event = create_event(online_url="https://meet.example.org/secret-room", members_only=True, capacity=1)
    first, second = create_member(grade="member"), create_member(grade="member")
    anonymous_list = client.get("/api/v1/events").get_json()["items"][0]
    assert anonymous_list["online_url"] is None
    assert client.get(f"/api/v1/events/{event.id}").get_json()["online_url"] is None
    assert "secret-room" not in client.get(f"/api/v1/events/{event.id}/calendar.ics").get_data(as_text=True)
    assert "secret-room" not in client.get(f"/events/{event.id}").get_data(as_text=True)
    client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(first))
    client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(second))  # waiting list
    booked = client.get(f"/api/v1/events/{event.id}", headers=auth_headers(first)).get_json()
    waiting = client.get(f"/api/v1/events/{event.id}", headers=auth_headers(second)).get_json()
    staff = client.get(f"/api/v1/events/{event.id}", headers=auth_headers(create_staff())).get_json()
    assert booked["online_url"] == staff["online_url"] == "https://meet.example.org/secret-room"
    assert waiting["online_url"] is None
    feed = client.get("/api/v1/me/calendar-feed", headers=auth_headers(first)).get_json()["url"]
    assert "secret-room" in client.get(feed.split("cpd.example.org", 1)[1]).get_data(as_text=True)


def test_f4_control_characters_in_one_line_fields_are_refused(client, app, create_staff, create_event,
                                                             create_member, auth_headers):
    staff = auth_headers(create_staff())
    refused = client.post("/api/v1/events", headers=staff, json={"kind": "course", "title": "Bad\r\nTitle", **TIMES})
    assert refused.status_code == 422 and "title" in refused.get_json()["errors"]
    event = create_event()
    assert client.patch(f"/api/v1/events/{event.id}", headers=staff, json={"venue": "A\nB"}).status_code == 422
    # Stored before the rule: the calendar and every booking still work.
    with app.app_context():
        db.session.execute(sa.update(Event).where(Event.id == event.id).values(title="Old\r\nTitle"))
        db.session.commit()
    assert client.get(f"/api/v1/events/{event.id}/calendar.ics").status_code == 200
    assert client.post(f"/api/v1/events/{event.id}/bookings",
                       headers=auth_headers(create_member())).status_code == 201


@pytest.mark.parametrize("body", [
    b"[" * 100_000,
    b'{"email": "a@example.org", "password": ' + b"1" * 5000 + b', "full_name": "A"}',
    b'{"email": "a@example.org", "password": "long enough to pass", "full_name": "\\ud800"}',
    b'{"email": "\\ud800@example.org", "password": "long enough to pass", "full_name": "A"}',
])
def test_f5_bodies_that_broke_the_parser_are_400(client, body):
    response = client.post("/api/v1/auth/register", data=body, content_type="application/json")
    assert response.status_code == 400 and response.is_json and response.get_json()["message"]


def test_f6_a_database_that_never_answers_is_a_quick_503():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)  # connections complete in the kernel and are never answered
    port = listener.getsockname()[1]
    held = []
    stop = threading.Event()

    def accept_and_ignore():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept_and_ignore, daemon=True)
    thread.start()
    try:
        app = create_app({"CPD_ENV": "testing", "DATABASE_CONNECT_TIMEOUT": 2,
                          "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://nobody@127.0.0.1:{port}/none"})
        began = time.monotonic()
        response = app.test_client().get("/api/v1/events")
        assert time.monotonic() - began < 10
        assert response.status_code == 503 and response.is_json
        ready = app.test_client().get("/readyz")
        assert ready.status_code == 503 and ready.is_json
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


def test_f9_answers_that_an_address_is_taken_are_limited(client, app, create_member, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTER_CONFLICT_LIMIT", "2 per hour")
    create_member(email="taken@example.org")
    body = {"email": "taken@example.org", "password": "long enough to pass", "full_name": "Probe"}
    assert [client.post("/api/v1/auth/register", json=body).status_code for _ in range(3)] == [409, 409, 429]
    fresh = client.post("/api/v1/auth/register", json={**body, "email": "fresh@example.org"})
    assert fresh.status_code == 429  # the prober's address is slowed for everything


def test_f11_staff_reads_and_changes_are_in_the_audit_log(client, app, create_staff, create_member, create_event,
                                                         create_sig, create_record, create_booking, auth_headers):
    staff_member = create_staff()
    staff = auth_headers(staff_member)
    member = create_member()
    record = create_record(member)
    event = create_event(kind="outreach", starts_at=utcnow() - timedelta(days=1))
    sig = create_sig()
    client.post("/api/v1/courses", headers=staff, json={"title": "NDT"})
    client.patch(f"/api/v1/sigs/{sig.id}", headers=staff, json={"description": "New words"})
    client.put(f"/api/v1/events/{event.id}/reach", headers=staff,
               json={"young_people": 30, "parents": 4, "teachers": 2})
    client.patch(f"/api/v1/members/{member.id}", headers=staff, json={"grade": "fellow"})
    client.get(f"/api/v1/exports/members.csv?year={utcnow().year}", headers=staff)
    client.get(f"/api/v1/events/{event.id}/attendees.csv", headers=staff)
    read = client.get(f"/api/v1/members/{member.id}/cpd-records", headers=staff).get_json()
    assert [item["id"] for item in read["items"]] == [record.id]
    actions = {action: details for action, _, details in audit_actions(app)}
    targets = {action: target for action, target, _ in audit_actions(app)}
    assert {"course.create", "sig.update", "event.reach", "member.update", "personal_data.members_export",
            "personal_data.register", "personal_data.cpd_records"} <= set(actions)
    assert actions["member.update"]["changes"] == {"grade": {"old": None, "new": "fellow"}}
    assert actions["sig.update"]["changes"]["description"]["new"] == "New words"
    assert actions["event.reach"]["changes"]["young_people"] == {"old": None, "new": 30}
    assert targets["personal_data.cpd_records"] == member.id


def test_f12_personal_answers_are_not_cached(client, create_member, auth_headers, create_staff):
    headers = auth_headers(create_member())
    for url in ("/api/v1/me", "/api/v1/me/export"):
        assert client.get(url, headers=headers).headers["Cache-Control"] == "no-store"
    staff = auth_headers(create_staff())
    assert client.get(f"/api/v1/exports/attendance.csv", headers=staff).headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/api/v1/events").headers.get("Cache-Control", "")


def test_f13_absolute_links_ignore_the_host_header(client, create_member, auth_headers):
    headers = {**auth_headers(create_member()), "Host": "evil.example.com"}
    url = client.get("/api/v1/me/calendar-feed", headers=headers).get_json()["url"]
    assert url.startswith("https://cpd.example.org/")


def test_f13_a_trusted_hosts_list_refuses_other_hosts(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["cpd.example.org"])
    client = app.test_client()
    assert client.get("/healthz", headers={"Host": "evil.example.com"}).status_code == 400
    assert client.get("/healthz", headers={"Host": "cpd.example.org"}).status_code == 200


def test_f14_a_short_secret_key_is_refused_in_production(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a")
    with pytest.raises(RuntimeError, match="at least 32 bytes"):
        create_app({"CPD_ENV": "production", "SECRET_KEY": "a"})


def test_f15_strangers_hear_401_before_their_input_is_checked(client):
    assert client.post("/api/v1/me/cpd-records", json={"hours": "lots"}).status_code == 401
    assert client.post("/api/v1/events", data=b"{not json", content_type="application/json").status_code == 401
    assert client.get("/api/v1/events?from=yesterday").status_code == 422  # a public operation still says why


def test_f16_erasure_forgets_the_email_in_failed_sign_ins(client, app, create_member, auth_headers):
    member = create_member(email="gone@example.org")
    client.post("/api/v1/auth/token", json={"email": "gone@example.org", "password": "wrong wrong wrong"})
    client.post("/api/v1/auth/token", json={"email": "other@example.org", "password": "wrong wrong wrong"})
    client.delete("/api/v1/me", headers=auth_headers(member))
    emails = [d.get("email") for action, _, d in audit_actions(app) if action == "sign_in_failed"]
    assert emails == ["(erased)", "other@example.org"]


def test_f17_staff_reading_evidence_is_audited(client, app, create_member, create_staff, auth_headers):
    from tests.records.test_api import PNG
    import io

    member = create_member()
    headers = auth_headers(member)
    record = client.post("/api/v1/me/cpd-records", headers=headers, json={
        "title": "Reading", "activity_type": "self_directed", "started_on": "2025-03-01", "hours": 1}).get_json()
    evidence = client.post(f"/api/v1/me/cpd-records/{record['id']}/evidence", headers=headers,
                           data={"file": (io.BytesIO(PNG), "e.png")}).get_json()
    url = f"/api/v1/me/cpd-records/{record['id']}/evidence/{evidence['id']}"
    assert client.get(url, headers=headers).status_code == 200
    assert client.get(url, headers=auth_headers(create_staff())).status_code == 200
    reads = [(target, d) for action, target, d in audit_actions(app) if action == "personal_data.evidence"]
    assert reads == [(member.id, {"record_id": record["id"], "evidence_id": evidence["id"]})]


def test_led_sigs_carry_each_sessions_seat_figures(client, lead_session, create_member, auth_headers):
    headers, session, sig = lead_session
    for _ in range(3):
        member = create_member()
        client.post(f"/api/v1/sigs/{sig.id}/members", headers=auth_headers(member))
        client.post(f"/api/v1/events/{session['id']}/bookings", headers=auth_headers(member))
    report = client.get("/api/v1/me/led-sigs", headers=headers).get_json()["items"][0]
    assert report["sessions"][0]["event"]["confirmed_count"] == 3
    assert report["sessions"][0]["confirmed"] == 3
    assert TEST_PASSWORD
