"""Professional registration through the API, as a state machine: every transition from draft
through referees, assessment, the professional review interview and the committee to ratified; the
decline and its appeal; the referral back; and every refusal of a step taken out of turn or by
someone with another part in the application."""
import re
from datetime import date, timedelta

import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.metrics import measures
from cpd.notices.models import Notice
from cpd.records.vocabulary import COMPETENCE_CODES
from cpd.registration.frameworks import competence_rows
from cpd.registration.models import Application, Interview, Referee

CODES = {title: [row["code"] for row in competence_rows() if row["title"] == title]
         for title in ("CEng", "RSci", "RegisteredPractitioner")}
REFEREES = [{"name": "Priya Patel", "email": "priya.patel@example.org"},
            {"name": "Tom Okafor", "email": "tom.okafor@example.org"}]
CAREER = [{"role": "Design engineer", "employer": "Severn Water", "from": "2016-09", "to": "", "summary": "Pumps."}]
QUALIFICATIONS = [{"name": "MEng Civil Engineering", "awarded_by": "University of Bristol", "year": 2016}]


def every_statement(title="CEng", text="I designed and commissioned a pumping station upgrade, leading four."):
    return {code: text for code in CODES[title]}


def complete_draft(title="CEng", referees=None):
    return {"statements": every_statement(title), "referees": referees or REFEREES[:2 if title == "CEng" else 1],
            "qualifications": QUALIFICATIONS, "career_history": CAREER, "code_of_conduct_accepted": True}


def referee_links(app):
    """{referee address: the token of their private link}, from the latest notice each was sent."""
    with app.app_context():
        notices = db.session.scalars(sa.select(Notice).where(Notice.kind == "referee_request").order_by(Notice.id))
        return {n.to_address: re.search(r"/supporters/(\S+)", n.body).group(1) for n in notices}


def verdict(title="CEng", recommendation="register", unmet=()):
    return {"competences": {code: "not_met" if code in unmet else "met" for code in CODES[title]},
            "comment": "Clear evidence.", "recommendation": recommendation}


