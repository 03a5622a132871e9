"""Bad input of every kind gets a clear 4xx and stores nothing; meta characters are stored as given
and shown escaped."""
import sqlalchemy as sa

from cpd.events.models import Event
from cpd.extensions import db
from cpd.records.models import CpdRecord

ACTIVITY = {"title": "Reading", "activity_type": "self_directed", "started_on": "2025-03-01", "hours": 1}
NASTY = "<script>alert('x')</script>'; DROP TABLE members; --"


def count(app, model):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_malformed_bodies_are_4xx(client, app, create_member, auth_headers):
    headers = auth_headers(create_member())
    url = "/api/v1/me/cpd-records"
    cases = [
        ({"data": b'{"title": "x", "hours": 1', "content_type": "application/json"}, 400),
        ({"data": b'{"title": "\xff\xfe"}', "content_type": "application/json"}, 400),
        ({"data": "title=x", "content_type": "text/plain"}, 422),
        ({"json": {**ACTIVITY, "hours": 1e308}}, 422),
        ({"json": {**ACTIVITY, "hours": 10**400}}, 422),
        ({"json": {**ACTIVITY, "title": "x" * 5000}}, 422),
        ({"json": {**ACTIVITY, "started_on": "0001-01-01"}}, 422),
        ({"json": {**ACTIVITY, "started_on": "9999-12-31"}}, 422),
        ({"json": {**ACTIVITY, "title": "a\x00b"}}, 422),
        ({"json": [ACTIVITY]}, 422),
    ]
    for kwargs, status in cases:
        response = client.post(url, headers=headers, **kwargs)
        assert response.status_code == status, (kwargs, response.get_json())
        assert response.is_json and response.get_json()["message"]
    assert count(app, CpdRecord) == 0


def test_events_far_in_time_or_huge_are_refused(client, app, create_staff, auth_headers):
    staff = auth_headers(create_staff())
    base = {"kind": "course", "title": "x", "starts_at": "2031-01-01T10:00:00", "ends_at": "2031-01-01T12:00:00"}
    for change in ({"starts_at": "1000-01-01T10:00:00"}, {"ends_at": "9999-01-01T10:00:00"},
                   {"capacity": 10**12}, {"cpd_hours": 1e9}, {"venue": "v" * 1000}):
        assert client.post("/api/v1/events", headers=staff, json={**base, **change}).status_code == 422, change
    assert count(app, Event) == 0


def test_meta_characters_are_stored_as_given_and_shown_escaped(client, app, create_member, auth_headers, sign_in):
    member = create_member()
    created = client.post("/api/v1/me/cpd-records", headers=auth_headers(member),
                          json={**ACTIVITY, "title": NASTY, "learning": NASTY})
    assert created.status_code == 201 and created.get_json()["title"] == NASTY
    sign_in(member)
    page = client.get(f"/cpd/{created.get_json()['id']}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert count(app, CpdRecord) == 1
