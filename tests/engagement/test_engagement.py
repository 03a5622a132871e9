"""Outside engagement and technical supporters, and the figures they make."""
from tests.metrics.test_strategy_lines import THIS_YEAR, kpis


def test_engagement_with_government_and_technical_supporters(client, app, create_member, create_staff, auth_headers):
    staff = auth_headers(create_staff())
    meeting = {"kind": "government", "organisation": "Department for Education", "title": "Technician skills round table",
               "happened_on": f"{THIS_YEAR}-02-02"}
    assert client.post("/api/v1/engagements", headers=auth_headers(create_member()), json=meeting).status_code == 403
    assert client.post("/api/v1/engagements", headers=staff, json={**meeting, "kind": "press"}).status_code == 422
    for change in ({}, {"title": "Consultation response"}, {"kind": "industry"},
                   {"happened_on": f"{THIS_YEAR - 1}-05-05"}):
        assert client.post("/api/v1/engagements", headers=staff, json={**meeting, **change}).status_code == 201
    assert client.get("/api/v1/engagements?kind=government", headers=staff).get_json()["total"] == 3

    supporter = {"name": "Acme Laboratories", "kind": "employer", "since": f"{THIS_YEAR - 2}-01-01",
                 "until": f"{THIS_YEAR - 1}-06-30"}
    backwards = client.post("/api/v1/supporters", headers=staff, json={**supporter, "until": f"{THIS_YEAR - 3}-01-01"})
    assert backwards.status_code == 422 and "until" in backwards.get_json()["errors"]
    client.post("/api/v1/supporters", headers=staff, json=supporter)
    client.post("/api/v1/supporters", headers=staff, json={"name": "Northern College", "kind": "college",
                                                           "since": f"{THIS_YEAR}-03-01"})
    # By hand: government this year 2 (one industry, one last year aside); supporters: last year 1, this year 1.
    assert kpis(app)["engagement"]["government"] == 2
    assert kpis(app)["recognition"]["technical_supporters"] == 1
    assert kpis(app, THIS_YEAR - 1)["recognition"]["technical_supporters"] == 1
    assert kpis(app, THIS_YEAR - 1)["engagement"]["government"] == 1