class Journey:
    """An application walked through its steps by the people who take them."""

    def __init__(self, client, app, create_member, create_staff, auth_headers, title="CEng"):
        self.client, self.app, self.title = client, app, title
        self.applicant = create_member(grade="member", full_name="Ada Applicant", email="ada.applicant@example.org")
        self.headers = auth_headers(self.applicant)
        self.staff = auth_headers(create_staff(full_name="Sam Staff", email="sam.staff@example.org"))
        self.other_staff = auth_headers(create_staff(full_name="Olu Staff", email="olu.staff@example.org"))
        self.registrants = [create_member(grade="fellow", full_name=f"Reviewer {n}",
                                          registrations=[(title, date(2015, 1, 1))]) for n in range(4)]
        self.reviewer_headers = [auth_headers(m) for m in self.registrants]
        self.id = None

    def url(self, tail=""):
        return f"/api/v1/applications/{self.id}{tail}"

    def own(self, tail=""):
        return f"/api/v1/me/applications/{self.id}{tail}"

    def started(self):
        response = self.client.post("/api/v1/me/applications", headers=self.headers, json={"title": self.title})
        assert response.status_code == 201, response.get_json()
        self.id = response.get_json()["id"]
        return response.get_json()

    def submitted(self):
        self.started()
        assert self.client.patch(self.own(), headers=self.headers, json=complete_draft(self.title)).status_code == 200
        response = self.client.post(self.own("/submit"), headers=self.headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def supported(self):
        self.submitted()
        for token in referee_links(self.app).values():
            answer = self.client.post(f"/api/v1/referee-confirmations/{token}", json={"confirmed": True})
            assert answer.status_code == 200, answer.get_json()
        return answer.get_json()

    def assessed(self, *recommendations):
        self.supported()
        first, second = self.registrants[:2]
        appointed = self.client.put(self.url("/assessors"), headers=self.staff, json={"member_ids": [first.id, second.id]})
        assert appointed.status_code == 200, appointed.get_json()
        for headers, recommendation in zip(self.reviewer_headers[:2], recommendations or ("register", "register")):
            unmet = () if recommendation == "register" else CODES[self.title][:1]
            answer = self.client.put(self.url("/assessment"), headers=headers, json=verdict(self.title, recommendation, unmet))
            assert answer.status_code == 200, answer.get_json()
        return self.client.get(self.url(), headers=self.staff).get_json()

    def interview_plan(self, **changes):
        starts = (utcnow() + timedelta(days=10)).replace(tzinfo=None, microsecond=0)
        return {"starts_at": starts.isoformat(), "timezone": "Europe/London", "venue": "One Great George Street",
                "interviewer_ids": [self.registrants[2].id, self.registrants[3].id], **changes}

    def interviewed(self, *recommendations):
        self.assessed()
        scheduled = self.client.post(self.url("/interview"), headers=self.staff, json=self.interview_plan())
        assert scheduled.status_code == 200, scheduled.get_json()
        self.interview_happened()
        for headers, recommendation in zip(self.reviewer_headers[2:], recommendations or ("register", "register")):
            unmet = () if recommendation == "register" else CODES[self.title][:1]
            answer = self.client.put(self.url("/interview-report"), headers=headers,
                                     json=verdict(self.title, recommendation, unmet))
            assert answer.status_code == 200, answer.get_json()
        return self.client.get(self.url(), headers=self.staff).get_json()

    def interview_happened(self):
        with self.app.app_context():
            db.session.execute(sa.update(Interview).where(Interview.application_id == self.id)
                               .values(starts_at=utcnow() - timedelta(hours=2)))
            db.session.commit()

    def decide(self, outcome, headers=None, **more):
        return self.client.post(self.url("/decision"), headers=headers or self.staff,
                                json={"outcome": outcome, "comment": more.pop("comment", "Decided."), **more})

    def steps(self):
        return [s["step"] for s in self.client.get(self.own(), headers=self.headers).get_json()["history"]]


def journey(client, app, create_member, create_staff, auth_headers, title="CEng"):
    return Journey(client, app, create_member, create_staff, auth_headers, title)


def test_the_titles_say_how_many_referees_and_whether_an_interview_follows(client):
    found = {t["title"]: t for t in client.get("/api/v1/registration-titles").get_json()}
    assert set(found) == {"RSciTech", "RSci", "CSci", "EngTech", "IEng", "CEng", "ICTTech", "RegisteredPractitioner"}
    assert {t: (v["referees_required"], v["interview"]) for t, v in found.items()} == {
        "CEng": (2, True), "IEng": (2, True), "CSci": (2, False), "RSci": (1, False), "RSciTech": (1, False),
        "EngTech": (1, False), "ICTTech": (1, False), "RegisteredPractitioner": (1, False)}
    practitioner = found["RegisteredPractitioner"]
    assert (practitioner["register"], practitioner["level"], len(practitioner["competences"])) == (
        "ist_practitioners", 2, 7)
    assert [c["code"] for c in found["CEng"]["competences"]][:3] == ["UKSPEC-A1", "UKSPEC-A2", "UKSPEC-B1"]
    assert {c["code"] for t in found.values() for c in t["competences"]} == set(COMPETENCE_CODES)


def test_only_a_member_of_the_body_applies(client, create_member, auth_headers):
    ungraded = client.post("/api/v1/me/applications", headers=auth_headers(create_member()), json={"title": "RSci"})
    assert ungraded.status_code == 403 and "member of the body" in ungraded.get_json()["message"]
    left = create_member(grade="member", joined_on=date(2010, 1, 1), left_on=utcnow().date() - timedelta(days=1))
    assert client.post("/api/v1/me/applications", headers=auth_headers(left), json={"title": "RSci"}).status_code == 403


def test_a_draft_carries_referees_qualifications_career_and_the_code_of_conduct(client, app, create_member,
                                                                              create_staff, auth_headers):
    trip = journey(client, app, create_member, create_staff, auth_headers)
    body = trip.started()
    assert (body["status"], body["referees"], body["qualifications"], body["code_of_conduct_accepted"]) == (
        "draft", [], [], False)
    empty = client.post(trip.own("/submit"), headers=trip.headers)
    errors = empty.get_json()["errors"]
    assert empty.status_code == 422 and "needs 2 referees" in errors["referees"][0]
    assert errors["code_of_conduct_accepted"] and all(code in errors["statements"][0] for code in CODES["CEng"])

    bad = client.patch(trip.own(), headers=trip.headers, json={
        "referees": [{"name": "Me Again", "email": "Ada.Applicant+ref@EXAMPLE.org"},
                     {"name": "", "email": "not-an-address"}, REFEREES[0],
                     {"name": "Twice", "email": "priya.patel+x@example.org"}],
        "qualifications": [{"name": "MEng", "awarded_by": "Bristol", "year": 1800}],
        "career_history": [{"role": "Engineer", "employer": "Severn", "from": "2016-13", "to": ""},
                           {"role": "Engineer", "employer": "Severn", "from": "2018-01", "to": "2017-01"}]})
    errors = bad.get_json()["errors"]
    assert bad.status_code == 422
    assert "your own address" in errors["referees.0.email"][0] and errors["referees.1.name"]
    assert errors["referees.1.email"] == ["Give the referee's email address."]
    assert "given twice" in errors["referees.3.email"][0] and "referees.2.email" not in errors
    assert errors["qualifications.0.year"] and errors["career_history.0.from"] == ["The month the role began, as YYYY-MM."]
    assert errors["career_history.1.to"] == ["It ends before it began."]
    assert client.get(trip.own(), headers=trip.headers).get_json()["referees"] == []  # nothing half-written

    saved = client.patch(trip.own(), headers=trip.headers, json=complete_draft()).get_json()
    assert [(r["name"], r["status"]) for r in saved["referees"]] == [("Priya Patel", "named"), ("Tom Okafor", "named")]
    assert saved["qualifications"] == QUALIFICATIONS and saved["career_history"] == CAREER
    assert saved["code_of_conduct_accepted"] is True and saved["code_of_conduct_accepted_at"]
    accepted_at = saved["code_of_conduct_accepted_at"]
    again = client.patch(trip.own(), headers=trip.headers, json={"code_of_conduct_accepted": True}).get_json()
    assert again["code_of_conduct_accepted_at"] == accepted_at  # kept with its first date


def test_each_referee_confirms_by_their_own_link(client, app, create_member, create_staff, auth_headers):
    trip = journey(client, app, create_member, create_staff, auth_headers)
    assert trip.submitted()["status"] == "submitted"
    links = referee_links(app)
    assert set(links) == {"priya.patel@example.org", "tom.okafor@example.org"} and len(set(links.values())) == 2
    first = client.post(f"/api/v1/referee-confirmations/{links['priya.patel@example.org']}", json={"confirmed": True})
    assert first.get_json()["status"] == "submitted"  # one of two
    assert client.post(f"/api/v1/referee-confirmations/{links['priya.patel@example.org']}",
                       json={"confirmed": True}).status_code == 410
    # The second wave's address for the answer still works.
    second = client.post(f"/api/v1/supporter-confirmations/{links['tom.okafor@example.org']}", json={"confirmed": True})
    assert second.get_json()["status"] == "supported"
    body = client.get(trip.own(), headers=trip.headers).get_json()
    assert [r["status"] for r in body["referees"]] == ["confirmed", "confirmed"]
    assert trip.steps() == ["started", "submitted", "referee_confirmed", "supported"]
    assert client.post("/api/v1/referee-confirmations/not-a-real-link", json={"confirmed": True}).status_code == 404


def test_a_referee_who_declines_returns_it_to_draft_with_the_comment_on_it(client, app, create_member,
                                                                          create_staff, auth_headers):
    trip = journey(client, app, create_member, create_staff, auth_headers)
    trip.submitted()
    links = referee_links(app)
    no_reason = client.post(f"/api/v1/referee-confirmations/{links['tom.okafor@example.org']}", json={"confirmed": False})
    assert no_reason.status_code == 422 and no_reason.get_json()["errors"]["comment"]
    declined = client.post(f"/api/v1/referee-confirmations/{links['tom.okafor@example.org']}",
                           json={"confirmed": False, "comment": "Say more about leading the team."})
    assert declined.get_json()["status"] == "draft"
    body = client.get(trip.own(), headers=trip.headers).get_json()
    assert body["feedback"]["by"] == "Tom Okafor (referee)"
    assert body["feedback"]["comment"] == "Say more about leading the team."
    # The other referee's link closed with it; submitting again asks both afresh.
    assert client.post(f"/api/v1/referee-confirmations/{links['priya.patel@example.org']}",
                       json={"confirmed": True}).status_code in (404, 410)
    assert client.post(trip.own("/submit"), headers=trip.headers).get_json()["status"] == "submitted"
    assert referee_links(app) != links
    assert client.get(trip.own(), headers=trip.headers).get_json()["feedback"] is None


def test_a_chartered_engineer_from_draft_through_the_interview_to_ratified(client, app, create_member, create_staff,
                                                                          auth_headers):
    trip = journey(client, app, create_member, create_staff, auth_headers)
    assessed = trip.assessed()
    assert assessed["status"] == "assessed"
    # CEng is interviewed: the committee cannot decide yet.
    early = trip.decide("ratified")
    assert early.status_code == 422 and "interview" in early.get_json()["errors"]["outcome"][0]

    assessor, referee_member = trip.registrants[0], create_member(
        grade="fellow", email="priya.patel@example.org", registrations=[("CEng", date(2012, 1, 1))])
    for ids, words in (([assessor.id, trip.registrants[3].id], "assessor"),
                       ([referee_member.id, trip.registrants[3].id], "referee"),
                       ([trip.applicant.id, trip.registrants[3].id], "applicant"),
                       ([trip.registrants[2].id, trip.registrants[2].id], "two different interviewers")):
        refused = client.post(trip.url("/interview"), headers=trip.staff, json=trip.interview_plan(interviewer_ids=ids))
        assert refused.status_code == 422 and words in refused.get_json()["errors"]["interviewer_ids"][0], ids
    nowhere = client.post(trip.url("/interview"), headers=trip.staff, json=trip.interview_plan(venue=""))
    assert nowhere.status_code == 422 and nowhere.get_json()["errors"]["venue"]

    scheduled = client.post(trip.url("/interview"), headers=trip.staff, json=trip.interview_plan())
    body = scheduled.get_json()
    assert scheduled.status_code == 200 and body["status"] == "interview_scheduled"
    assert body["interview"]["venue"] == "One Great George Street" and body["interview"]["timezone"] == "Europe/London"
    assert body["interviewers"] == [trip.registrants[2].id, trip.registrants[3].id]
    with app.app_context():
        invitations = db.session.scalars(sa.select(Notice).where(
            Notice.kind.in_(("interview_invitation", "interview_request")))).all()
        assert sorted(n.member_id for n in invitations) == sorted(
            [trip.applicant.id, trip.registrants[2].id, trip.registrants[3].id])
        calendar = invitations[0].calendar
    assert "BEGIN:VEVENT" in calendar and "SEQUENCE:0" in calendar and calendar.count("ATTENDEE") == 3
    assert f"UID:interview-{trip.id}@" in calendar and "TZID=Europe/London" in calendar

    interviewer = trip.reviewer_headers[2]
    too_soon = client.put(trip.url("/interview-report"), headers=interviewer, json=verdict())
    assert too_soon.status_code == 409 and "not taken place" in too_soon.get_json()["message"]
    trip.interview_happened()
    contradictory = client.put(trip.url("/interview-report"), headers=interviewer,
                               json=verdict(unmet=["UKSPEC-B2"]))
    assert contradictory.status_code == 422 and "UKSPEC-B2" in contradictory.get_json()["errors"]["recommendation"][0]
    assert client.put(trip.url("/interview-report"), headers=trip.reviewer_headers[0], json=verdict()).status_code == 404
    assert client.put(trip.url("/interview-report"), headers=interviewer, json=verdict()).status_code == 200
    # Neither interviewer sees the other's report until both are in.
    seen = client.get(trip.url(), headers=trip.reviewer_headers[3]).get_json()["interview_reports"]
    assert [r["interviewer_id"] for r in seen] == [trip.registrants[3].id]
    assert client.put(trip.url("/interview-report"), headers=trip.reviewer_headers[3], json=verdict()).status_code == 200
    assert client.get(trip.url(), headers=trip.staff).get_json()["status"] == "interviewed"

    # An interviewer cannot also decide; staff with no part can.
    ratified = trip.decide("ratified", comment="Welcome to the register.")
    assert ratified.status_code == 200 and ratified.get_json()["status"] == "ratified"
    profile = client.get("/api/v1/me", headers=trip.headers).get_json()
    assert [(r["title"], r["awarded_on"]) for r in profile["registrations"]] == [("CEng", utcnow().date().isoformat())]
    assert trip.steps() == ["started", "submitted", "referee_confirmed", "supported", "assessors_appointed",
                            "one_assessment_in", "assessed", "interview_scheduled", "one_interview_report_in",
                            "interviewed", "ratified"]
    with app.app_context():
        figures = measures.kpis(utcnow().year).as_dict()
    assert figures["applications"]["ratified"] == 1


def test_ratification_needs_every_recommendation_to_be_register(client, app, create_member, create_staff,
                                                               auth_headers):
    trip = journey(client, app, create_member, create_staff, auth_headers)
    trip.interviewed("register", "not_yet")
    refused = trip.decide("ratified")
    assert refused.status_code == 422 and "register, register, register, not_yet" in \
        refused.get_json()["errors"]["outcome"][0]
    assert trip.decide("declined", comment="").status_code == 422  # a decline says why
    assert trip.decide("declined", comment="C2 is not yet shown at this level.").get_json()["status"] == "declined"


def test_a_registered_practitioner_applies_is_assessed_and_ratified_without_an_interview(
        client, app, create_member, create_staff, auth_headers):
    # The Registered Practitioner's own register: one referee, two assessors, no interview.
    trip = journey(client, app, create_member, create_staff, auth_headers, title="RegisteredPractitioner")
    assessed = trip.assessed()
    assert assessed["status"] == "assessed", assessed
    ratified = trip.decide("ratified")
    assert ratified.status_code == 200 and ratified.get_json()["status"] == "ratified"
    held = client.get("/api/v1/me", headers=trip.headers).get_json()["registrations"]
    assert [r["title"] for r in held] == ["RegisteredPractitioner"]


def test_an_assessor_cannot_recommend_register_with_a_competence_not_met(client, app, create_member, create_staff,
                                                                        auth_headers):
    trip = journey(client, app, create_member, create_staff, auth_headers, title="RSci")
    trip.supported()
    client.put(trip.url("/assessors"), headers=trip.staff, json={"member_ids": [trip.registrants[0].id,
                                                                                 trip.registrants[1].id]})
    refused = client.put(trip.url("/assessment"), headers=trip.reviewer_headers[0],
                         json=verdict("RSci", "register", unmet=CODES["RSci"]))
    assert refused.status_code == 422 and "not met" in refused.get_json()["errors"]["recommendation"][0]
    # A title without an interview goes from its assessments to the committee.
    assert client.post(trip.url("/interview"), headers=trip.staff, json=trip.interview_plan()).status_code == 409


def test_a_decline_is_appealed_once_within_28_days_and_decided_by_someone_else(client, app, create_member,
                                                                              create_staff, auth_headers):
    trip = journey(client, app, create_member, create_staff, auth_headers, title="RSci")
    trip.assessed("register", "not_yet")
    assert trip.decide("declined", comment="B2 is not shown.").status_code == 200
    declined = client.get(trip.own(), headers=trip.headers).get_json()
    assert declined["appeal"]["deadline"][:10] == (utcnow() + timedelta(days=28)).date().isoformat()
    assert client.post(trip.own("/appeal"), headers=trip.headers, json={"grounds": ""}).status_code == 422
    lodged = client.post(trip.own("/appeal"), headers=trip.headers, json={"grounds": "B2 is in my second statement."})
    assert lodged.status_code == 200 and lodged.get_json()["status"] == "under_appeal"
    assert client.post(trip.own("/appeal"), headers=trip.headers, json={"grounds": "Again."}).status_code == 409
    same = trip.decide("ratified")
    assert same.status_code == 403 and "another member of staff" in same.get_json()["message"]
    dismissed = trip.decide("declined", headers=trip.other_staff, comment="The panel stands by it.")
    assert dismissed.get_json()["status"] == "declined"
    assert trip.steps()[-3:] == ["declined", "appealed", "appeal_dismissed"]
    figures = client.get("/api/v1/applications/figures", headers=trip.staff).get_json()
    assert figures["appeals"] == {"lodged": 1, "upheld": 0, "dismissed": 1, "pending": 0}
    assert figures["by_status"]["declined"] == 1 and figures["decided"] == 1
    assert client.get("/api/v1/applications/figures", headers=trip.headers).status_code == 403


def test_an_appeal_after_28_days_is_refused(client, app, create_member, create_staff, auth_headers):
    trip = journey(client, app, create_member, create_staff, auth_headers, title="RSci")
    trip.assessed("register", "not_yet")
    trip.decide("declined", comment="B2 is not shown.")
    with app.app_context():
        db.session.execute(sa.update(Application).values(decided_at=utcnow() - timedelta(days=29)))
        db.session.commit()
    late = client.post(trip.own("/appeal"), headers=trip.headers, json={"grounds": "Late, I know."})
    assert late.status_code == 409 and "28 days" in late.get_json()["message"]


def test_referred_back_to_draft_with_comments_per_competence(client, app, create_member, create_staff,
                                                            auth_headers):
    trip = journey(client, app, create_member, create_staff, auth_headers, title="RSci")
    trip.assessed("register", "not_yet")
    unknown = trip.decide("referred_back", competences={"UKSPEC-A1": "Not this framework."})
    assert unknown.status_code == 422
    referred = trip.decide("referred_back", comment="Nearly there.", competences={"SC-B2": "Show the risk you managed."})
    body = referred.get_json()
    assert body["status"] == "draft" and body["assessors"] == []
    own = client.get(trip.own(), headers=trip.headers).get_json()
    assert own["feedback"]["competences"] == {"SC-B2": "Show the risk you managed."}
    assert own["feedback"]["by"] == "the registration committee"
    with app.app_context():
        application = db.session.get(Application, trip.id)
        kept = application.history[-1].details
    assert [a["recommendation"] for a in kept["assessments"]] == ["register", "not_yet"]
    # Submitted again, the same assessors may be appointed for the new round.
    assert client.post(trip.own("/submit"), headers=trip.headers).status_code == 200
    for token in referee_links(app).values():
        client.post(f"/api/v1/referee-confirmations/{token}", json={"confirmed": True})
    again = client.put(trip.url("/assessors"), headers=trip.staff,
                       json={"member_ids": [trip.registrants[0].id, trip.registrants[1].id]})
    assert again.status_code == 200 and again.get_json()["status"] == "under_assessment"


def test_nobody_acts_in_two_roles(client, app, create_member, create_staff, auth_headers):
    trip = journey(client, app, create_member, create_staff, auth_headers, title="RSci")
    trip.supported()
    referee_staff = create_staff(email="Priya.Patel+work@example.org")
    referee_headers = auth_headers(referee_staff)
    as_case_officer = client.put(trip.url("/assessors"), headers=referee_headers,
                                 json={"member_ids": [trip.registrants[0].id, trip.registrants[1].id]})
    assert as_case_officer.status_code == 403 and "referee" in as_case_officer.get_json()["message"]
    client.put(trip.url("/assessors"), headers=trip.staff, json={
        "member_ids": [trip.registrants[0].id, trip.registrants[1].id]})
    for headers in trip.reviewer_headers[:2]:
        client.put(trip.url("/assessment"), headers=headers, json=verdict("RSci"))
    assert trip.decide("ratified", headers=referee_headers).status_code == 403


def test_leaving_the_body_lapses_registrations_and_revokes_their_credentials(client, app, create_member,
                                                                             create_staff, auth_headers):
    member = create_member(grade="member", joined_on=date(2010, 1, 1), registrations=[("CSci", date(2015, 1, 1))])
    staff = auth_headers(create_staff())
    headers = auth_headers(member)
    issued = client.get("/api/v1/me/credentials", headers=headers).get_json()
    registration_credential = next(c for c in issued["items"] if c["kind"] == "registration")
    today = utcnow().date()
    assert client.patch(f"/api/v1/members/{member.id}", headers=staff,
                        json={"left_on": today.isoformat()}).status_code == 200
    registrations = client.get(f"/api/v1/members/{member.id}", headers=staff).get_json()["registrations"]
    assert [(r["title"], r["lapsed_on"], r["lapse_reason"]) for r in registrations] == [
        ("CSci", today.isoformat(), "left the body")]
    checked = client.get(f"/api/v1/credentials/{registration_credential['id']}/verify").get_json()
    assert checked["revoked"] is True and "lapsed" in checked["reason"]
    declared = client.post("/api/v1/me/declarations", headers=headers,
                           json={"year": today.year, "meets_standards": True, "statement": ""})
    assert declared.status_code == 403


def test_a_registration_lapsed_within_three_years_is_reinstated_with_a_reason(client, app, create_member,
                                                                              create_staff, auth_headers):
    member = create_member(grade="member", registrations=[("CEng", date(2012, 1, 1)), ("IEng", date(2008, 1, 1))])
    staff_member = create_staff()
    staff = auth_headers(staff_member)
    today = utcnow().date()
    with app.app_context():
        from cpd.members.models import ProfessionalRegistration

        rows = {r.title: r for r in db.session.scalars(sa.select(ProfessionalRegistration).where(
            ProfessionalRegistration.member_id == member.id))}
        rows["CEng"].lapsed_on = today - timedelta(days=400)
        rows["IEng"].lapsed_on = today - timedelta(days=4 * 365)
        db.session.commit()
        ceng, ieng = rows["CEng"].id, rows["IEng"].id
    url = f"/api/v1/members/{member.id}/registrations"
    assert client.post(f"{url}/{ceng}/reinstatement", headers=staff, json={"reason": ""}).status_code == 422
    old = client.post(f"{url}/{ieng}/reinstatement", headers=staff, json={"reason": "Fees paid."})
    assert old.status_code == 422 and "new application" in old.get_json()["errors"]["registration_id"][0]
    renewed = client.post(f"{url}/{ceng}/reinstatement", headers=staff, json={"reason": "Fees paid; CPD shown."})
    assert renewed.status_code == 201
    assert (renewed.get_json()["awarded_on"], renewed.get_json()["reinstatement_reason"]) == (
        today.isoformat(), "Fees paid; CPD shown.")
    assert client.post(f"{url}/{ceng}/reinstatement", headers=staff, json={"reason": "Twice."}).status_code == 409
    held = [r for r in client.get(f"/api/v1/members/{member.id}", headers=staff).get_json()["registrations"]
            if r["title"] == "CEng"]
    assert sorted((r["awarded_on"], r["lapsed_on"] is None) for r in held) == [
        ("2012-01-01", False), (today.isoformat(), True)]  # the lapsed period stays, for past figures
    assert client.post(f"{url}/{ceng}/reinstatement", headers=auth_headers(member),
                       json={"reason": "Me."}).status_code == 403


def test_another_members_application_is_404_and_statements_have_a_sane_size(client, create_member, auth_headers):
    owner, other = auth_headers(create_member(grade="member")), auth_headers(create_member(grade="member"))
    application_id = client.post("/api/v1/me/applications", headers=owner, json={"title": "RSci"}).get_json()["id"]
    assert client.get(f"/api/v1/me/applications/{application_id}", headers=other).status_code == 404
    assert client.patch(f"/api/v1/me/applications/{application_id}", headers=other,
                        json={"statements": {}}).status_code == 404
    huge = client.patch(f"/api/v1/me/applications/{application_id}", headers=owner,
                        json={"statements": {"SC-A1": "word " * 3000}})
    assert huge.status_code == 422 and "10000 characters" in huge.get_json()["errors"]["statements"][0]
    assert client.post("/api/v1/me/applications", headers=owner, json={"title": "Wizard"}).status_code == 422
    withdrawn = client.post(f"/api/v1/me/applications/{application_id}/withdraw", headers=owner)
    assert withdrawn.get_json()["status"] == "withdrawn"
    assert client.post(f"/api/v1/me/applications/{application_id}/withdraw", headers=owner).status_code == 409


def test_an_expired_referee_link_is_gone(client, app, create_member, create_staff, auth_headers):
    trip = journey(client, app, create_member, create_staff, auth_headers, title="RSci")
    trip.submitted()
    token = next(iter(referee_links(app).values()))
    with app.app_context():
        db.session.execute(sa.update(Referee).values(link_expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert client.post(f"/api/v1/referee-confirmations/{token}", json={"confirmed": True}).status_code == 410
    assert client.get(f"/supporters/{token}").status_code == 410


def test_two_staff_deciding_at_once_make_one_decision(client, app, create_member, create_staff, auth_headers):
    import threading

    from cpd.core.errors import DomainError
    from cpd.members.models import Member, ProfessionalRegistration
    from cpd.registration import committee

    trip = journey(client, app, create_member, create_staff, auth_headers, title="RSci")
    trip.assessed()
    deciders = [create_staff(email=f"decider{n}@example.org") for n in range(2)]
    start, outcomes = threading.Barrier(2), []

    def decide(staff_id):
        with app.app_context():
            actor = db.session.get(Member, staff_id)
            application = db.session.get(Application, trip.id)
            start.wait()
            try:
                committee.decide(actor, application, "ratified", "Welcome.")
                db.session.commit()
                outcomes.append("ratified")
            except DomainError as error:
                db.session.rollback()
                outcomes.append(error.status_code)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=decide, args=(person.id,)) for person in deciders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, outcomes)) == ["422", "ratified"]
    with app.app_context():
        held = db.session.scalar(sa.select(sa.func.count()).select_from(ProfessionalRegistration).where(
            ProfessionalRegistration.member_id == trip.applicant.id))
    assert held == 1 and trip.steps().count("ratified") == 1


