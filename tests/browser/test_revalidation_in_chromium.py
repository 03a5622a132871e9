"""Revalidation end to end in Chromium: staff draw the year's CPD audit, a sampled registrant
declares and submits their CPD profile, staff accept it, and the outcomes table says so."""
import re

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
