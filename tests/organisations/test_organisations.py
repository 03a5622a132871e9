"""Organisations: staff make one and name its admin; people join by the admin's invitation link;
a member shares their CPD standing and withdraws it, and what the admin sees changes at once;
every look is in the audit log; an approved scheme meets a sharing member's policy while the
approval, the belonging and the sharing all hold, and a lapsed one stops."""
import io
from datetime import date, timedelta

import sqlalchemy as sa
from pypdf import PdfReader

from cpd.core.audit import AuditEntry
from cpd.core.models import utcnow
from cpd.extensions import db


def make_organisation(client, staff_headers, admin, name="Acme Engineering"):
    made = client.post("/api/v1/organisations", headers=staff_headers, json={
        "name": name, "kind": "employer", "billing": {"name": "Acme Ltd", "address": "1 Works Road, Leeds",
                                                      "vat_number": "GB123456789", "email": "accounts@acme.example"}})
    assert made.status_code == 201, made.get_json()
    organisation = made.get_json()
    assert client.put(f"/api/v1/organisations/{organisation['id']}/admins/{admin.id}",
                      headers=staff_headers).status_code == 200
    return organisation


def join(client, headers, admin_headers, organisation_id):
    url = client.post(f"/api/v1/organisations/{organisation_id}/invitation", headers=admin_headers).get_json()["url"]
    token = url.rsplit("/", 1)[1]
    return client.post(f"/api/v1/organisation-invitations/{token}", headers=headers)


def test_consent_on_and_off_changes_what_the_admin_sees_at_once(client, app, create_member, create_staff,
                                                                 auth_headers, create_record):
    staff, admin, ada, bob = create_staff(), create_member(full_name="Alice Admin"), \
        create_member(full_name="Ada Engineer"), create_member(full_name="Bob Builder")
    organisation = make_organisation(client, auth_headers(staff), admin)
    admin_headers = auth_headers(admin)
    assert join(client, auth_headers(ada), admin_headers, organisation["id"]).status_code == 201
    assert join(client, auth_headers(bob), admin_headers, organisation["id"]).status_code == 201
    create_record(ada, hours=12, activity_type="formal_educational", started_on=date.today().replace(day=1))

    people = client.get(f"/api/v1/organisations/{organisation['id']}/people", headers=admin_headers).get_json()
    assert [(p["full_name"], p["sharing"], p["standing"]) for p in people["items"]] == [
        ("Ada Engineer", False, None), ("Alice Admin", False, None), ("Bob Builder", False, None)]

    shared = client.put("/api/v1/me/employer-sharing", headers=auth_headers(ada),
                        json={"organisation_id": organisation["id"], "share": True})
    assert shared.status_code == 200 and shared.get_json() == {"organisation_id": organisation["id"], "share": True}
    people = client.get(f"/api/v1/organisations/{organisation['id']}/people", headers=admin_headers).get_json()
    ada_row = next(p for p in people["items"] if p["full_name"] == "Ada Engineer")
    assert ada_row["sharing"] is True
    assert ada_row["standing"]["by_activity_type"]["formal_educational"] == 12.0
    assert set(ada_row["standing"]) >= {"compliant", "on_track", "shortfalls", "by_activity_type"}
    assert "title" not in str(ada_row["standing"])  # the standing, never the log
    assert next(p for p in people["items"] if p["full_name"] == "Bob Builder")["standing"] is None

    client.put("/api/v1/me/employer-sharing", headers=auth_headers(ada),
               json={"organisation_id": organisation["id"], "share": False})
    people = client.get(f"/api/v1/organisations/{organisation['id']}/people", headers=admin_headers).get_json()
    assert next(p for p in people["items"] if p["full_name"] == "Ada Engineer")["standing"] is None

    with app.app_context():
        looks = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "organisation.people_viewed")
                                   .order_by(AuditEntry.id)).all()
        assert [(look.actor_id, look.details["standings_seen"]) for look in looks] == [
            (admin.id, []), (admin.id, [ada.id]), (admin.id, [])]


