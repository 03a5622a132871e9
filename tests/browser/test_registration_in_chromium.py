"""Professional registration end to end in Chromium: a member applies, the supporter confirms from
the link `flask mail send` prints, two assessors assess, staff ratify, and the title shows on the
member's profile and in the figures. Every page on the way is axe-clean."""
import re

from tests.browser.conftest import axe_violations, flask_command, screenshot, sign_in

STATEMENT = "I led the commissioning of a pumping station upgrade, planning the work and checking it against {code}."


def as_person(page, email):
    """A fresh browser context signed in as `email` (the demo password)."""
    context = page.context.browser.new_context(viewport={"width": 1200, "height": 900})
    other = context.new_page()
    other.base = page.base
    sign_in(other, email)
    return other


def test_from_application_to_ratified_title(page, live_env):
    flask_command(live_env, "mail", "send")  # deliver what was already waiting
    sign_in(page, "member@demo.example.org")
    page.goto(f"{page.base}/registration")
    assert axe_violations(page) == []
    page.select_option("#title", "CEng")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/registration/applications/\d+$"))
    application_url = page.url
    application_id = application_url.rsplit("/", 1)[1]
    for textarea in page.locator("textarea[name^=statement-]").all():
        code = textarea.get_attribute("name").removeprefix("statement-")
        textarea.fill(STATEMENT.format(code=code))
    page.fill("#supporter_name", "Priya Patel")
    page.fill("#supporter_email", "priya.patel@example.org")
    assert axe_violations(page) == []
    screenshot(page, "registration-application")
    page.click("button[value=submit]")
    assert "Submitted: your supporter has been asked." in page.inner_text("main")

    printed = flask_command(live_env, "mail", "send")
    link = re.search(r"(/supporters/[A-Za-z0-9_-]+)", printed).group(1)
    supporter = page.context.browser.new_context().new_page()
    supporter.goto(f"{page.base}{link}")
    assert "asks you to support their application" in supporter.inner_text("main h1")
    assert axe_violations(supporter) == []
    supporter.check("input[value=confirm]")
    supporter.click("main button[type=submit]")
    assert "You have confirmed the statements" in supporter.inner_text("main")
    supporter.goto(f"{page.base}{link}")
    assert "This link cannot be used" in supporter.inner_text("main h1")

    staff = as_person(page, "staff@demo.example.org")
    staff.goto(f"{page.base}/staff/applications/{application_id}")
    assert axe_violations(staff) == []
    staff.select_option("#assessors-first", label="Asha Assessor")
    staff.select_option("#assessors-second", label="Aled Assessor")
    staff.click("form[action$='/assessors'] button[type=submit]")
    assert "Assessors appointed." in staff.inner_text("main")

    for email in ("assessor1@demo.example.org", "assessor2@demo.example.org"):
        assessor = as_person(page, email)
        assessor.goto(f"{page.base}/assessments")
        assessor.click(f"a[href='/assessments/{application_id}']")
        for radio in assessor.locator("input[type=radio][value=met]").all():
            radio.check()
        assessor.check("input[name=recommendation][value=register]")
        assert axe_violations(assessor) == []
        assessor.click("main form button[type=submit]")
        assert "Your assessment is in." in assessor.inner_text("main")

    staff.goto(f"{page.base}/staff/applications/{application_id}")
    staff.check("input[name=decision-outcome][value=ratified]")
    staff.click("form[action$='/decision'] button[type=submit]")
    assert "Application ratified." in staff.inner_text("main")
    screenshot(staff, "registration-ratified")

    page.goto(f"{page.base}/profile")
    assert "Chartered Engineer" in page.inner_text("main") or "CEng" in page.inner_text("main")
    staff.goto(f"{page.base}/staff/figures")
    assert re.search(r"\d+ applications submitted, [1-9]\d* ratified", staff.inner_text("main"))
