"""Professional registration through the API: every transition of an application, and every
refusal (a competence without a statement, no supporter, editing after submission, a used or
expired supporter link, an assessor who may not assess, a decision too early)."""
import re
from datetime import date, timedelta

import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.notices.models import Notice
from cpd.extensions import db
from cpd.metrics import measures
from cpd.registration.frameworks import competence_rows
from cpd.registration.models import Application
from cpd.records.vocabulary import COMPETENCE_CODES

CEng_CODES = [row["code"] for row in competence_rows() if row["title"] == "CEng"]
SUPPORTER = {"name": "Priya Patel", "email": "priya.patel@example.org"}


def every_statement(text="I designed and commissioned a pumping station upgrade, leading a team of four."):
    return {code: text for code in CEng_CODES}


def supporter_link(app, application_id):
    with app.app_context():
        notice = db.session.scalar(sa.select(Notice).where(Notice.kind == "supporter_request")
                                   .order_by(Notice.id.desc()))
        assert notice.to_address == SUPPORTER["email"] and notice.body.startswith("Dear Priya Patel,")
        return re.search(r"https?://\S+/supporters/(\S+)", notice.body).group(1)


def submitted(client, app, headers):
    response = client.post("/api/v1/me/applications", headers=headers, json={"title": "CEng"})
    assert response.status_code == 201, response.get_json()
    application = response.get_json()
    client.patch(f"/api/v1/me/applications/{application['id']}", headers=headers,
                 json={"statements": every_statement(), "supporter": SUPPORTER})
    response = client.post(f"/api/v1/me/applications/{application['id']}/submit", headers=headers)
    assert response.status_code == 200, response.get_json()
    return application["id"], supporter_link(app, application["id"])


def test_the_titles_are_public_with_their_competences_in_our_words(client):
    found = {t["title"]: t for t in client.get("/api/v1/registration-titles").get_json()}
    assert set(found) == {"RSciTech", "RSci", "CSci", "EngTech", "IEng", "CEng", "ICTTech"}
    assert (found["CEng"]["register"], found["CEng"]["level"]) == ("engineering_council", 3)
    assert [c["code"] for c in found["CEng"]["competences"]][:3] == ["UKSPEC-A1", "UKSPEC-A2", "UKSPEC-B1"]
    assert found["CSci"]["competences"][0]["area"] == "Application of knowledge and understanding"
    assert found["EngTech"]["competences"][0]["statement"] != found["CEng"]["competences"][0]["statement"]
    assert {c["code"] for t in found.values() for c in t["competences"]} == set(COMPETENCE_CODES)


def test_the_competence_map_shows_evidence_and_gaps(client, create_member, auth_headers):
    headers = auth_headers(create_member())
    client.post("/api/v1/me/cpd-records", headers=headers, json={
        "title": "Risk workshop", "activity_type": "formal_educational", "started_on": "2026-03-02", "hours": 3,
        "competences": ["UKSPEC-E2"]})
    client.post("/api/v1/me/objectives", headers=headers, json={"title": "Lead a design review",
                                                                 "competences": ["UKSPEC-B2"]})
    found = client.get("/api/v1/me/competence-map/CEng", headers=headers).get_json()
    rows = {row["code"]: row for row in found["competences"]}
    assert [r["title"] for r in rows["UKSPEC-E2"]["records"]] == ["Risk workshop"]
    assert [o["title"] for o in rows["UKSPEC-B2"]["objectives"]] == ["Lead a design review"]
    assert "UKSPEC-E2" not in found["gaps"] and len(found["gaps"]) == 16
    assert client.get("/api/v1/me/competence-map/Wizard", headers=headers).status_code == 422


