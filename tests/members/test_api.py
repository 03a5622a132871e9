"""Profiles over the API: the member's own, and staff's view of everyone."""
from datetime import date

import sqlalchemy as sa

from cpd.extensions import db
from cpd.members.models import Member, ProfessionalRegistration


def stored(app, member_id):
    with app.app_context():
        member = db.session.get(Member, member_id)
        return {c: getattr(member, c) for c in ("full_name", "discipline", "grade", "role", "is_ambassador", "cpd_policy")}


def test_a_member_reads_and_changes_their_own_profile(client, app, create_member, auth_headers):
    member = create_member(full_name="Ann Example")
    headers = auth_headers(member)
    me = client.get("/api/v1/me", headers=headers).get_json()
    assert set(me) >= {"id", "email", "full_name", "role", "grade", "is_ambassador", "discipline", "sector",
                       "career_stage", "cpd_policy", "registrations"}
    response = client.patch(
        "/api/v1/me",
        headers=headers,
        json={"full_name": "Ann  B. Example", "discipline": "digital", "sector": "academia",
              "career_stage": "technician", "cpd_policy": "iet"},
    )
    assert response.status_code == 200
    assert response.get_json()["discipline"] == "digital"
    assert stored(app, member.id) == {
        "full_name": "Ann B. Example", "discipline": "digital", "grade": None, "role": "member",
        "is_ambassador": False, "cpd_policy": "iet",
    }


def test_a_member_cannot_set_grade_role_or_ambassador(client, app, create_member, auth_headers):
    member = create_member()
    headers = auth_headers(member)
    for change in ({"grade": "fellow"}, {"role": "staff"}, {"is_ambassador": True},
                   {"discipline": "science", "role": "staff"}):
        response = client.patch("/api/v1/me", headers=headers, json=change)
        assert response.status_code == 403, change
        assert "staff" in response.get_json()["message"]
    after = stored(app, member.id)
    assert (after["grade"], after["role"], after["is_ambassador"], after["discipline"]) == (None, "member", False, None)


def test_unknown_values_are_422_naming_the_allowed_ones_and_change_nothing(client, app, create_member, auth_headers):
    member = create_member(discipline="science")
    headers = auth_headers(member)
    response = client.patch("/api/v1/me", headers=headers, json={"discipline": "alchemy", "full_name": "Changed"})
    assert response.status_code == 422
    assert response.get_json()["errors"]["discipline"] == [
        "Must be one of: creative_industry, engineering, digital, science."
    ]
    policy = client.patch("/api/v1/me", headers=headers, json={"cpd_policy": "made_up"})
    assert policy.status_code == 422
    assert "science_council" in policy.get_json()["errors"]["cpd_policy"][0]
    unknown_field = client.patch("/api/v1/me", headers=headers, json={"shoe_size": 9})
    assert unknown_field.status_code == 422
    assert stored(app, member.id)["full_name"] != "Changed"
    assert stored(app, member.id)["discipline"] == "science"


def test_a_member_reading_the_member_list_is_403_and_anonymous_is_401(client, create_member, auth_headers):
    member = create_member()
    assert client.get("/api/v1/members", headers=auth_headers(member)).status_code == 403
    assert client.get(f"/api/v1/members/{member.id}", headers=auth_headers(member)).status_code == 403
    assert client.get("/api/v1/members").status_code == 401


def test_staff_list_and_search_members_in_the_contract_shape(client, create_member, create_staff, auth_headers):
    staff = create_staff()
    for number in range(25):
        create_member(full_name=f"Person {number:02d}", discipline="science" if number % 2 else "digital")
    create_member(full_name="Zed 100%_match", email="zed@example.org")
    headers = auth_headers(staff)

    page = client.get("/api/v1/members?per_page=10&page=2", headers=headers).get_json()
    assert (page["total"], page["page"], page["per_page"], len(page["items"])) == (27, 2, 10, 10)

    science = client.get("/api/v1/members?discipline=science&per_page=100", headers=headers).get_json()
    assert science["total"] == 12
    assert {m["discipline"] for m in science["items"]} == {"science"}

    literal = client.get("/api/v1/members?q=100%25_", headers=headers).get_json()
    assert [m["email"] for m in literal["items"]] == ["zed@example.org"]

    capped = client.get("/api/v1/members?per_page=1000", headers=headers).get_json()
    assert capped["per_page"] == 100
    assert client.get("/api/v1/members?page=0", headers=headers).status_code == 422
    assert client.get("/api/v1/members?grade=emperor", headers=headers).status_code == 422


def test_staff_set_grade_role_and_ambassador(client, app, create_member, create_staff, auth_headers):
    member = create_member()
    headers = auth_headers(create_staff())
    response = client.patch(
        f"/api/v1/members/{member.id}", headers=headers,
        json={"grade": "fellow", "is_ambassador": True, "role": "member"},
    )
    assert response.status_code == 200
    assert stored(app, member.id)["grade"] == "fellow"
    assert stored(app, member.id)["is_ambassador"] is True
    assert client.patch(f"/api/v1/members/{member.id}", headers=headers, json={"is_ambassador": "yes"}).status_code == 422
    assert client.get("/api/v1/members/999999", headers=headers).status_code == 404


def test_staff_record_professional_registrations(client, app, create_member, create_staff, auth_headers):
    member = create_member(grade="member")
    headers = auth_headers(create_staff())
    url = f"/api/v1/members/{member.id}/registrations"
    created = client.post(url, headers=headers, json={"title": "CEng", "awarded_on": "2026-03-14"})
    assert created.status_code == 201
    assert created.get_json() | {"id": None} == {"id": None, "title": "CEng", "awarded_on": "2026-03-14",
                                                          "lapsed_on": None, "lapse_reason": "",
                                                          "reinstatement_reason": ""}
    assert client.post(url, headers=headers, json={"title": "CEng", "awarded_on": "2026-04-01"}).status_code == 409
    bad_title = client.post(url, headers=headers, json={"title": "Wizard", "awarded_on": "2026-04-01"})
    assert bad_title.status_code == 422
    assert "CSci" in bad_title.get_json()["errors"]["title"][0]
    assert client.post(url, headers=headers, json={"title": "CSci", "awarded_on": "14/03/2026"}).status_code == 422
    assert client.post("/api/v1/members/999999/registrations", headers=headers,
                       json={"title": "CSci", "awarded_on": "2026-03-14"}).status_code == 404
    assert client.post(url, json={"title": "CSci", "awarded_on": "2026-03-14"}).status_code == 401
    profile = client.get(f"/api/v1/members/{member.id}", headers=headers).get_json()
    assert profile["registrations"] == [{"id": profile["registrations"][0]["id"], "title": "CEng", "awarded_on": "2026-03-14",
                                        "lapsed_on": None, "lapse_reason": "", "reinstatement_reason": ""}]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ProfessionalRegistration)) == 1
    assert date(2026, 3, 14).isoformat() == profile["registrations"][0]["awarded_on"]
