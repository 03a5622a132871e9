"""A figure for every line of the strategy's "how we measure it", each against a scenario counted by
hand: publications read, engagement with government, technical supporters, member surveys,
voluntary equality answers (small counts suppressed), and targets with last year beside them."""
import csv
import io
from datetime import date, timedelta

import sqlalchemy as sa

from cpd.core.audit import AuditEntry
from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members.models import EqualityAnswers
from cpd.metrics import measures
from tests.metrics.test_kpis import at

TODAY = utcnow().date()
THIS_YEAR = TODAY.year


def kpis(app, year=THIS_YEAR):
    with app.app_context():
        return measures.kpis(year).as_dict()


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


def test_a_survey_is_answered_once_while_open(client, app, create_member, create_staff, auth_headers):
    staff = auth_headers(create_staff())
    survey = {"title": "Members' survey", "opens_on": (TODAY - timedelta(days=3)).isoformat(),
              "closes_on": (TODAY + timedelta(days=10)).isoformat(),
              "questions": [{"text": "How well does the body serve you?", "kind": "rating"},
                            {"text": "How useful are the SIGs?", "kind": "rating"},
                            {"text": "What should we do better?", "kind": "text"}]}
    backwards = client.post("/api/v1/surveys", headers=staff, json={**survey, "closes_on": "2020-01-01"})
    assert backwards.status_code == 422 and "closes_on" in backwards.get_json()["errors"]
    created = client.post("/api/v1/surveys", headers=staff, json=survey).get_json()
    closed = client.post("/api/v1/surveys", headers=staff, json={
        **survey, "opens_on": "2025-01-01", "closes_on": "2025-01-31"}).get_json()

    ann, bob = auth_headers(create_member(grade="member")), auth_headers(create_member(grade="member"))
    url = f"/api/v1/surveys/{created['id']}/responses"
    assert client.get("/api/v1/surveys", headers=ann).get_json()["total"] == 1  # only the open one
    bad = client.post(url, headers=ann, json={"answers": [6, 4, ""]})
    assert bad.status_code == 422 and "Question 1" in bad.get_json()["errors"]["answers"][0]
    assert client.post(url, headers=ann, json={"answers": [5, 4, "More evening sessions"]}).status_code == 201
    twice = client.post(url, headers=ann, json={"answers": [1, 1, ""]})
    assert twice.status_code == 422 and twice.get_json()["errors"]["survey"] == ["You have already answered this survey."]
    question_ids = [q["id"] for q in created["questions"]]
    assert client.post(url, headers=bob, json={"answers": {str(question_ids[0]): 3, str(question_ids[1]): 2}}
                       ).status_code == 201
    outside = client.post(f"/api/v1/surveys/{closed['id']}/responses", headers=bob, json={"answers": [5, 5, ""]})
    assert outside.status_code == 422 and "not open today" in outside.get_json()["errors"]["survey"][0]
    # By hand: 2 responses; ratings 5, 4, 3, 2: average 3.5.
    assert kpis(app)["satisfaction"]["survey"] == {"responses": 2, "average_rating": 3.5}
    results = client.get(f"/api/v1/surveys/{created['id']}", headers=staff).get_json()
    assert (results["responses"], results["average_rating"]) == (2, 3.5)
    assert "responses" not in client.get(f"/api/v1/surveys/{created['id']}", headers=ann).get_json()