def test_an_application_from_draft_to_ratified(client, app, create_member, create_staff, auth_headers):
    applicant = create_member(grade="member", full_name="Ada Applicant")
    headers, staff = auth_headers(applicant), auth_headers(create_staff())
    first, second = (create_member(grade="fellow", registrations=[(t, date(2015, 1, 1))]) for t in ("CEng", "CEng"))
    record = client.post("/api/v1/me/cpd-records", headers=headers, json={
        "title": "Pump station upgrade", "activity_type": "work_based", "started_on": "2026-02-02", "hours": 8}).get_json()

    created = client.post("/api/v1/me/applications", headers=headers, json={"title": "CEng"})
    assert created.status_code == 201
    body = created.get_json()
    assert (body["status"], body["statements"], body["supporter"], body["record_ids"], body["assessors"]) == (
        "draft", {}, None, [], [])
    application_id = body["id"]
    assert client.post("/api/v1/me/applications", headers=headers, json={"title": "CEng"}).status_code == 409

    empty = client.post(f"/api/v1/me/applications/{application_id}/submit", headers=headers)
    assert empty.status_code == 422
    errors = empty.get_json()["errors"]
    assert all(code in errors["statements"][0] for code in CEng_CODES) and errors["supporter"]

    changed = client.patch(f"/api/v1/me/applications/{application_id}", headers=headers, json={
        "statements": every_statement(), "supporter": SUPPORTER, "record_ids": [record["id"]]}).get_json()
    assert (len(changed["statements"]), changed["supporter"], changed["record_ids"]) == (17, SUPPORTER, [record["id"]])
    assert client.post(f"/api/v1/me/applications/{application_id}/submit", headers=headers).get_json()["status"] == \
        "submitted"
    assert client.patch(f"/api/v1/me/applications/{application_id}", headers=headers,
                        json={"statements": {"UKSPEC-A1": "Changed"}}).status_code == 409
    token = supporter_link(app, application_id)

    supported = client.post(f"/api/v1/supporter-confirmations/{token}", json={"confirmed": True, "comment": "Solid."})
    assert supported.status_code == 200 and supported.get_json()["status"] == "supported"
    assert client.post(f"/api/v1/supporter-confirmations/{token}", json={"confirmed": True}).status_code == 410

    early = client.post(f"/api/v1/applications/{application_id}/decision", headers=staff, json={"outcome": "ratified"})
    assert early.status_code == 422
    appointed = client.put(f"/api/v1/applications/{application_id}/assessors", headers=staff,
                           json={"member_ids": [first.id, second.id]})
    assert appointed.status_code == 200 and appointed.get_json()["status"] == "under_assessment"

    verdict = {"competences": {code: "met" for code in CEng_CODES}, "comment": "Clear evidence throughout.",
               "recommendation": "register"}
    first_headers, second_headers = auth_headers(first), auth_headers(second)
    assert client.get("/api/v1/me/assessments", headers=first_headers).get_json()["total"] == 1
    incomplete = client.put(f"/api/v1/applications/{application_id}/assessment", headers=first_headers,
                            json={**verdict, "competences": {"UKSPEC-A1": "met"}})
    assert incomplete.status_code == 422 and "UKSPEC-E5" in incomplete.get_json()["errors"]["competences"][0]
    assert client.put(f"/api/v1/applications/{application_id}/assessment", headers=first_headers,
                      json=verdict).status_code == 200
    # Neither sees the other's until both are in.
    seen = client.get(f"/api/v1/applications/{application_id}", headers=second_headers).get_json()["assessments"]
    assert [a["assessor_id"] for a in seen] == [second.id]
    assert client.put(f"/api/v1/applications/{application_id}/assessment", headers=second_headers,
                      json={**verdict, "comment": "Agreed."}).status_code == 200
    both = client.get(f"/api/v1/applications/{application_id}", headers=second_headers).get_json()
    assert both["status"] == "assessed" and len(both["assessments"]) == 2

    ratified = client.post(f"/api/v1/applications/{application_id}/decision", headers=staff,
                           json={"outcome": "ratified", "comment": "Welcome to the register."})
    assert ratified.status_code == 200 and ratified.get_json()["status"] == "ratified"
    profile = client.get("/api/v1/me", headers=headers).get_json()
    assert [(r["title"], r["awarded_on"]) for r in profile["registrations"]] == [("CEng", utcnow().date().isoformat())]
    steps = [s["step"] for s in client.get(f"/api/v1/me/applications/{application_id}", headers=headers
                                           ).get_json()["history"]]
    assert steps == ["started", "submitted", "supported", "assessors_appointed", "one_assessment_in", "assessed",
                     "ratified"]
    with app.app_context():
        kinds = set(db.session.scalars(sa.select(Notice.kind).where(Notice.member_id == applicant.id)))
        figures = measures.kpis(utcnow().year).as_dict()
    assert {"application_submitted", "application_supported", "application_assessors_appointed",
            "application_ratified"} <= kinds
    assert figures["applications"]["submitted"] == 1 and figures["applications"]["ratified"] == 1
    assert figures["applications"]["median_days_to_decision"] == 0


