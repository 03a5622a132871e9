"""My credentials and the public verify page in Chromium: axe-clean, fitting a phone, and the
verify page reached from a credential without signing in."""
from tests.browser.conftest import axe_violations, fits_a_phone, screenshot, sign_in


def test_my_credentials_and_the_verify_page(page):
    sign_in(page, "member@demo.example.org")
    page.goto(f"{page.base}/credentials")
    assert page.locator("main section.card").count() > 0, "the demo member attended events"
    assert axe_violations(page) == []
    linkedin = page.locator("a", has_text="Add to LinkedIn profile").first.get_attribute("href")
    assert linkedin.startswith("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME")
    verify = page.locator("a", has_text="Verify page").first.get_attribute("href")
    screenshot(page, "credentials")
    fits, widths = fits_a_phone(page)
    assert fits, widths

    stranger = page.context.browser.new_context().new_page()
    stranger.goto(f"{page.base}{verify}")
    assert stranger.inner_text("main h1") == "This credential is valid"
    assert "Institute of Science & Technology" in stranger.inner_text("main")
    assert axe_violations(stranger) == []
    screenshot(stranger, "credential-verify")
