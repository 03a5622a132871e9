"""SIGs over the API: groups, membership, leads, the lead's sessions and outreach reach."""
from datetime import timedelta

import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.sigs.models import OutreachReach, SigLead, SigMembership


def test_staff_create_a_sig_and_anyone_lists_it_with_leads_and_member_count(client, create_staff, create_member,
                                                                            auth_headers, create_sig):
    created = client.post("/api/v1/sigs", headers=auth_headers(create_staff()),
                          json={"name": "Additive Manufacturing", "discipline": "engineering", "description": "3D printing"})
    assert created.status_code == 201
    lead = create_member(grade="member")
    create_sig(name="Bioinformatics", discipline="science", leads=[lead], members=[create_member(), create_member()])
    listing = client.get("/api/v1/sigs").get_json()
    assert {s["name"]: (s["member_count"], s["leads"]) for s in listing["items"]} == {
        "Additive Manufacturing": (0, []), "Bioinformatics": (3, [lead.id])}
    duplicate = client.post("/api/v1/sigs", headers=auth_headers(create_staff()), json={"name": "bioinformatics"})
    assert duplicate.status_code == 409


def test_members_join_and_leave(client, app, create_member, auth_headers, create_sig):
    sig = create_sig()
    member = auth_headers(create_member())
    joined = client.post(f"/api/v1/sigs/{sig.id}/members", headers=member)
    assert joined.status_code == 201 and joined.get_json()["sig_id"] == sig.id
    assert client.post(f"/api/v1/sigs/{sig.id}/members", headers=member).status_code == 409
    assert client.get(f"/api/v1/sigs/{sig.id}").get_json()["member_count"] == 1
    assert client.delete(f"/api/v1/sigs/{sig.id}/members/me", headers=member).status_code == 204
    assert client.delete(f"/api/v1/sigs/{sig.id}/members/me", headers=member).status_code == 404
    assert client.post("/api/v1/sigs/999/members", headers=member).status_code == 404


def test_appointing_a_lead_who_is_not_a_member_of_the_body_is_422(client, app, create_member, create_staff,
                                                                 auth_headers, create_sig):
    sig = create_sig()
    staff = auth_headers(create_staff())
    outsider = create_member(grade=None)
    refused = client.put(f"/api/v1/sigs/{sig.id}/leads/{outsider.id}", headers=staff)
    assert refused.status_code == 422 and "not a member of the body" in refused.get_json()["message"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SigLead)) == 0

    fellow = create_member(grade="fellow")
    appointed = client.put(f"/api/v1/sigs/{sig.id}/leads/{fellow.id}", headers=staff)
    assert appointed.status_code == 200 and appointed.get_json()["leads"] == [fellow.id]
    assert appointed.get_json()["member_count"] == 1  # a lead belongs to the group
    assert client.put(f"/api/v1/sigs/{sig.id}/leads/{fellow.id}", headers=staff).status_code == 200  # idempotent
    leaving = client.delete(f"/api/v1/sigs/{sig.id}/members/me", headers=auth_headers(fellow))
    assert leaving.status_code == 409
    assert client.delete(f"/api/v1/sigs/{sig.id}/leads/{fellow.id}", headers=staff).status_code == 204
    assert client.delete(f"/api/v1/sigs/{sig.id}/leads/{fellow.id}", headers=staff).status_code == 404
    assert client.put(f"/api/v1/sigs/{sig.id}/leads/99999", headers=staff).status_code == 404


