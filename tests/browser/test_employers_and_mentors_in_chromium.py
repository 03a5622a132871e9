"""Employers and mentors in Chromium, at 1280 and 375 px, axe-clean: an employer's admin books three
of its people in one order and downloads the invoice; a member shares their standing with their
employer, then withdraws it; a mentor accepts and comments on a record; staff see the organisation."""
import re
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.events.models import Event, EventPrice
from cpd.extensions import db
from cpd.members.models import Member
from cpd.mentoring import services as mentoring
from cpd.organisations import services as organisations
from tests.browser.conftest import axe_violations, fits_a_phone, screenshot, sign_in

LEAD, MEMBER, STAFF = "lead@demo.example.org", "member@demo.example.org", "staff@demo.example.org"


def _set_up(live_database):
    with live_database.app_context():
        by_email = lambda email: db.session.scalar(sa.select(Member).where(Member.email == email))  # noqa: E731
        staff, lead, member = by_email(STAFF), by_email(LEAD), by_email(MEMBER)
        organisation = organisations.create(staff, {"name": "Northwind Engineering", "kind": "employer", "billing": {
            "name": "Northwind Accounts", "address": "2 Quay Street, Bristol"}})
        organisations.make_admin(staff, organisation.id, lead.id)
        people = [by_email(f"person{n:03d}@demo.example.org") for n in (1, 2, 3)]
        for person in [*people, member]:
            organisations._join(organisation, person)
        start = utcnow().replace(microsecond=0) + timedelta(days=25)
        event = Event(kind="course", title="Paid course: welding inspection", status="published", capacity=12,
                      starts_at=start, ends_at=start + timedelta(hours=6), timezone="Europe/London",
                      cpd_activity_type="formal_educational")
        event.prices = [EventPrice(name="Standard", amount=Decimal("300.00"), vat_rate=Decimal("0.20"),
                                   eligibility="anyone", position=0)]
        db.session.add(event)
        mentoring.invite(member, LEAD)
        db.session.commit()
        return organisation.id, [person.id for person in people], event.id


def _checked(page, name):
    assert axe_violations(page) == [], name
    screenshot(page, name)
    fits, widths = fits_a_phone(page)
    assert fits, (name, widths)
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, f"{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_employers_and_mentors(browser, live_server, live_database):
    organisation_id, people, event_id = _set_up(live_database)

    admin = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True).new_page()
    admin.base = live_server
    sign_in(admin, LEAD)
    admin.goto(f"{live_server}/organisations/{organisation_id}/admin")
    _checked(admin, "employer-admin")
    for person in people:
        admin.check(f"#person-{person}")
    admin.select_option("#event_id", str(event_id))
    admin.fill("#purchase_order", "PO-4471")
    admin.click("text=Book and send the invoice")
    admin.wait_for_selector("text=Booked 3 people")
    assert "PO-4471" in admin.inner_text("main") and "£900.00" in admin.inner_text("main")  # 3 × £300, VAT included
    _checked(admin, "employer-admin-booked")
    with admin.expect_download() as download:
        admin.click("text=/Invoice INV-\\d{4}-\\d{6} \\(PDF\\)/")
    assert re.match(r"INV-\d{4}-\d{6}\.pdf", download.value.suggested_filename)

    member = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    member.base = live_server
    sign_in(member, MEMBER)
    member.goto(f"{live_server}/organisations")
    _checked(member, "my-organisations")
    member.click("text=Share my standing with Northwind Engineering")
    member.wait_for_selector("text=You share your CPD standing with Northwind Engineering.")
    _checked(member, "my-organisations-sharing")
    admin.goto(f"{live_server}/organisations/{organisation_id}/admin")
    row = admin.locator("tr", has_text="Morgan Member")
    assert "Not shared" not in row.inner_text()
    member.click("text=Stop sharing with Northwind Engineering")
    member.wait_for_selector("text=You do not share your CPD standing with Northwind Engineering.")
    admin.goto(f"{live_server}/organisations/{organisation_id}/admin")
    assert "Not shared" in admin.locator("tr", has_text="Morgan Member").inner_text()

    admin.goto(f"{live_server}/mentoring")
    _checked(admin, "mentoring")
    admin.click("text=Accept and mentor Morgan Member")
    admin.wait_for_selector("h1:has-text('Mentoring Morgan Member')")
    _checked(admin, "mentee-log")
    first = admin.locator("main table tbody tr").first
    first.locator("textarea").fill("Say what you would change next time.")
    first.locator("button", has_text="Comment").click()
    admin.wait_for_selector("text=Your comment is saved")
    member.goto(f"{live_server}/mentoring")
    assert "Say what you would change next time." in member.inner_text("main")

    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    staff.base = live_server
    sign_in(staff, STAFF)
    staff.goto(f"{live_server}/staff/organisations")
    _checked(staff, "staff-organisations")
    staff.click("text=Northwind Engineering")
    _checked(staff, "staff-organisation")
