"""The third round's pages in Chromium, each at 1280 and 375 px: axe-clean (best-practice rules
included, so no landmark is named twice), fitting a phone, with screenshots in build/screenshots."""
import pytest

from tests.browser.conftest import axe_violations, fits_a_phone, screenshot, sign_in

PAGES = [
    ("member@demo.example.org", "/", "home"),
    ("member@demo.example.org", "/bookings", "my-bookings"),
    ("member@demo.example.org", "/credentials", "my-credentials"),
    ("member@demo.example.org", "/profile", "profile"),
    ("member@demo.example.org", "/profile/equality", "equality"),
    ("staff@demo.example.org", "/staff/revalidation", "staff-revalidation"),
    ("staff@demo.example.org", "/staff/applications", "staff-applications"),
    ("staff@demo.example.org", "/staff/orders", "staff-orders"),
    (None, "/events/calendar", "programme-month"),
    (None, "/signup", "signup"),
]


@pytest.mark.parametrize("account, path, name", PAGES)
def test_each_page_at_desktop_and_phone_width(page, account, path, name):
    if account:
        sign_in(page, account)
    for width, suffix in ((1280, ""), (375, "-phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{page.base}{path}")
        assert page.locator("main h1").count() == 1, path
        assert axe_violations(page, best_practice=True) == [], (path, width)
        screenshot(page, f"third-round-{name}{suffix}")
    fits, widths = fits_a_phone(page)
    assert fits, (path, widths)


def test_a_register_and_writing_to_the_bookers(page):
    sign_in(page, "staff@demo.example.org")
    page.goto(f"{page.base}/events")
    event_id = page.evaluate("""() => [...document.querySelectorAll('main a')].map(a => a.getAttribute('href'))
        .find(href => /^\\/events\\/\\d+$/.test(href)).split('/')[2]""")
    for path, name in ((f"/events/{event_id}/register", "register"), (f"/events/{event_id}/message", "message")):
        for width, suffix in ((1280, ""), (375, "-phone")):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{page.base}{path}")
            assert axe_violations(page, best_practice=True) == [], (path, width)
            screenshot(page, f"third-round-{name}{suffix}")
        fits, widths = fits_a_phone(page)
        assert fits, (path, widths)
    page.fill("#subject", "Room change")
    page.fill("#body", "We meet in Lab 4 this time.")
    page.click("text=Preview")
    assert "will get this" in page.inner_text("main")
    screenshot(page, "third-round-message-preview")
