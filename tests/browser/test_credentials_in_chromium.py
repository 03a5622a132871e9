"""My credentials and the public verify page in Chromium, at 1280 and 375 px: axe-clean, fitting a
phone, every card telling its credential apart (its event and dates), a year's transcript to
download, and the verify page reached from a credential without signing in."""
from tests.browser.conftest import axe_violations, fits_a_phone, screenshot, sign_in


def test_my_credentials_and_the_verify_page(page):
    sign_in(page, "member@demo.example.org")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{page.base}/credentials")
    cards = page.locator("main article.card")
    assert cards.count() > 0, "the demo member attended events"
    texts = [cards.nth(n).inner_text() for n in range(cards.count())]
    assert len(set(texts)) == len(texts), "two cards read the same"
    assert all(" 20" in text for text in texts), "each card names its dates"
    assert page.locator("a", has_text="20").filter(has=page.locator("xpath=self::a[contains(@href, '/transcripts/')]")
                                                   ).count() > 0
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
    assert "Issued on" in stranger.inner_text("main")
    assert axe_violations(stranger) == []
    screenshot(stranger, "credential-verify")
    fits, widths = fits_a_phone(stranger)
    assert fits, widths
