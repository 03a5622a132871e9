"""Revalidation: declarations (overdue after the grace days), the CPD audit's sample (eligibility,
size, reproducible; a deferral is not an audit), cases with a due date and a frozen profile with
the member's standing, outcomes (not met lapses the registration after the appeal window, which the
figures count; an appeal holds it; no response after the due date), extensions, and reminders each
sent once, the clock passed in."""
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from cpd.core.audit import AuditEntry
from cpd.core.models import utcnow
from cpd.notices.models import Notice
from cpd.extensions import db
from cpd.members.models import ProfessionalRegistration
from cpd.metrics import measures
from cpd.revalidation import audits
from cpd.revalidation.models import AuditCase
from cpd.revalidation.reminders import send_reminders

TODAY = utcnow().date()
YEAR = TODAY.year
LONG_AGO = datetime(2018, 1, 8, tzinfo=timezone.utc)


def registrant(create_member, **fields):
    fields.setdefault("grade", "member")
    return create_member(created_at=LONG_AGO, registrations=[("CEng", date(2019, 5, 1))], **fields)


def notices(app, kind):
    with app.app_context():
        return db.session.scalars(sa.select(Notice.member_id).where(Notice.kind == kind)).all()


def test_a_registrant_declares_once_a_year(client, create_member, create_staff, auth_headers):
    person = registrant(create_member, full_name="Rita Registrant")
    headers = auth_headers(person)
    declaration = {"year": YEAR, "meets_standards": True, "statement": "Forty hours, mostly on site."}
    assert client.post("/api/v1/me/declarations", headers=auth_headers(create_member()), json=declaration
                       ).status_code == 403
    assert client.post("/api/v1/me/declarations", headers=headers, json={**declaration, "year": YEAR + 1}
                       ).status_code == 422
    made = client.post("/api/v1/me/declarations", headers=headers, json=declaration)
    assert made.status_code == 201 and made.get_json()["meets_standards"] is True
    assert client.post("/api/v1/me/declarations", headers=headers, json=declaration).status_code == 409
    registrant(create_member, full_name="Sam Slow")
    listed = client.get(f"/api/v1/declarations?year={YEAR}", headers=auth_headers(create_staff())).get_json()
    assert [(r["full_name"], r["declared"]) for r in listed["items"]] == [("Sam Slow", False), ("Rita Registrant", True)]


def test_the_sample_is_reproducible_and_its_size_is_rounded_up():
    eligible = list(range(1, 41))
    first = audits.choose(eligible, 10, seed=7)
    assert len(first) == 4 and first == audits.choose(eligible, 10, seed=7)
    assert audits.choose(eligible, 10, seed=8) != first
    assert len(audits.choose(eligible, 2.5, seed=1)) == 1  # ceil(2.5 × 40 / 100) = 1
    assert len(audits.choose(list(range(7)), 50, seed=1)) == 4  # ceil(3.5) = 4


def test_who_is_eligible_and_the_draw_is_recorded(client, app, create_member, create_staff, auth_headers):
    staff = auth_headers(create_staff())
    eligible = [registrant(create_member) for _ in range(5)]
    registrant(create_member, grade=None)  # not a member of the body
    create_member(grade="member", created_at=LONG_AGO, registrations=[("CEng", date(YEAR, 2, 1))])  # too recent
    lapsed = registrant(create_member)
    with app.app_context():
        db.session.execute(sa.update(ProfessionalRegistration).where(ProfessionalRegistration.member_id == lapsed.id)
                           .values(lapsed_on=date(2024, 1, 1)))
        db.session.commit()
    for bad in ({"year": YEAR + 1, "sample_percent": 10, "seed": 1}, {"year": YEAR, "sample_percent": 0, "seed": 1},
                {"year": YEAR, "sample_percent": 101, "seed": 1}):
        assert client.post("/api/v1/cpd-audits", headers=staff, json=bad).status_code == 422, bad
    assert client.post("/api/v1/cpd-audits", headers=auth_headers(eligible[0]), json={
        "year": YEAR - 1, "sample_percent": 40, "seed": 42}).status_code == 403

    last_year = client.post("/api/v1/cpd-audits", headers=staff, json={"year": YEAR - 1, "sample_percent": 40,
                                                                        "seed": 42})
    assert last_year.status_code == 201
    body = last_year.get_json()
    assert body["eligible"] == 5 and len(body["cases"]) == 2  # ceil(40% of 5)
    assert {c["status"] for c in body["cases"]} == {"notified"}
    assert client.post("/api/v1/cpd-audits", headers=staff, json={"year": YEAR - 1, "sample_percent": 40,
                                                                   "seed": 42}).status_code == 409
    sampled = {c["member_id"] for c in body["cases"]}
    this_year = client.post("/api/v1/cpd-audits", headers=staff, json={"year": YEAR, "sample_percent": 100,
                                                                        "seed": 1}).get_json()
    assert this_year["eligible"] == 3 and not sampled & {c["member_id"] for c in this_year["cases"]}
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "cpd_audit.drawn")
                                  .order_by(AuditEntry.id))
        assert (entry.details["seed"], entry.details["eligible"], entry.details["year"]) == (42, 5, YEAR - 1)
    assert sorted(notices(app, "audit_selected")) == sorted(sampled | {c["member_id"] for c in this_year["cases"]})