def test_a_lead_runs_a_session_from_creation_to_register(client, app, create_member, auth_headers, create_sig):
    lead = create_member(grade="member")
    sig = create_sig(leads=[lead])
    headers = auth_headers(lead)
    session = client.post("/api/v1/events", headers=headers, json={
        "kind": "sig_session", "sig_id": sig.id, "title": "Lattice structures", "capacity": 2,
        "starts_at": (utcnow() + timedelta(days=3)).isoformat(), "ends_at": (utcnow() + timedelta(days=3, hours=2)).isoformat(),
        "members_only": True, "cpd_hours": 2, "cpd_activity_type": "professional_activity"})
    assert session.status_code == 201
    event_id = session.get_json()["id"]

    outsider, insider = create_member(), create_member()
    refused = client.post(f"/api/v1/events/{event_id}/bookings", headers=auth_headers(outsider))
    assert refused.status_code == 422 and "members of the SIG only" in refused.get_json()["message"]
    client.post(f"/api/v1/sigs/{sig.id}/members", headers=auth_headers(insider))
    booking = client.post(f"/api/v1/events/{event_id}/bookings", headers=auth_headers(insider)).get_json()

    assert client.patch(f"/api/v1/events/{event_id}", headers=headers, json={"title": "Lattices"}).status_code == 200
    assert client.get(f"/api/v1/events/{event_id}/bookings", headers=headers).get_json()["total"] == 1
    with app.app_context():
        from cpd.events.models import Event

        db.session.execute(sa.update(Event).where(Event.id == event_id).values(
            starts_at=utcnow() - timedelta(hours=3), ends_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    register = client.put(f"/api/v1/events/{event_id}/attendance", headers=headers, json={"attended": [booking["id"]]})
    assert register.status_code == 200
    records = client.get("/api/v1/me/cpd-records", headers=auth_headers(insider)).get_json()["items"]
    assert [(r["title"], r["hours"], r["verified"]) for r in records] == [("Lattices", 2.0, True)]
    assert client.get(f"/api/v1/events/{event_id}/attendees.csv", headers=headers).status_code == 200
    report = client.get("/api/v1/me/led-sigs", headers=headers).get_json()["items"][0]
    assert (report["sessions"][0]["fill_rate"], report["sessions"][0]["attendance_rate"]) == (0.5, 1.0)


def test_a_lead_cannot_run_courses_or_another_sigs_sessions(client, create_member, auth_headers, create_sig):
    lead = create_member(grade="member")
    own, other = create_sig(leads=[lead]), create_sig()
    headers = auth_headers(lead)
    times = {"starts_at": "2031-01-01T18:00:00", "ends_at": "2031-01-01T20:00:00"}
    assert client.post("/api/v1/events", headers=headers, json={"kind": "course", "title": "x", **times}).status_code == 403
    assert client.post("/api/v1/events", headers=headers,
                       json={"kind": "sig_session", "sig_id": other.id, "title": "x", **times}).status_code == 403
    mine = client.post("/api/v1/events", headers=headers,
                       json={"kind": "sig_session", "sig_id": own.id, "title": "mine", **times}).get_json()
    moved = client.patch(f"/api/v1/events/{mine['id']}", headers=headers, json={"sig_id": other.id})
    assert moved.status_code == 403


def test_outreach_reach_is_recorded_by_the_lead_and_must_not_be_negative(client, app, create_member, auth_headers,
                                                                         create_sig, create_event):
    lead = create_member(grade="member")
    sig = create_sig(leads=[lead])
    event = create_event(kind="outreach", sig_id=sig.id, title="School visit", starts_at=utcnow() - timedelta(days=1))
    url = f"/api/v1/events/{event.id}/reach"
    refused = client.put(url, headers=auth_headers(lead), json={"young_people": -3, "parents": 4, "teachers": 2})
    assert refused.status_code == 422
    with app.app_context():
        assert db.session.get(OutreachReach, event.id) is None
    recorded = client.put(url, headers=auth_headers(lead), json={"young_people": 120, "parents": 30, "teachers": 6})
    assert recorded.status_code == 200
    assert recorded.get_json() | {"recorded_at": ""} == {"event_id": event.id, "young_people": 120, "parents": 30,
                                                         "teachers": 6, "recorded_at": ""}
    course = create_event(kind="course")
    staff_like = client.put(f"/api/v1/events/{course.id}/reach", headers=auth_headers(lead),
                            json={"young_people": 1, "parents": 1, "teachers": 1})
    assert staff_like.status_code == 403


def test_the_sig_page_lists_upcoming_and_past_sessions(client, create_sig, create_event):
    sig = create_sig(name="Photonics")
    create_event(kind="sig_session", sig_id=sig.id, title="Next meetup")
    create_event(kind="sig_session", sig_id=sig.id, title="Last meetup", starts_at=utcnow() - timedelta(days=30))
    detail = client.get(f"/api/v1/sigs/{sig.id}").get_json()
    assert [e["title"] for e in detail["upcoming_sessions"]] == ["Next meetup"]
    assert [e["title"] for e in detail["past_sessions"]] == ["Last meetup"]
    html = client.get(f"/sigs/{sig.id}").get_data(as_text=True)
    assert "Photonics" in html and "Next meetup" in html and "Last meetup" in html
    with client.application.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SigMembership)) == 0