def test_who_may_do_what(client, create_member, create_staff, auth_headers):
    staff, admin, outsider = create_staff(), create_member(), create_member()
    organisation = make_organisation(client, auth_headers(staff), admin)
    other = make_organisation(client, auth_headers(staff), create_member(), name="Other Org")
    # Sharing with an organisation one does not belong to: 403.
    refused = client.put("/api/v1/me/employer-sharing", headers=auth_headers(outsider),
                         json={"organisation_id": other["id"], "share": True})
    assert refused.status_code == 403
    # Someone not its admin (staff included) does not see its people: 404.
    for headers in (auth_headers(outsider), auth_headers(staff)):
        assert client.get(f"/api/v1/organisations/{organisation['id']}/people", headers=headers).status_code == 404
    # Members cannot make organisations.
    assert client.post("/api/v1/organisations", headers=auth_headers(admin),
                       json={"name": "Mine", "kind": "employer"}).status_code == 403
    # An invitation used twice by the same person: 409; an old link after a new one: 404.
    admin_headers = auth_headers(admin)
    first = client.post(f"/api/v1/organisations/{organisation['id']}/invitation", headers=admin_headers).get_json()
    token = first["url"].rsplit("/", 1)[1]
    assert client.post(f"/api/v1/organisation-invitations/{token}", headers=auth_headers(outsider)).status_code == 201
    assert client.post(f"/api/v1/organisation-invitations/{token}", headers=auth_headers(outsider)).status_code == 409
    client.post(f"/api/v1/organisations/{organisation['id']}/invitation", headers=admin_headers)
    late = create_member()
    assert client.post(f"/api/v1/organisation-invitations/{token}", headers=auth_headers(late)).status_code == 404
    # A scheme approval ending before it starts: 422.
    bad = client.post(f"/api/v1/organisations/{organisation['id']}/approvals", headers=auth_headers(staff),
                      json={"policy": "science_council", "from": "2026-06-01", "until": "2026-01-01"})
    assert bad.status_code == 422 and "until" in bad.get_json()["errors"]


def test_an_approved_scheme_meets_the_policy_and_a_lapsed_one_stops(client, app, create_member, create_staff,
                                                                    auth_headers):
    staff, admin, ada = create_staff(), create_member(), create_member()
    organisation = make_organisation(client, auth_headers(staff), admin)
    join(client, auth_headers(ada), auth_headers(admin), organisation["id"])
    today = utcnow().date()
    summary = client.get("/api/v1/me/cpd-summary", headers=auth_headers(ada)).get_json()
    assert summary["compliant"] is False and summary["met_through_scheme"] is None

    approved = client.post(f"/api/v1/organisations/{organisation['id']}/approvals", headers=auth_headers(staff),
                           json={"policy": ada.cpd_policy, "from": (today - timedelta(days=30)).isoformat(),
                                 "until": (today + timedelta(days=30)).isoformat(), "document_name": "scheme.pdf"})
    assert approved.status_code == 201, approved.get_json()
    # Not sharing: the scheme does not reach the member.
    assert client.get("/api/v1/me/cpd-summary", headers=auth_headers(ada)).get_json()["compliant"] is False
    client.put("/api/v1/me/employer-sharing", headers=auth_headers(ada),
               json={"organisation_id": organisation["id"], "share": True})
    summary = client.get("/api/v1/me/cpd-summary", headers=auth_headers(ada)).get_json()
    assert summary["compliant"] is True and summary["on_track"] is True
    assert summary["met_through_scheme"]["organisation"] == "Acme Engineering"
    assert any("Met through Acme Engineering's approved scheme" in note for note in summary["notes"])
    profile = client.get("/api/v1/me/cpd-profile.pdf", headers=auth_headers(ada))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(profile.data)).pages)
    assert "Meets the policy through Acme Engineering's approved employer scheme." in " ".join(text.split())
    # The day after the approval lapses, it no longer counts; the day before still does.
    last = (today + timedelta(days=30)).isoformat()
    after = (today + timedelta(days=31)).isoformat()
    assert client.get(f"/api/v1/me/cpd-summary?as_of={last}", headers=auth_headers(ada)).get_json()["compliant"]
    assert client.get(f"/api/v1/me/cpd-summary?as_of={after}",
                      headers=auth_headers(ada)).get_json()["met_through_scheme"] is None
    # Before the approval began, the past keeps what it was.
    before = (today - timedelta(days=31)).isoformat()
    assert client.get(f"/api/v1/me/cpd-summary?as_of={before}",
                      headers=auth_headers(ada)).get_json()["met_through_scheme"] is None


