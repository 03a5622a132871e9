"""Every SIG route and every session route, for every kind of caller: anonymous, a member,
a member of this SIG, a lead of this SIG, a lead of another SIG, and staff. A lead of another
SIG gets 403 or 404, never a change."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.events.models import Event
from cpd.extensions import db

ROLES = ("anonymous", "member", "sig_member", "lead", "other_lead", "staff")


@pytest.fixture
def world(create_member, create_staff, create_sig, create_event, create_booking, auth_headers):
    lead, other_lead = create_member(grade="member"), create_member(grade="fellow")
    sig_member, member, staff = create_member(), create_member(grade="associate"), create_staff()
    sig = create_sig(leads=[lead], members=[sig_member])
    other_sig = create_sig(leads=[other_lead])
    future = utcnow() + timedelta(days=7)
    session = create_event(kind="sig_session", sig_id=sig.id, title="Session", starts_at=future, capacity=10)
    members_only = create_event(kind="sig_session", sig_id=sig.id, title="Members only", starts_at=future,
                                members_only=True)
    past = create_event(kind="sig_session", sig_id=sig.id, title="Past", starts_at=utcnow() - timedelta(hours=3))
    outreach = create_event(kind="outreach", sig_id=sig.id, title="School visit", starts_at=utcnow() - timedelta(days=2))
    past_booking = create_booking(sig_member, past)
    people = {"member": member, "sig_member": sig_member, "lead": lead, "other_lead": other_lead, "staff": staff}
    headers = {role: auth_headers(person) for role, person in people.items()}
    headers["anonymous"] = {}
    ids = {"sig": sig.id, "other_sig": other_sig.id, "session": session.id, "members_only": members_only.id,
           "past": past.id, "outreach": outreach.id, "past_booking": past_booking, "sig_member_id": sig_member.id,
           "appointee": member.id, "lead_id": lead.id}
    return headers, ids


def later(days, hours=0):
    return (utcnow() + timedelta(days=days, hours=hours)).isoformat()


def _all(status):
    return dict.fromkeys(ROLES, status)


def _staff_only(success):
    return {"anonymous": 401, "member": 403, "sig_member": 403, "lead": 403, "other_lead": 403, "staff": success}


def _leads_and_staff(success):
    return {"anonymous": 401, "member": 403, "sig_member": 403, "lead": success, "other_lead": 403, "staff": success}


CASES = [
    # SIG routes
    ("GET", "/api/v1/sigs", None, _all(200)),
    ("POST", "/api/v1/sigs", {"name": "New group"}, _staff_only(201)),
    ("GET", "/api/v1/sigs/{sig}", None, _all(200)),
    ("PATCH", "/api/v1/sigs/{sig}", {"description": "changed"}, _staff_only(200)),
    ("POST", "/api/v1/sigs/{sig}/members", None,
     {"anonymous": 401, "member": 201, "sig_member": 409, "lead": 409, "other_lead": 201, "staff": 201}),
    ("DELETE", "/api/v1/sigs/{sig}/members/me", None,
     {"anonymous": 401, "member": 404, "sig_member": 204, "lead": 409, "other_lead": 404, "staff": 404}),
    ("PUT", "/api/v1/sigs/{sig}/leads/{appointee}", None, _staff_only(200)),
    ("DELETE", "/api/v1/sigs/{sig}/leads/{lead_id}", None, _staff_only(204)),
    # session routes
    ("GET", "/api/v1/events/{session}", None, _all(200)),
    ("POST", "/api/v1/events", {"kind": "sig_session", "sig_id": "{sig}", "title": "New session",
                                "starts_at": later(10), "ends_at": later(10, 2)}, _leads_and_staff(201)),
    ("PATCH", "/api/v1/events/{session}", {"title": "Renamed"}, _leads_and_staff(200)),
    ("POST", "/api/v1/events/{session}/cancel", None, _leads_and_staff(200)),
    ("GET", "/api/v1/events/{session}/bookings", None, _leads_and_staff(200)),
    ("GET", "/api/v1/events/{session}/attendees.csv", None, _leads_and_staff(200)),
    ("PUT", "/api/v1/events/{past}/attendance", {"attended": ["{past_booking}"]}, _leads_and_staff(200)),
    ("PUT", "/api/v1/events/{outreach}/reach", {"young_people": 10, "parents": 2, "teachers": 1},
     _leads_and_staff(200)),
    ("POST", "/api/v1/events/{session}/sessions", {"title": "Talk", "starts_at": later(7), "ends_at": later(7, 1)},
     {"anonymous": 401, "member": 403, "sig_member": 403, "lead": 403, "other_lead": 403, "staff": 422}),
    ("POST", "/api/v1/events/{session}/bookings", None,
     {"anonymous": 401, "member": 201, "sig_member": 201, "lead": 201, "other_lead": 201, "staff": 201}),
    ("POST", "/api/v1/events/{members_only}/bookings", None,
     {"anonymous": 401, "member": 422, "sig_member": 201, "lead": 201, "other_lead": 422, "staff": 422}),
    ("GET", "/api/v1/me/led-sigs", None,
     {"anonymous": 401, "member": 200, "sig_member": 200, "lead": 200, "other_lead": 200, "staff": 200}),
    # the lead's pages
    ("GET", "/events/{session}/register", None,
     {"anonymous": 302, "member": 403, "sig_member": 403, "lead": 200, "other_lead": 403, "staff": 200}),
    ("GET", "/events/{session}/edit", None,
     {"anonymous": 302, "member": 403, "sig_member": 403, "lead": 200, "other_lead": 403, "staff": 200}),
    ("GET", "/events/{outreach}/reach", None,
     {"anonymous": 302, "member": 403, "sig_member": 403, "lead": 200, "other_lead": 403, "staff": 200}),
    ("GET", "/sigs/{sig}/leads", None,
     {"anonymous": 302, "member": 403, "sig_member": 403, "lead": 403, "other_lead": 403, "staff": 200}),
]


def _fill(value, ids):
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and value[1:-1] in ids:
            return ids[value[1:-1]]
        return value.format(**ids)
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _sign_in_pages(client, app, role, world_headers):
    """Pages use the session cookie: sign the role in the way the browser would."""
    from cpd.auth.services import member_for_token

    token = world_headers[role]["Authorization"].split(" ", 1)[1]
    with app.app_context():
        member_id = member_for_token(token).get_id()
    with client.session_transaction() as session:
        session["_user_id"] = str(member_id)
        session["_fresh"] = True


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, path, body, expected", CASES, ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_permission_matrix(client, app, world, method, path, body, expected, role):
    headers, ids = world
    url = _fill(path, ids)
    if url.startswith("/api/"):
        response = client.open(url, method=method, headers=headers[role], json=_fill(body, ids))
    else:
        if role != "anonymous":
            _sign_in_pages(client, app, role, headers)
        response = client.open(url, method=method)
    assert response.status_code == expected[role], response.get_data(as_text=True)[:300]


@pytest.mark.parametrize("role", ("member", "sig_member", "other_lead"))
def test_a_refused_change_changes_nothing(client, app, world, role):
    headers, ids = world
    client.patch(f"/api/v1/events/{ids['session']}", headers=headers[role], json={"title": "Hijacked", "capacity": 0})
    client.post(f"/api/v1/events/{ids['session']}/cancel", headers=headers[role])
    with app.app_context():
        event = db.session.get(Event, ids["session"])
        assert (event.title, event.capacity, event.status) == ("Session", 10, "published")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 4
