"""Professional registration end to end in Chromium, as licensed bodies run it: a member applies for
CEng with two referees, each confirms from their own link (`flask mail send` prints them), two
assessors assess, staff schedule the professional review interview, both interviewers report and
the committee ratifies; and a decline appealed and decided by another member of staff. Every page
on the way is axe-clean."""
import re
from datetime import timedelta

import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members.models import Member
from cpd.registration.models import Assessment, Interview
from tests.browser.conftest import axe_violations, flask_command, screenshot, sign_in

STATEMENT = "I led the commissioning of a pumping station upgrade, planning the work and checking it against {code}."


def as_person(page, email):
    """A fresh browser context signed in as `email` (the demo password)."""
    context = page.context.browser.new_context(viewport={"width": 1200, "height": 900})
    other = context.new_page()
    other.base = page.base
    sign_in(other, email)
    return other


def _draft(page, title, referees):
    page.goto(f"{page.base}/registration")
    assert axe_violations(page) == []
    page.select_option("#title", title)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/registration/applications/\d+$"))
    for textarea in page.locator("textarea[name^=statement-]").all():
        code = textarea.get_attribute("name").removeprefix("statement-")
        textarea.fill(STATEMENT.format(code=code))
    for number, (name, email) in enumerate(referees):
        page.fill(f"#referees-{number}-name", name)
        page.fill(f"#referees-{number}-email", email)
    page.fill("#qualifications-0-name", "MEng Civil Engineering")
    page.fill("#qualifications-0-awarded_by", "University of Bristol")
    page.fill("#qualifications-0-year", "2016")
    page.fill("#career_history-0-role", "Design engineer")
    page.fill("#career_history-0-employer", "Severn Water")
    page.fill("#career_history-0-began", "2016-09")
    page.check("#code_of_conduct_accepted")
    assert axe_violations(page) == []
    return page.url.rsplit("/", 1)[1]


def _referees_confirm(page, live_env, count):
    printed = flask_command(live_env, "mail", "send")
    links = re.findall(r"(/supporters/[A-Za-z0-9_-]+)", printed)
    assert len(links) == count, printed
    for link in links:
        referee = page.context.browser.new_context().new_page()
        referee.goto(f"{page.base}{link}")
        assert "asks you to be their referee" in referee.inner_text("main h1")
        assert axe_violations(referee) == []
        referee.check("input[value=confirm]")
        referee.click("main button[type=submit]")
        assert "You have confirmed the statements" in referee.inner_text("main")
        referee.context.close()


def _assess(page, application_id, emails, recommendations):
    for email, recommendation in zip(emails, recommendations):
        assessor = as_person(page, email)
        assessor.goto(f"{page.base}/assessments/{application_id}")
        first = True
        for radio_name in sorted({r.get_attribute("name") for r in assessor.locator("input[type=radio][value=met]").all()}):
            unmet = recommendation == "not_yet" and first
            assessor.check(f"input[name='{radio_name}'][value={'not_met' if unmet else 'met'}]")
            first = False
        assessor.check(f"input[name=recommendation][value={recommendation}]")
        assert axe_violations(assessor) == []
        assessor.click("main form button[type=submit]")
        assert "Your assessment is in." in assessor.inner_text("main")
        assessor.context.close()