def test_a_case_from_submission_to_not_met_lapses_the_registration(client, app, create_member, create_staff,
                                                                  auth_headers, create_record):
    staff = auth_headers(create_staff())
    person = registrant(create_member)
    headers = auth_headers(person)
    record = create_record(person, title="Bridge inspection course", started_on=TODAY - timedelta(days=30), hours=7)
    create_record(person, title="Too old to count", started_on=TODAY - timedelta(days=400), hours=3)
    drawn = client.post("/api/v1/cpd-audits", headers=staff, json={"year": YEAR, "sample_percent": 100, "seed": 3})
    case_id = drawn.get_json()["cases"][0]["id"]
    assert client.get("/api/v1/me/audit-cases", headers=auth_headers(create_member())).get_json() == []
    assert client.post(f"/api/v1/me/audit-cases/{case_id}/submit", headers=auth_headers(create_member())
                       ).status_code == 404
    submitted = client.post(f"/api/v1/me/audit-cases/{case_id}/submit", headers=headers)
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"
    assert client.post(f"/api/v1/me/audit-cases/{case_id}/submit", headers=headers).status_code == 409
    client.patch(f"/api/v1/me/cpd-records/{record.id}", headers=headers, json={"title": "Renamed later", "hours": 1})
    profile = client.get(f"/api/v1/audit-cases/{case_id}", headers=staff).get_json()["profile"]
    assert [(r["title"], r["hours"]) for r in profile["records"]] == [("Bridge inspection course", 7.0)]

    more = client.put(f"/api/v1/audit-cases/{case_id}/outcome", headers=staff,
                      json={"outcome": "more_information", "comment": "Add your reflections."})
    assert more.get_json()["status"] == "more_information"
    assert client.post(f"/api/v1/me/audit-cases/{case_id}/submit", headers=headers).get_json()["status"] == "submitted"
    with app.app_context():
        held_before = measures.kpis(YEAR).as_dict()["registrations"]["held"]
    assert held_before == {"CEng": 1}
    assert profile["standing"]["policy"] == person.cpd_policy and "requirements" in profile["standing"]
    not_met = client.put(f"/api/v1/audit-cases/{case_id}/outcome", headers=staff, json={"outcome": "not_met"})
    body = not_met.get_json()
    # Not met: the registration lapses only once the 28-day appeal window has closed.
    assert (body["status"], body["lapse_on"]) == ("lapse_pending", (TODAY + timedelta(days=28)).isoformat())
    assert client.get("/api/v1/me", headers=headers).get_json()["registrations"][0]["lapsed_on"] is None
    with app.app_context():
        assert audits.lapse_when_the_window_closes(TODAY + timedelta(days=27)) == 0
        db.session.execute(sa.update(AuditCase).values(lapse_on=TODAY - timedelta(days=1)))
        assert audits.lapse_when_the_window_closes(TODAY) == 1
        db.session.commit()
    registration = client.get("/api/v1/me", headers=headers).get_json()["registrations"][0]
    assert (registration["lapsed_on"], registration["lapse_reason"]) == (
        (TODAY - timedelta(days=1)).isoformat(), "CPD audit not met")
    with app.app_context():
        figures = measures.kpis(YEAR).as_dict()
    assert figures["registrations"]["held"] == {}
    assert figures["revalidation"] == {"declared": 0, "audited": 1, "outcomes": {"not_met": 1}}
    audit = client.get(f"/api/v1/cpd-audits/{drawn.get_json()['id']}", headers=staff).get_json()
    assert audit["outcomes"] == {"accepted": 0, "more_information": 0, "deferred": 0, "not_met": 1}
    history = [s["step"] for s in client.get(f"/api/v1/audit-cases/{case_id}", headers=staff).get_json()["history"]]
    assert history == ["selected", "submitted", "more_information", "submitted", "not_met", "lapsed"]


