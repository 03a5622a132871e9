"""Mentors: a member invites one by email (a member or not); the mentor reads the log and plan,
comments, and logs meetings that become CPD records; when the member ends it the mentor hears 404
at once, through the API and through the private link."""
import re

import sqlalchemy as sa

from cpd.extensions import db
from cpd.notices.models import Notice
from cpd.records.models import CpdRecord
from tests.conftest import csrf_token_from


def link_sent_to(app, email):
    with app.app_context():
        notice = db.session.scalars(sa.select(Notice).where(Notice.to_address == email)
                                    .order_by(Notice.id.desc())).first()
        return re.search(r"https?://\S+/mentoring/(\S+)", notice.body).group(1)


def test_a_member_mentor_reads_comments_logs_a_meeting_and_loses_access_when_ended(client, app, create_member,
                                                                                   auth_headers, create_record):
    ada, mentor = create_member(full_name="Ada Mentee"), create_member(email="mentor@example.org")
    record = create_record(ada, title="Stress analysis course", hours=3)
    invited = client.post("/api/v1/me/mentors", headers=auth_headers(ada), json={"email": "Mentor@Example.org"})
    assert invited.status_code == 201, invited.get_json()
    assert (invited.get_json()["email"], invited.get_json()["status"]) == ("mentor@example.org", "invited")
    assert client.post("/api/v1/me/mentors", headers=auth_headers(ada),
                       json={"email": "mentor@example.org"}).status_code == 409

    # Before accepting, the mentor sees nothing of the log.
    mentor_headers = auth_headers(mentor)
    assert client.get(f"/api/v1/mentees/{ada.id}/cpd-records", headers=mentor_headers).status_code == 404
    waiting = client.get("/api/v1/me/mentees", headers=mentor_headers).get_json()["items"]
    assert [(m["mentee_name"], m["status"]) for m in waiting] == [("Ada Mentee", "invited")]
    assert client.post(f"/api/v1/me/mentees/{waiting[0]['id']}/accept", headers=mentor_headers).status_code == 200

    log = client.get(f"/api/v1/mentees/{ada.id}/cpd-records", headers=mentor_headers).get_json()
    assert [item["title"] for item in log["items"]] == ["Stress analysis course"]
    assert client.get(f"/api/v1/mentees/{ada.id}/plan", headers=mentor_headers).status_code == 200
    said = client.post(f"/api/v1/mentees/{ada.id}/comments", headers=mentor_headers,
                       json={"text": "Write what you would do differently.", "record_id": record.id})
    assert said.status_code == 201
    mine = client.get("/api/v1/me/mentor-comments", headers=auth_headers(ada)).get_json()["items"]
    assert [(c["text"], c["record_id"], c["by"]) for c in mine] == [
        ("Write what you would do differently.", record.id, "mentor@example.org")]

    met = client.post(f"/api/v1/mentees/{ada.id}/meetings", headers=mentor_headers,
                      json={"on": "2026-11-30", "hours": "1.5", "notes": "Chartership plan"})
    assert met.status_code == 201, met.get_json()
    with app.app_context():
        made = {(r.member_id, r.activity_type, str(r.hours)) for r in db.session.scalars(
            sa.select(CpdRecord).where(CpdRecord.title.like("Mentoring%")))}
    assert made == {(ada.id, "work_based", "1.50"), (mentor.id, "professional_activity", "1.50")}

    # Someone else is not a mentor: 404, as if nothing were there.
    stranger = auth_headers(create_member())
    assert client.get(f"/api/v1/mentees/{ada.id}/cpd-records", headers=stranger).status_code == 404

    mentorship_id = invited.get_json()["id"]
    assert client.delete(f"/api/v1/me/mentors/{mentorship_id}", headers=auth_headers(ada)).status_code == 200
    for path in ("cpd-records", "plan"):
        assert client.get(f"/api/v1/mentees/{ada.id}/{path}", headers=mentor_headers).status_code == 404
    assert client.post(f"/api/v1/mentees/{ada.id}/comments", headers=mentor_headers,
                       json={"text": "One more"}).status_code == 404


def test_a_mentor_without_an_account_uses_the_private_link_until_it_is_ended(client, app, create_member,
                                                                             auth_headers, create_record):
    ada = create_member(full_name="Ada Mentee")
    create_record(ada, title="Site visit", hours=2)
    invited = client.post("/api/v1/me/mentors", headers=auth_headers(ada),
                          json={"email": "line.manager@employer.example"}).get_json()
    token = link_sent_to(app, "line.manager@employer.example")
    page = client.get(f"/mentoring/{token}")
    assert page.status_code == 200 and "Site visit" in page.get_data(as_text=True)
    assert client.get("/api/v1/me/mentors", headers=auth_headers(ada)).get_json()["items"][0]["status"] == "active"
    with app.app_context():
        record_id = db.session.scalar(sa.select(CpdRecord.id).where(CpdRecord.title == "Site visit"))
    commented = client.post(f"/mentoring/{token}", data={"csrf_token": csrf_token_from(page.get_data(as_text=True)),
                                                        "record_id": str(record_id), "text": "Good observations."})
    assert commented.status_code == 302
    assert client.get("/api/v1/me/mentor-comments", headers=auth_headers(ada)).get_json()["items"][0]["text"] == \
        "Good observations."
    client.delete(f"/api/v1/me/mentors/{invited['id']}", headers=auth_headers(ada))
    assert client.get(f"/mentoring/{token}").status_code == 404


def test_bad_invitations(client, create_member, auth_headers):
    ada = create_member(email="ada@example.org")
    assert client.post("/api/v1/me/mentors", headers=auth_headers(ada), json={"email": "nonsense"}).status_code == 422
    assert client.post("/api/v1/me/mentors", headers=auth_headers(ada),
                       json={"email": "ada@example.org"}).status_code == 422
    assert client.delete("/api/v1/me/mentors/999", headers=auth_headers(ada)).status_code == 404
