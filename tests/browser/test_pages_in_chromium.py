"""Every main page in a real browser: it works, axe finds no WCAG 2.1 A/AA violation, it fits a
375 px phone, and a screenshot is kept under build/screenshots/."""
import pytest

from tests.browser.conftest import axe_violations, fits_a_phone, screenshot, sign_in

MEMBER_PAGES = {
    "home": "/", "programme": "/events", "courses": "/courses", "my-bookings": "/bookings", "cpd-log": "/cpd/",
    "cpd-new": "/cpd/new", "cpd-summary": "/cpd/summary", "cpd-plan": "/cpd/plan", "profile": "/profile",
    "sigs": "/sigs", "sig": "/sigs/1", "event": "/events/30", "change-password": "/profile/password",
    "change-email": "/profile/email", "two-factor": "/profile/two-factor",
    "publications": "/publications", "surveys": "/surveys", "survey": "/surveys/3", "equality": "/profile/equality",
    "registration": "/registration", "competence-map": "/registration/titles/CEng", "assessments": "/assessments",
    "revalidation": "/revalidation",
}
STAFF_PAGES = {"figures": "/staff/figures", "members": "/staff/members", "member": "/staff/members/5",
               "new-event": "/events/new", "register": "/events/1/register", "targets": "/staff/figures/targets",
               "engagements": "/staff/engagements", "supporters": "/staff/supporters",
               "new-survey": "/staff/surveys/new", "publish": "/staff/publications/new",
               "applications": "/staff/applications", "application": "/staff/applications/5",
               "revalidation-staff": "/staff/revalidation"}
LEAD_PAGES = {"my-sigs": "/my-sigs"}
ANONYMOUS_PAGES = {"welcome": "/", "sign-in": "/signin", "sign-up": "/signup", "forgot-password": "/forgot-password"}


def _check(page, name, path):
    page.goto(f"{page.base}{path}")
    assert page.locator("main h1").count() == 1, f"{name} has no heading"
    screenshot(page, name)
    assert axe_violations(page) == [], name
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, f"{name}-phone")
    fits, widths = fits_a_phone(page)
    assert fits, f"{name} scrolls sideways at 375 px: {widths}"


@pytest.mark.parametrize("name, path", ANONYMOUS_PAGES.items())
def test_public_pages(page, name, path):
    _check(page, name, path)


@pytest.mark.parametrize("name, path", MEMBER_PAGES.items())
def test_member_pages(page, name, path):
    sign_in(page, "member@demo.example.org")
    _check(page, name, path)


@pytest.mark.parametrize("name, path", STAFF_PAGES.items())
def test_staff_pages(page, name, path):
    sign_in(page, "staff@demo.example.org")
    _check(page, name, path)


@pytest.mark.parametrize("name, path", LEAD_PAGES.items())
def test_lead_pages(page, name, path):
    sign_in(page, "lead@demo.example.org")
    _check(page, name, path)