def test_an_appeal_holds_the_lapse_and_another_member_of_staff_decides_it(client, app, create_member, create_staff,
                                                                         auth_headers):
    finder, other = create_staff(email="finder@example.org"), create_staff(email="other.staff@example.org")
    staff, other_staff = auth_headers(finder), auth_headers(other)
    person = registrant(create_member)
    headers = auth_headers(person)
    case_id = client.post("/api/v1/cpd-audits", headers=staff, json={"year": YEAR, "sample_percent": 100, "seed": 3}
                          ).get_json()["cases"][0]["id"]
    early = client.post(f"/api/v1/me/audit-cases/{case_id}/appeal", headers=headers, json={"grounds": "Too soon."})
    assert early.status_code == 409
    client.post(f"/api/v1/me/audit-cases/{case_id}/submit", headers=headers)
    client.put(f"/api/v1/audit-cases/{case_id}/outcome", headers=staff, json={"outcome": "not_met"})
    appealed = client.post(f"/api/v1/me/audit-cases/{case_id}/appeal", headers=headers,
                           json={"grounds": "My CPD log was complete: the summary shows 40 hours."})
    assert appealed.status_code == 200 and appealed.get_json()["status"] == "under_appeal"
    assert client.post(f"/api/v1/me/audit-cases/{case_id}/appeal", headers=headers,
                       json={"grounds": "Again."}).status_code == 409
    with app.app_context():
        db.session.execute(sa.update(AuditCase).values(lapse_on=TODAY - timedelta(days=1)))
        assert audits.lapse_when_the_window_closes(TODAY) == 0  # the appeal holds it
        db.session.commit()
    assert client.get("/api/v1/me", headers=headers).get_json()["registrations"][0]["lapsed_on"] is None
    same = client.put(f"/api/v1/audit-cases/{case_id}/outcome", headers=staff, json={"outcome": "accepted"})
    assert same.status_code == 403
    upheld = client.put(f"/api/v1/audit-cases/{case_id}/outcome", headers=other_staff,
                        json={"outcome": "accepted", "comment": "The log was complete."})
    assert upheld.get_json()["status"] == "accepted" and upheld.get_json()["lapse_on"] is None
    history = [s["step"] for s in client.get(f"/api/v1/audit-cases/{case_id}", headers=staff).get_json()["history"]]
    assert history == ["selected", "submitted", "not_met", "appealed", "appeal_accepted"]


def test_no_response_after_the_due_date_and_an_extension_with_a_reason(client, app, create_member, create_staff,
                                                                       auth_headers):
    staff = auth_headers(create_staff())
    person = registrant(create_member)
    case = client.post("/api/v1/cpd-audits", headers=staff, json={"year": YEAR, "sample_percent": 100, "seed": 3}
                       ).get_json()["cases"][0]
    found = client.get(f"/api/v1/audit-cases/{case['id']}", headers=staff).get_json()
    assert found["due_on"] == (TODAY + timedelta(days=90)).isoformat()
    url = f"/api/v1/audit-cases/{case['id']}"
    too_soon = client.put(f"{url}/outcome", headers=staff, json={"outcome": "not_met", "reason": "no_response"})
    assert too_soon.status_code == 422 and "due by" in too_soon.get_json()["errors"]["outcome"][0]
    assert client.post(f"{url}/extension", headers=staff, json={"due_on": TODAY.isoformat(),
                                                                "reason": "Illness."}).status_code == 422
    assert client.post(f"{url}/extension", headers=staff, json={
        "due_on": (TODAY + timedelta(days=120)).isoformat(), "reason": ""}).status_code == 422
    extended = client.post(f"{url}/extension", headers=staff, json={
        "due_on": (TODAY + timedelta(days=120)).isoformat(), "reason": "Illness: a doctor's note is on file."})
    assert extended.status_code == 200 and extended.get_json()["due_on"] == (TODAY + timedelta(days=120)).isoformat()
    with app.app_context():
        db.session.execute(sa.update(AuditCase).values(due_on=TODAY - timedelta(days=1)))
        db.session.commit()
    silent = client.put(f"{url}/outcome", headers=staff, json={"outcome": "not_met", "reason": "no_response"})
    assert silent.status_code == 200
    assert (silent.get_json()["status"], silent.get_json()["outcome_reason"]) == ("lapse_pending", "no_response")
    assert notices(app, "audit_not_met") == [person.id]
    assert client.put(f"{url}/outcome", headers=staff, json={"outcome": "accepted", "reason": "no_response"}
                      ).status_code == 422


