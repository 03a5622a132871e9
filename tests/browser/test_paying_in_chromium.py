"""Paying for a course through our pages in Chromium, at a phone's width and a desktop's: the price
chosen at checkout, the card typed into the provider's card form (localstripe's stand-in for
Stripe.js), the provider charging it, and the seat confirmed with its invoice. Every page on the
way is axe-clean (the provider's card form, not our markup, aside)."""
import re
from datetime import timedelta
from decimal import Decimal

from cpd.core.models import utcnow
from cpd.events.models import Event, EventPrice
from cpd.extensions import db
from tests.browser.conftest import axe_violations, fits_a_phone, screenshot, sign_in


def _paid_course(live_database):
    with live_database.app_context():
        start = utcnow().replace(microsecond=0) + timedelta(days=20)
        event = Event(kind="course", title="Paid course: corrosion management", status="published", capacity=10,
                      starts_at=start, ends_at=start + timedelta(hours=6), timezone="Europe/London",
                      cpd_activity_type="formal_educational")
        event.prices = [EventPrice(name="Member", amount=Decimal("240.00"), vat_rate=Decimal("0.20"),
                                   eligibility="members", position=0),
                        EventPrice(name="Standard", amount=Decimal("300.00"), vat_rate=Decimal("0.20"),
                                   eligibility="anyone", position=1)]
        db.session.add(event)
        db.session.commit()
        return event.id


def _pay(page, event_id, width, name):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{page.base}/events/{event_id}")
    page.click("text=Choose a price and book")
    page.wait_for_url(re.compile(r".*/checkout$"))
    assert axe_violations(page) == []
    page.check("input[name=price_id] >> nth=0")
    page.check("input[name=pay_by][value=card]")
    screenshot(page, f"checkout-{name}")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/orders/\d+/pay$"))
    assert "Pay GBP 240.00" in page.inner_text("main")
    page.wait_for_selector("#card-element input")
    assert axe_violations(page, exclude="#card-element") == []
    for placeholder, value in (("number", "4242424242424242"), ("exp_month", "12"), ("exp_year", "34"),
                               ("cvc", "123"), ("postal_code", "LS1 1AA")):
        page.fill(f"#card-element input[placeholder={placeholder}]", value)
    screenshot(page, f"pay-{name}")
    page.click("#pay-button")
    page.wait_for_selector("text=Paid, with thanks: your seat is confirmed.")
    assert "Thank you: the payment is made." in page.inner_text("main")
    assert re.search(r"INV-\d{4}-\d{6}", page.inner_text("main"))


def test_members_pay_by_card_on_a_phone_and_on_a_desktop(page, browser, live_server, live_database):
    event_id = _paid_course(live_database)
    sign_in(page, "member@demo.example.org")
    _pay(page, event_id, 375, "phone")
    assert fits_a_phone(page)[0], fits_a_phone(page)[1]
    page.goto(f"{page.base}/bookings")
    assert "Paid: GBP 240.00" in page.inner_text("main")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    other = context.new_page()
    other.base = live_server
    sign_in(other, "lead@demo.example.org")
    _pay(other, event_id, 1280, "desktop")
    context.close()

    # Staff see both orders, paid, with their invoices; the pages are axe-clean too.
    staff_context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = staff_context.new_page()
    staff.base = live_server
    sign_in(staff, "staff@demo.example.org")
    staff.goto(f"{staff.base}/staff/orders?event_id={event_id}")
    assert staff.inner_text("main").count("Paid") >= 2 and axe_violations(staff) == []
    staff.click("main table a >> nth=0")
    assert "Refund" in staff.inner_text("main") and re.search(r"INV-\d{4}-\d{6}", staff.inner_text("main"))
    assert axe_violations(staff) == []
    screenshot(staff, "staff-order")
    staff_context.close()