def test_equality_answers_are_voluntary_private_and_shown_only_in_fives(client, app, create_member, create_staff,
                                                                         auth_headers):
    people = [create_member(grade="member", created_at=at(date(2024, 1, 8))) for _ in range(8)]
    for number, person in enumerate(people):
        headers = auth_headers(person)
        answers = {"consent": True, "gender": "woman" if number < 6 else "man", "age_band": "35_44",
                   "ethnicity": "prefer_not_to_say"}
        response = client.put("/api/v1/me/equality", headers=headers, json=answers)
        assert response.status_code == 200 and response.get_json()["gender"] == answers["gender"]
    headers = auth_headers(people[0])
    wrong = client.put("/api/v1/me/equality", headers=headers, json={"consent": True, "gender": "robot"})
    assert wrong.status_code == 422 and "woman" in wrong.get_json()["errors"]["gender"][0]
    assert client.put("/api/v1/me/equality", headers=headers, json={"gender": "man"}).status_code == 422  # no consent

    # By hand: 8 answered; the first withdraws: women 5, men 2 (fewer than 5: not shown); all 7 aged 35-44,
    # which would give the men's 2 away as 7 - 5: the women's count is hidden too.
    withdrawn = client.put("/api/v1/me/equality", headers=headers, json={"consent": False})
    assert withdrawn.get_json() == {"consent": False, "gender": None, "age_band": None, "ethnicity": None,
                                    "disability": None}
    with app.app_context():
        assert db.session.get(EqualityAnswers, people[0].id) is None
    diversity = kpis(app)["diversity"]
    assert diversity["gender"] == {"woman": None, "man": None}
    assert diversity["age_band"] == {"35_44": 7} and diversity["disability"] == {}

    staff = auth_headers(create_staff())
    exported = client.get(f"/api/v1/exports/members.csv?year={THIS_YEAR}", headers=staff).get_data(as_text=True)
    header = next(csv.reader(io.StringIO(exported)))
    assert not {"gender", "ethnicity", "age_band", "disability", "Gender", "Ethnic group"} & set(header)
    listed = client.get("/api/v1/members", headers=staff).get_data(as_text=True)
    assert "woman" not in listed and "35_44" not in listed
    with app.app_context():
        details = " ".join(str(d) for d in db.session.scalars(sa.select(AuditEntry.details)))
    assert "woman" not in details


def test_targets_per_measure_with_last_year_beside_them(client, app, create_member, create_staff, auth_headers,
                                                        sign_in, form_post):
    staff_member = create_staff()
    staff = auth_headers(staff_member)
    url = "/api/v1/metrics/targets"
    unknown = client.put(url, headers=staff, json={"year": THIS_YEAR, "measure": "happiness", "target": 10})
    assert unknown.status_code == 422 and "training.members_engaged" in unknown.get_json()["errors"]["measure"][0]
    assert client.put(url, headers=staff, json={"year": THIS_YEAR, "measure": "cpd.hours_logged", "target": -1}
                      ).status_code == 422
    saved = client.put(url, headers=staff, json={"year": THIS_YEAR, "measure": "membership.members", "target": 3})
    assert saved.status_code == 200 and saved.get_json()["targets"] == {"membership.members": 3.0}
    assert client.put(url, headers=auth_headers(create_member()), json={
        "year": THIS_YEAR, "measure": "membership.members", "target": 3}).status_code == 403

    create_member(grade="member", created_at=at(date(THIS_YEAR - 1, 3, 1)))
    create_member(grade="fellow", created_at=at(date(THIS_YEAR, 3, 1)))
    sign_in(staff_member)
    html = client.get(f"/staff/figures?year={THIS_YEAR}").get_data(as_text=True)
    # Members of the body: 2 this year against a target of 3 (below), 1 last year.
    assert "<th scope=\"row\">Members of the body</th>" in html
    row = html.split("<th scope=\"row\">Members of the body</th>", 1)[1].split("</tr>", 1)[0]
    assert ">2 <span class=\"status-bad\">(below)</span>" in row and ">3.0<" in row and ">1<" in row

    page = form_post(f"/staff/figures/targets?year={THIS_YEAR}", {"membership.members": "2", "cpd.hours_logged": "abc"})
    assert page.status_code == 422 and "Give a number" in page.get_data(as_text=True)
    assert client.get(url + f"?year={THIS_YEAR}", headers=staff).get_json()["targets"] == {"membership.members": 3.0}
    form_post(f"/staff/figures/targets?year={THIS_YEAR}", {"membership.members": "2"})
    assert client.get(url + f"?year={THIS_YEAR}", headers=staff).get_json()["targets"] == {"membership.members": 2.0}


def test_with_no_applications_or_declarations_the_keys_are_there_with_zeros(app):
    figures = kpis(app)
    assert figures["applications"] == {"submitted": 0, "ratified": 0, "declined": 0, "median_days_to_decision": None,
                                       "by_status": {}}
    assert figures["revalidation"] == {"declared": 0, "audited": 0, "outcomes": {}}