def test_a_deferral_is_not_an_audit_the_member_stays_eligible(client, create_member, create_staff, auth_headers):
    staff = auth_headers(create_staff())
    person = registrant(create_member)
    headers = auth_headers(person)
    case_id = client.post("/api/v1/cpd-audits", headers=staff, json={"year": YEAR - 1, "sample_percent": 100,
                                                                      "seed": 3}).get_json()["cases"][0]["id"]
    client.post(f"/api/v1/me/audit-cases/{case_id}/deferral", headers=headers, json={"reason": "Career break."})
    client.put(f"/api/v1/audit-cases/{case_id}/outcome", headers=staff, json={"outcome": "deferred"})
    this_year = client.post("/api/v1/cpd-audits", headers=staff, json={"year": YEAR, "sample_percent": 100,
                                                                        "seed": 1}).get_json()
    assert [c["member_id"] for c in this_year["cases"]] == [person.id]


def test_undeclared_registrants_are_overdue_after_the_grace_days(app, client, create_member, create_staff,
                                                                 auth_headers):
    staff = auth_headers(create_staff())
    registrant(create_member, full_name="Late Larry")
    left = registrant(create_member, joined_on=date(2010, 1, 1), left_on=TODAY - timedelta(days=1))
    refused = client.post("/api/v1/me/declarations", headers=auth_headers(left),
                          json={"year": YEAR, "meets_standards": True})
    assert refused.status_code == 403
    # This year's deadline (31 December) is still to come: nobody is overdue.
    assert [(r["full_name"], r["overdue"]) for r in client.get(f"/api/v1/declarations?year={YEAR}", headers=staff)
            .get_json()["items"]] == [("Late Larry", False)]
    app.config["DECLARATION_GRACE_DAYS"] = 400  # last year's deadline plus 400 days is still to come
    assert client.get(f"/api/v1/declarations?year={YEAR - 1}", headers=staff).get_json()["items"][0]["overdue"] is False
    app.config["DECLARATION_GRACE_DAYS"] = 0
    listed = client.get(f"/api/v1/declarations?year={YEAR - 1}", headers=staff).get_json()["items"]
    # The one who left yesterday was a registrant at the end of last year: overdue for it too.
    assert sorted((r["full_name"], r["overdue"]) for r in listed) == [("Late Larry", True), (left.full_name, True)]


def test_a_deferral_is_asked_for_and_granted(client, create_member, create_staff, auth_headers):
    staff = auth_headers(create_staff())
    headers = auth_headers(registrant(create_member))
    case_id = client.post("/api/v1/cpd-audits", headers=staff, json={"year": YEAR, "sample_percent": 100, "seed": 3}
                          ).get_json()["cases"][0]["id"]
    early = client.put(f"/api/v1/audit-cases/{case_id}/outcome", headers=staff, json={"outcome": "accepted"})
    assert early.status_code == 422
    asked = client.post(f"/api/v1/me/audit-cases/{case_id}/deferral", headers=headers,
                        json={"reason": "On parental leave until March."})
    assert asked.get_json()["status"] == "deferral_requested"
    granted = client.put(f"/api/v1/audit-cases/{case_id}/outcome", headers=staff, json={"outcome": "deferred"})
    assert granted.get_json()["status"] == "deferred"


def test_reminders_go_once_and_never_to_the_erased(client, app, create_member, create_staff, auth_headers,
                                                   create_record):
    due = date(YEAR, 12, 31)
    slow, declared, erased = (registrant(create_member) for _ in range(3))
    client.post("/api/v1/me/declarations", headers=auth_headers(declared), json={"year": YEAR, "meets_standards": True})
    client.post(f"/api/v1/members/{erased.id}/erase", headers=auth_headers(create_staff()))
    with app.app_context():
        assert send_reminders(due - timedelta(weeks=5))["declaration"] == 0  # not yet
        assert send_reminders(due - timedelta(days=27))["declaration"] == 1
        assert send_reminders(due - timedelta(days=20))["declaration"] == 0  # the 30-day one went already
        assert send_reminders(due - timedelta(days=5))["declaration"] == 1
        assert send_reminders(due - timedelta(days=1))["declaration"] == 0
        db.session.commit()
    assert notices(app, "reminder_declaration") == [slow.id, slow.id]