def test_a_chartered_engineer_through_referees_assessment_interview_and_committee(page, live_env, live_database):
    flask_command(live_env, "mail", "send")  # deliver what was already waiting
    sign_in(page, "member@demo.example.org")
    application_id = _draft(page, "CEng", [("Priya Patel", "priya.patel@example.org"),
                                           ("Tom Okafor", "tom.okafor@example.org")])
    screenshot(page, "registration-application")
    page.click("button[value=submit]")
    assert "Submitted: your referees have been asked." in page.inner_text("main")
    _referees_confirm(page, live_env, 2)

    staff = as_person(page, "staff@demo.example.org")
    staff.goto(f"{page.base}/staff/applications/{application_id}")
    assert "Priya Patel (priya.patel@example.org): confirmed" in staff.inner_text("main")
    assert axe_violations(staff) == []
    staff.select_option("#assessors-first", label="Asha Assessor")
    staff.select_option("#assessors-second", label="Aled Assessor")
    staff.click("form[action$='/assessors'] button[type=submit]")
    assert "Assessors appointed." in staff.inner_text("main")
    _assess(page, application_id, ["assessor1@demo.example.org", "assessor2@demo.example.org"], ["register"] * 2)

    staff.goto(f"{page.base}/staff/applications/{application_id}")
    assert "Schedule the interview" in staff.inner_text("main") and axe_violations(staff) == []
    starts = (utcnow() + timedelta(days=14)).strftime("%Y-%m-%dT10:00")
    staff.fill("#interview-starts_at", starts)
    staff.fill("#interview-venue", "One Great George Street, London")
    staff.select_option("#interview-first", label="Ines Interviewer")
    staff.select_option("#interview-second", label="Ivo Interviewer")
    staff.click("form[action$='/interview'] button[type=submit]")
    assert "Interview scheduled" in staff.inner_text("main")
    page.goto(f"{page.base}/registration/applications/{application_id}")
    assert "Professional review interview" in page.inner_text("main")
    with live_database.app_context():  # the day of the interview comes
        db.session.execute(sa.update(Interview).where(Interview.application_id == int(application_id))
                           .values(starts_at=utcnow() - timedelta(hours=3)))
        db.session.commit()
    for email in ("interviewer1@demo.example.org", "interviewer2@demo.example.org"):
        interviewer = as_person(page, email)
        interviewer.goto(f"{page.base}/interviews")
        interviewer.click(f"a[href='/interviews/{application_id}']")
        for radio in interviewer.locator("input[type=radio][value=met]").all():
            radio.check()
        interviewer.check("input[name=recommendation][value=register]")
        assert axe_violations(interviewer) == []
        interviewer.click("main form button[type=submit]")
        assert "Your interview report is in." in interviewer.inner_text("main")
        interviewer.context.close()

    staff.goto(f"{page.base}/staff/applications/{application_id}")
    assert "Interviewed" in staff.inner_text("main") and axe_violations(staff) == []
    staff.check("input[name=decision-outcome][value=ratified]")
    staff.click("form[action$='/decision'] button[type=submit]")
    assert "Decision recorded: ratified." in staff.inner_text("main")
    screenshot(staff, "registration-ratified")
    page.goto(f"{page.base}/profile")
    assert "Chartered Engineer" in page.inner_text("main")


def test_a_decline_appealed_and_decided_by_another_member_of_staff(page, live_env, live_database):
    flask_command(live_env, "mail", "send")
    sign_in(page, "lead@demo.example.org")
    application_id = _draft(page, "RSci", [("Dana Referee", "dana.referee@example.org")])
    page.click("button[value=submit]")
    assert "Submitted" in page.inner_text("main")
    _referees_confirm(page, live_env, 1)

    staff = as_person(page, "staff@demo.example.org")
    staff.goto(f"{page.base}/staff/applications/{application_id}")
    staff.click("form[action$='/assessors'] button[type=submit]")  # the two first eligible, as offered
    assert "Assessors appointed." in staff.inner_text("main")
    with live_database.app_context():
        emails = db.session.scalars(sa.select(Member.email).join(Assessment, Assessment.assessor_id == Member.id)
                                    .where(Assessment.application_id == int(application_id))
                                    .order_by(Assessment.id)).all()
    _assess(page, application_id, emails, ["register", "not_yet"])
    staff.goto(f"{page.base}/staff/applications/{application_id}")
    staff.check("input[name=decision-outcome][value=ratified]")
    staff.click("form[action$='/decision'] button[type=submit]")
    assert "every assessor" in staff.inner_text("main")  # refused beside the form
    staff.check("input[name=decision-outcome][value=declined]")
    staff.fill("#decision-comment", "Competence A1 is not yet shown at this level.")
    staff.click("form[action$='/decision'] button[type=submit]")
    assert "Decision recorded: declined." in staff.inner_text("main")

    page.goto(f"{page.base}/registration/applications/{application_id}")
    assert "You may appeal until" in page.inner_text("main") and axe_violations(page) == []
    page.fill("#grounds", "My statement for A1 describes the water-quality method I developed.")
    page.click("form[action$='/appeal'] button[type=submit]")
    assert "Your appeal is lodged." in page.inner_text("main")

    staff.goto(f"{page.base}/staff/applications/{application_id}")
    staff.check("input[name=decision-outcome][value=referred_back]")
    staff.fill("#decision-comment", "Send it back for a fresh assessment.")
    staff.click("form[action$='/decision'] button[type=submit]")
    assert "another member of staff decides the appeal" in staff.inner_text("main")
    second = as_person(page, "staff2@demo.example.org")
    second.goto(f"{page.base}/staff/applications/{application_id}")
    assert "Decide the appeal" in second.inner_text("main") and axe_violations(second) == []
    second.check("input[name=decision-outcome][value=referred_back]")
    second.fill("#decision-comment", "The appeal is upheld: A1 deserves a fresh assessment.")
    second.click("form[action$='/decision'] button[type=submit]")
    assert "Decision recorded: referred back." in second.inner_text("main")
    page.goto(f"{page.base}/registration/applications/{application_id}")
    assert "Returned to you by the registration committee" in page.inner_text("main")
    assert "A1 deserves a fresh assessment" in page.inner_text("main")
    screenshot(page, "registration-referred-back")