def test_the_join_page_joins_a_signed_in_member(client, create_member, create_staff, auth_headers, sign_in,
                                               form_post):
    staff, admin, ada = create_staff(), create_member(), create_member()
    organisation = make_organisation(client, auth_headers(staff), admin)
    url = client.post(f"/api/v1/organisations/{organisation['id']}/invitation",
                      headers=auth_headers(admin)).get_json()["url"]
    path = "/organisations/join/" + url.rsplit("/", 1)[1]
    assert client.get(path).status_code == 302  # sign in first
    sign_in(ada)
    assert "Join Acme Engineering" in client.get(path).get_data(as_text=True)
    joined = form_post(path, {})
    assert joined.status_code == 302
    mine = client.get("/api/v1/me/organisations").get_json()["items"]
    assert [(o["name"], o["sharing"], o["is_admin"]) for o in mine] == [("Acme Engineering", False, False)]


def test_staff_pages_add_an_organisation_and_approve_a_scheme_with_errors_beside_the_fields(
        client, create_staff, sign_in, form_post):
    sign_in(create_staff())
    made = form_post("/staff/organisations", {"name": "Brightwater Water", "kind": "employer",
                                              "billing_name": "Accounts", "billing_address": "1 Reservoir Lane"})
    assert made.status_code == 302
    page = made.headers["Location"]
    bad = form_post(page, {"policy": "science_council", "valid_from": "2026-06-01", "until": "2026-01-01"})
    assert bad.status_code == 422 and "The approval ends on or after the day it starts." in bad.get_data(as_text=True)
    good = form_post(page, {"policy": "science_council", "valid_from": "2026-01-01", "until": "2028-12-31",
                            "document_name": "Brightwater graduate scheme.pdf"})
    assert good.status_code == 302
    assert "Brightwater graduate scheme.pdf" in client.get(page).get_data(as_text=True)
    assert "Brightwater Water" in client.get("/staff/organisations?q=bright").get_data(as_text=True)


def test_the_annual_self_assessment_is_filed_by_the_admin_and_reviewed_by_staff(client, create_member,
                                                                                 create_staff, auth_headers):
    staff, other_staff, admin = create_staff(), create_staff(email="second.staff@example.org"), create_member()
    organisation = make_organisation(client, auth_headers(staff), admin)
    approval = client.post(f"/api/v1/organisations/{organisation['id']}/approvals", headers=auth_headers(staff),
                           json={"policy": "science_council", "from": "2026-01-01", "until": "2028-12-31"}).get_json()
    url = f"/api/v1/organisations/{organisation['id']}/approvals/{approval['id']}/self-assessments"
    not_pdf = client.post(url + "?year=2026", headers=auth_headers(admin), content_type="multipart/form-data",
                          data={"file": (io.BytesIO(b"<html>not a pdf</html>"), "sa.pdf")})
    assert not_pdf.status_code == 422 and "file" in not_pdf.get_json()["errors"]
    outside = client.post(url + "?year=2031", headers=auth_headers(admin), content_type="multipart/form-data",
                          data={"file": (io.BytesIO(b"%PDF-1.4 self-assessment"), "sa.pdf")})
    assert outside.status_code == 422 and "year" in outside.get_json()["errors"]
    filed = client.post(url + "?year=2026", headers=auth_headers(admin), content_type="multipart/form-data",
                        data={"file": (io.BytesIO(b"%PDF-1.4 self-assessment"), "Acme 2026.pdf")})
    assert filed.status_code == 201, filed.get_json()
    assessment = filed.get_json()
    assert (assessment["year"], assessment["status"], assessment["filename"]) == (2026, "submitted", "Acme 2026.pdf")
    listed = client.get(f"/api/v1/organisations/{organisation['id']}/self-assessments", headers=auth_headers(staff))
    assert [a["id"] for a in listed.get_json()["items"]] == [assessment["id"]]
    document = client.get(f"/api/v1/self-assessments/{assessment['id']}/document.pdf", headers=auth_headers(staff))
    assert document.status_code == 200 and document.data.startswith(b"%PDF")
    assert client.get(f"/api/v1/self-assessments/{assessment['id']}/document.pdf",
                      headers=auth_headers(create_member())).status_code == 404
    returned = client.put(f"/api/v1/self-assessments/{assessment['id']}/review", headers=auth_headers(other_staff),
                          json={"outcome": "returned"})
    assert returned.status_code == 422 and "comment" in returned.get_json()["errors"]
    accepted = client.put(f"/api/v1/self-assessments/{assessment['id']}/review", headers=auth_headers(other_staff),
                          json={"outcome": "accepted", "comment": "Clear plan for the year."})
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"