def test_a_short_cpd_summary_is_told_six_weeks_before_the_year_ends(app, create_member, create_record):
    # Engineers Ireland: 35 h a year; 23 h logged: 12 h short on 26 November, with 5 weeks left.
    short = create_member(grade="member", created_at=LONG_AGO, cpd_policy="engineers_ireland")
    create_record(short, activity_type="work_based", started_on=date(YEAR, 3, 3), hours=23)
    done = create_member(grade="member", created_at=LONG_AGO, cpd_policy="engineers_ireland")
    create_record(done, activity_type="work_based", started_on=date(YEAR, 3, 3), hours=24)
    create_record(done, activity_type="other", started_on=date(YEAR, 4, 3), hours=11)
    with app.app_context():
        assert send_reminders(date(YEAR, 11, 18))["cpd"] == 0  # more than six weeks left
        assert send_reminders(date(YEAR, 11, 26))["cpd"] == 1
        assert send_reminders(date(YEAR, 12, 10))["cpd"] == 0
        db.session.commit()
        subject = db.session.scalar(sa.select(Notice.subject).where(Notice.kind == "reminder_cpd_short"))
    assert subject == "Your CPD: 12 h short with 5 weeks left"


def test_an_unsubmitted_case_is_reminded_30_and_7_days_before_it_is_due(client, app, create_member, create_staff,
                                                                         auth_headers):
    person = registrant(create_member)
    client.post("/api/v1/cpd-audits", headers=auth_headers(create_staff()),
                json={"year": YEAR, "sample_percent": 100, "seed": 3})
    due = TODAY + timedelta(days=90)
    with app.app_context():
        assert send_reminders(due - timedelta(days=31))["audit_case"] == 0
        assert send_reminders(due - timedelta(days=29))["audit_case"] == 1
        assert send_reminders(due - timedelta(days=20))["audit_case"] == 0
        assert send_reminders(due - timedelta(days=6))["audit_case"] == 1
        assert send_reminders(due - timedelta(days=1))["audit_case"] == 0
        db.session.commit()
    assert notices(app, "reminder_audit_case") == [person.id, person.id]


def test_what_a_registrant_wrote_is_in_their_download_and_goes_with_erasure(client, app, create_member, create_staff,
                                                                          auth_headers, create_record):
    import io
    import json
    import zipfile

    from cpd.registration.models import ApplicationStatement, Referee
    from cpd.revalidation.models import AuditCase, Declaration

    staff = auth_headers(create_staff())
    person = registrant(create_member)
    headers = auth_headers(person)
    create_record(person, title="Boiler commissioning", started_on=TODAY - timedelta(days=20))
    client.post("/api/v1/me/declarations", headers=headers, json={"year": YEAR, "meets_standards": True,
                                                                   "statement": "Mostly on site this year."})
    case_id = client.post("/api/v1/cpd-audits", headers=staff, json={"year": YEAR, "sample_percent": 100, "seed": 9}
                          ).get_json()["cases"][0]["id"]
    client.post(f"/api/v1/me/audit-cases/{case_id}/submit", headers=headers)
    application = client.post("/api/v1/me/applications", headers=headers, json={"title": "CSci"}).get_json()
    client.patch(f"/api/v1/me/applications/{application['id']}", headers=headers, json={
        "statements": {"SC-A1": "I ran the water-quality lab."}, "referees": [{"name": "Jo", "email": "jo@example.org"}]})
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/me/export", headers=headers).data))
    assert "I ran the water-quality lab." in archive.read("registration-applications.json").decode()
    revalidation = json.loads(archive.read("revalidation.json"))
    assert revalidation["declarations"][0]["statement"] == "Mostly on site this year."
    assert revalidation["audit_cases"][0]["profile"]["records"][0]["title"] == "Boiler commissioning"

    assert client.post(f"/api/v1/members/{person.id}/erase", headers=staff).status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ApplicationStatement)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Referee)) == 0
        assert db.session.scalar(sa.select(Declaration.statement)) == ""
        assert db.session.scalar(sa.select(AuditCase.profile)) is None
        assert db.session.scalar(sa.select(AuditCase.status)) == "submitted"  # the fact stays, for the figures
