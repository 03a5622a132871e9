"""What people do, end to end in Chromium: a member, a SIG lead and staff."""
import re
import struct
import zlib

from tests.browser.conftest import axe_violations, fits_a_phone, screenshot, sign_in


def tiny_png(path):
    """A real 1×1 PNG, as a phone's photo of a certificate would be."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"\x00\xff\xff\xff"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return path


def test_axe_finds_a_known_fault(page):
    page.set_content("<html><body><img src='x.png'><input type='text'></body></html>")
    found = " ".join(axe_violations(page))
    assert "image-alt" in found and "label" in found


def test_the_phone_check_finds_a_table_cut_off_in_its_scroller(page):
    page.set_content("<html><body><div style='overflow-x:auto'><table><tr>"
                     + "<td>a-long-unbreakable-value</td>" * 12 + "</tr></table></div></body></html>")
    fits, (widths, overflowing) = fits_a_phone(page)
    assert not fits and widths[0] <= widths[1]  # the page itself does not scroll: only the box does
    assert overflowing and overflowing[0].startswith("div")


def test_a_member_signs_up_books_a_full_event_logs_cpd_and_downloads_the_profile(page, tmp_path):
    base = page.base
    page.goto(f"{base}/signup")
    page.fill("#full_name", "Browser Member")
    page.fill("#email", "browser.member@example.org")
    page.fill("#password", "a long password")
    page.fill("#confirm", "a long password")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    assert "Hello, Browser Member" in page.inner_text("main")

    page.goto(f"{base}/profile")
    page.select_option("#discipline", "science")
    page.select_option("#career_stage", "technician")
    page.click("main form.stack button[type=submit]")
    assert "Your profile is saved." in page.inner_text("main")

    page.goto(f"{base}/events")
    screenshot(page, "journey-programme")
    full = page.locator(".event-list li", has_text="Full").first
    full.locator("h2 a").click()
    page.click("text=Join the waiting list")
    assert re.search(r"You are number \d+ on the waiting list", page.inner_text("main"))
    screenshot(page, "journey-waiting-list")
    page.click("text=Cancel my place on the waiting list")
    page.click("button:has-text('Cancel it')")
    assert "You have left the waiting list." in page.inner_text("main")

    page.goto(f"{base}/cpd/new")
    page.fill("#title", "Read the new calibration standard")
    page.select_option("#activity_type", "self_directed")
    page.fill("#hours", "2.5")
    page.fill("#learning", "Uncertainty budgets")
    page.fill("#benefit_to_practice", "Better calibration certificates")
    page.click("main form button[type=submit]")
    assert "Activity logged." in page.inner_text("main")
    page.set_input_files("#file", str(tiny_png(tmp_path / "certificate.png")))
    page.click("text=Upload")
    assert "certificate.png" in page.inner_text("main")
    screenshot(page, "journey-cpd-record")

    page.goto(f"{base}/cpd/summary")
    assert page.locator("img.chart").count() == 2
    with page.expect_download() as download:
        page.click("text=Download this CPD profile (PDF)")
    path = download.value.path()
    assert open(path, "rb").read(5) == b"%PDF-"


def test_a_lead_creates_a_session_and_marks_the_register(page):
    base = page.base
    sign_in(page, "lead@demo.example.org")
    page.goto(f"{base}/my-sigs")
    page.locator("text=Create a session").first.click()
    page.fill("#title", "Browser-made meetup")
    page.fill("#starts_at", "2031-06-01T18:00")
    page.fill("#ends_at", "2031-06-01T20:00")
    page.fill("#capacity", "12")
    page.click("main form button[type=submit]")
    assert "The event is saved." in page.inner_text("main")
    assert "Browser-made meetup" in page.inner_text("main h1")

    page.goto(f"{base}/my-sigs")
    page.locator("table a", has_text="Register").last.click()
    assert "Bookings and register" in page.inner_text("main h1")
    screenshot(page, "journey-register")
    page.locator("input[type=radio][value=attended]").first.check()
    page.click("text=Save the register")
    assert "Register saved" in page.inner_text("main")


def test_staff_open_the_figures_and_download_the_attendance_export(page):
    sign_in(page, "staff@demo.example.org")
    page.goto(f"{page.base}/staff/figures")
    assert "Are we meeting our strategy?" in page.inner_text("main h1")
    assert page.locator("img.chart").count() == 5  # the year's four and the three-year trend
    screenshot(page, "journey-figures")
    with page.expect_download() as download:
        page.locator("a", has_text="CSV").first.click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.startswith("event_id,title,kind,sig,")
    assert len(text.splitlines()) > 5
