"""Home's "what to do next" and the programme's month calendar in Chromium, at 1280 and 375 px:
axe-clean, fitting a phone, working without JavaScript."""
from tests.browser.conftest import axe_violations, fits_a_phone, screenshot, sign_in


def test_home_says_what_to_do_next(page):
    sign_in(page, "member@demo.example.org")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{page.base}/")
    steps = page.locator("section.next-steps li")
    assert page.locator("#next-heading").inner_text() == "What to do next"
    assert steps.count() > 0, "the demo member has records to reflect on and events to rate"
    dates = [steps.nth(n).get_attribute("data-due") for n in range(steps.count())]
    assert dates == sorted(dates)
    assert axe_violations(page) == []
    screenshot(page, "home-next-steps")
    fits, widths = fits_a_phone(page)
    assert fits, widths


def test_the_programme_month_calendar_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/events/calendar")
    assert page.locator("main h1").inner_text().startswith("Programme: ")
    page.locator("a", has_text="Next month").click()
    assert page.locator("ol.month li.day").count() >= 28
    context.close()
    checked = browser.new_context().new_page()  # axe itself runs as JavaScript
    checked.set_viewport_size({"width": 1280, "height": 900})
    checked.goto(f"{live_server}/events/calendar")
    assert axe_violations(checked) == []
    screenshot(checked, "programme-month")
    fits, widths = fits_a_phone(checked)
    assert fits, widths
    checked.set_viewport_size({"width": 375, "height": 800})
    screenshot(checked, "programme-month-phone")