def test_staff_configure_a_titles_referees_and_interview(client, create_member, create_staff, auth_headers):
    staff = auth_headers(create_staff())
    try:
        _configure_rsci(client, create_member, auth_headers, staff)
    finally:  # the titles are seed data every test shares
        client.patch("/api/v1/registration-titles/RSci", headers=staff, json={"referees_required": 1, "interview": False})


def _configure_rsci(client, create_member, auth_headers, staff):
    assert client.patch("/api/v1/registration-titles/RSci", headers=auth_headers(create_member()),
                        json={"interview": True}).status_code == 403
    bad = client.patch("/api/v1/registration-titles/RSci", headers=staff, json={"referees_required": 9})
    assert bad.status_code == 422 and bad.get_json()["errors"]["referees_required"]
    assert client.patch("/api/v1/registration-titles/Wizard", headers=staff, json={"interview": True}).status_code == 422
    changed = client.patch("/api/v1/registration-titles/RSci", headers=staff,
                           json={"referees_required": 2, "interview": True}).get_json()
    assert (changed["referees_required"], changed["interview"]) == (2, True)
    found = {t["title"]: t for t in client.get("/api/v1/registration-titles").get_json()}
    assert (found["RSci"]["referees_required"], found["RSci"]["interview"]) == (2, True)
    applicant = auth_headers(create_member(grade="member"))
    application_id = client.post("/api/v1/me/applications", headers=applicant, json={"title": "RSci"}).get_json()["id"]
    client.patch(f"/api/v1/me/applications/{application_id}", headers=applicant, json=complete_draft("RSci"))
    short = client.post(f"/api/v1/me/applications/{application_id}/submit", headers=applicant)
    assert short.status_code == 422 and "needs 2 referees" in short.get_json()["errors"]["referees"][0]