def test_a_supporter_who_declines_sends_the_application_back_to_draft(client, app, create_member, auth_headers):
    headers = auth_headers(create_member())
    application_id, token = submitted(client, app, headers)
    no_reason = client.post(f"/api/v1/supporter-confirmations/{token}", json={"confirmed": False})
    assert no_reason.status_code == 422 and no_reason.get_json()["errors"]["comment"]
    declined = client.post(f"/api/v1/supporter-confirmations/{token}",
                           json={"confirmed": False, "comment": "Say more about leading the team."})
    assert declined.get_json()["status"] == "draft"
    history = client.get(f"/api/v1/me/applications/{application_id}", headers=headers).get_json()["history"]
    assert history[-1]["comment"] == "Say more about leading the team."
    assert client.post("/api/v1/supporter-confirmations/not-a-real-link", json={"confirmed": True}).status_code == 404


def test_an_expired_supporter_link_is_gone(client, app, create_member, auth_headers):
    application_id, token = submitted(client, app, auth_headers(create_member()))
    with app.app_context():
        db.session.execute(sa.update(Application).values(supporter_link_expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert client.post(f"/api/v1/supporter-confirmations/{token}", json={"confirmed": True}).status_code == 410
    assert client.get(f"/supporters/{token}").status_code == 410


def test_who_may_assess(client, app, create_member, create_staff, auth_headers):
    applicant = create_member()
    staff = auth_headers(create_staff())
    application_id, token = submitted(client, app, auth_headers(applicant))
    client.post(f"/api/v1/supporter-confirmations/{token}", json={"confirmed": True})
    chartered = create_member(registrations=[("CEng", date(2010, 1, 1))])
    incorporated = create_member(registrations=[("IEng", date(2010, 1, 1))])
    scientist = create_member(registrations=[("CSci", date(2010, 1, 1))])
    supporter = create_member(email=SUPPORTER["email"], registrations=[("CEng", date(2010, 1, 1))])
    url = f"/api/v1/applications/{application_id}/assessors"
    for ids, words in (([chartered.id, applicant.id], "the applicant cannot assess"),
                       ([chartered.id, incorporated.id], "holds none of CEng"),
                       ([chartered.id, scientist.id], "holds none of CEng"),
                       ([chartered.id, supporter.id], "the supporter cannot also assess"),
                       ([chartered.id, chartered.id], "two different assessors")):
        response = client.put(url, headers=staff, json={"member_ids": ids})
        assert response.status_code == 422 and words in response.get_json()["errors"]["member_ids"][0], ids
    assert client.put(url, headers=auth_headers(chartered), json={"member_ids": [1, 2]}).status_code == 403
    # An assessor not appointed, and another member, see nothing of it.
    assert client.get(f"/api/v1/applications/{application_id}", headers=auth_headers(chartered)).status_code == 404
    assert client.put(f"/api/v1/applications/{application_id}/assessment", headers=auth_headers(chartered), json={
        "competences": {}, "recommendation": "register"}).status_code == 404


def test_another_members_application_is_404_and_statements_have_a_sane_size(client, create_member, auth_headers):
    owner, other = auth_headers(create_member()), auth_headers(create_member())
    application_id = client.post("/api/v1/me/applications", headers=owner, json={"title": "RSci"}).get_json()["id"]
    assert client.get(f"/api/v1/me/applications/{application_id}", headers=other).status_code == 404
    assert client.patch(f"/api/v1/me/applications/{application_id}", headers=other,
                        json={"statements": {}}).status_code == 404
    huge = client.patch(f"/api/v1/me/applications/{application_id}", headers=owner,
                        json={"statements": {"SC-A1": "word " * 3000}})
    assert huge.status_code == 422 and "10000 characters" in huge.get_json()["errors"]["statements"][0]
    wrong = client.patch(f"/api/v1/me/applications/{application_id}", headers=owner,
                         json={"statements": {"UKSPEC-A1": "Not this framework"}})
    assert wrong.status_code == 422 and "SC-A1" in wrong.get_json()["errors"]["statements"][0]
    assert client.post("/api/v1/me/applications", headers=owner, json={"title": "Wizard"}).status_code == 422
    withdrawn = client.post(f"/api/v1/me/applications/{application_id}/withdraw", headers=owner)
    assert withdrawn.get_json()["status"] == "withdrawn"
    assert client.post(f"/api/v1/me/applications/{application_id}/withdraw", headers=owner).status_code == 409