def test_staff_never_review_a_self_assessment_they_filed(client, create_member, create_staff, auth_headers):
    staff = create_staff()
    organisation = make_organisation(client, auth_headers(staff), staff)  # a member of staff who is its admin
    approval = client.post(f"/api/v1/organisations/{organisation['id']}/approvals", headers=auth_headers(staff),
                           json={"policy": "science_council", "from": "2026-01-01", "until": "2026-12-31"}).get_json()
    filed = client.post(f"/api/v1/organisations/{organisation['id']}/approvals/{approval['id']}/self-assessments"
                        "?year=2026", headers=auth_headers(staff), content_type="multipart/form-data",
                        data={"file": (io.BytesIO(b"%PDF-1.4 x"), "sa.pdf")}).get_json()
    refused = client.put(f"/api/v1/self-assessments/{filed['id']}/review", headers=auth_headers(staff),
                         json={"outcome": "accepted"})
    assert refused.status_code == 403


def test_an_admin_adds_a_member_who_belongs_once_they_confirm(client, create_member, create_staff, auth_headers):
    staff, admin, ada = create_staff(), create_member(), create_member(email="ada@example.org", full_name="Ada")
    organisation = make_organisation(client, auth_headers(staff), admin)
    added = client.post(f"/api/v1/organisations/{organisation['id']}/people", headers=auth_headers(admin),
                        json={"email": "ADA@example.org"})
    assert added.status_code == 201 and added.get_json() == {"member_id": ada.id, "full_name": "Ada",
                                                             "status": "invited"}
    assert client.post(f"/api/v1/organisations/{organisation['id']}/people", headers=auth_headers(admin),
                       json={"email": "nobody@example.org"}).status_code == 404
    people = client.get(f"/api/v1/organisations/{organisation['id']}/people", headers=auth_headers(admin)).get_json()
    assert ada.id not in [p["member_id"] for p in people["items"]]  # not until they confirm
    mine = client.get("/api/v1/me/organisations", headers=auth_headers(ada)).get_json()
    assert mine["items"] == [] and [o["name"] for o in mine["invitations"]] == ["Acme Engineering"]
    assert client.post(f"/api/v1/me/organisations/{organisation['id']}/confirm",
                       headers=auth_headers(ada)).status_code == 201
    mine = client.get("/api/v1/me/organisations", headers=auth_headers(ada)).get_json()
    assert [o["name"] for o in mine["items"]] == ["Acme Engineering"] and mine["invitations"] == []
    assert client.post(f"/api/v1/organisations/{organisation['id']}/people", headers=auth_headers(admin),
                       json={"email": "ada@example.org"}).status_code == 409
