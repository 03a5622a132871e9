"""Revalidation end to end in Chromium: staff draw the year's CPD audit, a sampled registrant
declares and submits their CPD profile, staff accept it, and the outcomes table says so; and a
registrant overdue with last year's declaration whose audit profile never came: found not met for
no response, and appealed before the registration lapses."""
import re
from datetime import timedelta

import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members.models import Member
from cpd.revalidation.models import AuditCase

from tests.browser.conftest import axe_violations, fits_a_phone, screenshot, sign_in
from tests.browser.test_registration_in_chromium import as_person


def test_from_draw_to_outcome(page):
    sign_in(page, "staff@demo.example.org")
    page.goto(f"{page.base}/staff/revalidation")
    assert axe_violations(page) == []
    page.fill("#sample_percent", "100")
    page.fill("#seed", "2026")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url(re.compile(r".*/staff/cpd-audits/\d+$"))
    audit_url = page.url
    assert "eligible registrants" in page.inner_text("main")
    assert axe_violations(page) == []

    registrant = as_person(page, "assessor1@demo.example.org")
    registrant.goto(f"{page.base}/revalidation")
    assert axe_violations(registrant) == []
    registrant.check("#meets_standards")
    registrant.click("form:has(#meets_standards) button[type=submit]")
    assert "declaration is recorded" in registrant.inner_text("main")
    registrant.click("text=Submit my CPD profile")
    assert "is submitted" in registrant.inner_text("main")
    fits, widths = fits_a_phone(registrant)
    assert fits, widths

    page.goto(audit_url)
    page.click("a:has-text('Asha Assessor')")
    assert "CPD profile as submitted" in page.inner_text("main")
    assert axe_violations(page) == []
    page.check("input[name=outcome][value=accepted]")
    page.click("main form button[type=submit]")
    assert "Outcome recorded: accepted." in page.inner_text("main")
    outcomes = page.locator("table", has_text="Outcomes").inner_text()
    assert re.search(r"Accepted\s+1", outcomes)
    screenshot(page, "revalidation-outcomes")


def test_overdue_and_no_response_then_an_appeal(page, live_database):
    year = utcnow().year
    with live_database.app_context():  # the demo member's case for last year: its due date passes
        member_id = db.session.scalar(sa.select(Member.id).where(Member.email == "member@demo.example.org"))
        case = db.session.scalar(sa.select(AuditCase).where(AuditCase.member_id == member_id,
                                                            AuditCase.status == "notified").order_by(AuditCase.id))
        case.due_on = utcnow().date() - timedelta(days=1)
        case_id = case.id
        db.session.commit()
    sign_in(page, "staff@demo.example.org")
    page.goto(f"{page.base}/staff/revalidation?year={year - 1}")
    row = page.locator("tr", has_text="Morgan Member").inner_text()
    assert "Overdue" in row and axe_violations(page) == []
    page.goto(f"{page.base}/staff/audit-cases/{case_id}")
    assert "Profile due by" in page.inner_text("main") and axe_violations(page) == []
    page.check("input[name=outcome][value=not_met]")
    page.check("#no_response")
    page.fill("#comment", "No profile was sent by the due date.")
    page.click("main form button[type=submit]")
    assert "Outcome recorded: not met." in page.inner_text("main")

    member = as_person(page, "member@demo.example.org")
    member.goto(f"{page.base}/revalidation")
    assert "unless you appeal before then" in member.inner_text("main") and axe_violations(member) == []
    member.fill("#grounds", "I was in hospital for the whole period: the letter is attached to my record.")
    member.click("form[action$='/appeal'] button[type=submit]")
    assert "Your appeal is lodged" in member.inner_text("main")
    assert "Appealed" in member.inner_text("main")
    screenshot(member, "revalidation-appealed")
