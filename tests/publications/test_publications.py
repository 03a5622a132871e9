"""Publications: reading one makes a draft CPD record to reflect on, and the figures count readers."""
from datetime import date

from tests.metrics.test_kpis import at
from tests.metrics.test_strategy_lines import kpis


def test_reading_a_publication_makes_a_draft_record_and_counts(client, app, create_member, create_staff,
                                                               auth_headers):
    staff = auth_headers(create_staff())
    issue = {"title": "Journal of Technical Practice, issue 12", "kind": "journal_issue",
             "published_on": "2026-01-05", "url": "https://example.org/journal/12", "cpd_hours": 2.5}
    assert client.post("/api/v1/publications", headers=staff, json={**issue, "kind": "blog"}).status_code == 422
    assert client.post("/api/v1/publications", headers=staff,
                       json={**issue, "url": "javascript:alert(1)"}).get_json()["errors"]["url"]
    member = create_member(grade="member", created_at=at(date(2024, 1, 8)))
    reader = auth_headers(member)
    assert client.post("/api/v1/publications", headers=reader, json=issue).status_code == 403
    journal = client.post("/api/v1/publications", headers=staff, json=issue).get_json()
    guidance = client.post("/api/v1/publications", headers=staff, json={
        "title": "Guidance on calibration", "kind": "guidance", "published_on": "2026-03-01"}).get_json()
    assert client.get("/api/v1/publications").get_json()["total"] == 2

    record = client.post(f"/api/v1/publications/{journal['id']}/read", headers=reader)
    assert record.status_code == 201
    body = record.get_json()
    assert (body["title"], body["activity_type"], body["hours"], body["verified"], body["learning"]) == (
        "Read: Journal of Technical Practice, issue 12", "self_directed", 2.5, False, "")
    assert client.post(f"/api/v1/publications/{journal['id']}/read", headers=reader).status_code == 409
    assert client.post(f"/api/v1/publications/{guidance['id']}/read", headers=reader).get_json()["hours"] == 1.0
    individual = auth_headers(create_member(grade=None))
    assert client.post(f"/api/v1/publications/{journal['id']}/read", headers=individual).status_code == 201
    assert client.post("/api/v1/publications/9999/read", headers=reader).status_code == 404
    # By hand: 3 readings, by 2 people, 1 of them a member of the body.
    assert kpis(app)["publications"] == {"reads": 3, "readers": 2, "members_reading": 1}