def test_an_interview_is_moved_until_a_report_is_in(client, app, create_member, create_staff, auth_headers):
    trip = journey(client, app, create_member, create_staff, auth_headers)
    trip.assessed()
    assert client.post(trip.url("/interview"), headers=trip.staff, json=trip.interview_plan()).status_code == 200
    later = (utcnow() + timedelta(days=20)).replace(tzinfo=None, microsecond=0).isoformat()
    moved = client.post(trip.url("/interview"), headers=trip.staff,
                        json=trip.interview_plan(starts_at=later, venue="", online_url="https://meet.example.org/pri"))
    assert moved.status_code == 200 and moved.get_json()["interview"]["online_url"] == "https://meet.example.org/pri"
    with app.app_context():
        latest = db.session.scalars(sa.select(Notice.calendar).where(Notice.kind == "interview_invitation")
                                    .order_by(Notice.id)).all()
    assert "SEQUENCE:0" in latest[0] and "SEQUENCE:1" in latest[-1] and len(latest) == 2
    assert trip.steps()[-2:] == ["interview_scheduled", "interview_moved"]
    trip.interview_happened()
    client.put(trip.url("/interview-report"), headers=trip.reviewer_headers[2], json=verdict())
    assert client.post(trip.url("/interview"), headers=trip.staff, json=trip.interview_plan()).status_code == 409
