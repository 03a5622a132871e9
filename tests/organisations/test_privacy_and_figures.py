"""The partners figures (organisations engaged, people sponsored, mentoring pairs), dated so that an
erasure keeps the year's counts; a member's export carries their organisations, sharing history and
mentoring; erasure ends every link at once."""
import io
import json
import zipfile

from cpd.core.models import utcnow
from cpd.metrics import measures
from tests.organisations.test_sponsored_bookings import organisation_with_people
from tests.payments.test_paid_booking import _paid_event

YEAR = utcnow().year


def partners(app):
    with app.app_context():
        return measures.compute_kpis(YEAR).partners


def test_the_figures_count_partners_and_erasure_keeps_them(client, app, create_event, create_member, create_staff,
                                                           auth_headers):
    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers, capacity=10)
    organisation, admin, people = organisation_with_people(client, create_member, create_staff, auth_headers, 2)
    client.post(f"/api/v1/organisations/{organisation['id']}/bookings", headers=admin, json={
        "event_id": event.id, "member_ids": [p.id for p in people], "price_id": price["Non-member"]})
    ada = people[0]
    client.put("/api/v1/me/employer-sharing", headers=auth_headers(ada),
               json={"organisation_id": organisation["id"], "share": True})
    mentor = create_member(email="mentor@example.org")
    invited = client.post("/api/v1/me/mentors", headers=auth_headers(ada), json={"email": mentor.email}).get_json()
    client.post(f"/api/v1/me/mentees/{invited['id']}/accept", headers=auth_headers(mentor))
    assert partners(app) == {"organisations": 1, "members_sponsored": 2, "members_in_approved_schemes": 0,
                             "mentoring_pairs": 1}
    staff = auth_headers(create_staff(email="approving.staff@example.org"))
    client.post(f"/api/v1/organisations/{organisation['id']}/approvals", headers=staff,
                json={"policy": "science_council", "from": f"{YEAR}-01-01", "until": f"{YEAR}-12-31"})
    assert partners(app)["members_in_approved_schemes"] == 1

    export = client.get("/api/v1/me/export", headers=auth_headers(ada))
    archive = zipfile.ZipFile(io.BytesIO(export.data))
    organisations = json.loads(archive.read("organisations.json"))
    assert [o["organisation"] for o in organisations["belonging"]] == ["Acme Engineering"]
    assert organisations["sharing"][0]["until"] is None
    mentoring = json.loads(archive.read("mentoring.json"))
    assert [(m["role"], m["mentor_email"], m["status"]) for m in mentoring] == [("mentee", mentor.email, "active")]

    assert client.delete("/api/v1/me", headers=auth_headers(ada)).status_code in (200, 204)
    people_now = client.get(f"/api/v1/organisations/{organisation['id']}/people", headers=admin).get_json()
    assert ada.id not in [p["member_id"] for p in people_now["items"]]
    assert client.get(f"/api/v1/mentees/{ada.id}/cpd-records", headers=auth_headers(mentor)).status_code == 404
    assert partners(app) == {"organisations": 1, "members_sponsored": 2, "members_in_approved_schemes": 1,
                             "mentoring_pairs": 1}
