"""At 375 px in Chromium: after an event, members-only SIG sessions, a conference timetable, home."""
from datetime import timedelta

from cpd.core.models import utcnow
from cpd.events.models import Booking, Event, ProgrammeSession
from cpd.extensions import db
from cpd.members.models import Member
from cpd.sigs.models import Sig
from tests.browser.conftest import axe_violations, fits_a_phone, flask_command, screenshot, sign_in

PHONE = {"width": 375, "height": 800}


def _setting_the_scene(app, email):
    """A past course the member attended, a members-only SIG session and a conference they are booked on."""
    with app.app_context():
        member = db.session.query(Member).filter_by(email=email).one()
        now = utcnow().replace(microsecond=0)
        past = Event(kind="course", title="Fatigue of welded joints", status="published", timezone="Europe/London",
                     cpd_activity_type="formal_educational", starts_at=now - timedelta(days=2),
                     ends_at=now - timedelta(days=2) + timedelta(hours=3))
        sig = Sig(name="Tribology in practice", discipline="engineering")
        db.session.add_all([past, sig])
        db.session.flush()
        session = Event(kind="sig_session", sig_id=sig.id, members_only=True, title="Lubricant film thickness",
                        status="published", timezone="Europe/London", cpd_activity_type="professional_activity",
                        starts_at=now + timedelta(days=9), ends_at=now + timedelta(days=9, hours=2))
        conference = Event(kind="conference", title="Surfaces and interfaces", status="published", capacity=40,
                           timezone="Europe/London", cpd_activity_type="professional_activity",
                           starts_at=now + timedelta(days=20), ends_at=now + timedelta(days=21, hours=8))
        db.session.add_all([session, conference])
        db.session.flush()
        conference.sessions.append(ProgrammeSession(title="Keynote: friction", kind="keynote",
                                                    starts_at=conference.starts_at,
                                                    ends_at=conference.starts_at + timedelta(hours=1)))
        conference.sessions.append(ProgrammeSession(title="Workshop: profilometry", kind="workshop", capacity=8,
                                                    starts_at=conference.starts_at + timedelta(days=1),
                                                    ends_at=conference.starts_at + timedelta(days=1, hours=2)))
        db.session.add_all([
            Booking(event_id=past.id, member_id=member.id, status="confirmed", attended=True, confirmed_at=now),
            Booking(event_id=conference.id, member_id=member.id, status="confirmed", confirmed_at=now)])
        db.session.commit()
        return past.id, session.id, conference.id


def _check_on_a_phone(page, name):
    assert axe_violations(page) == [], name
    fits, detail = fits_a_phone(page)
    page.set_viewport_size(PHONE)
    assert fits, f"{name}: {detail}"
    screenshot(page, f"{name}-phone")


def test_a_member_on_a_phone_gives_feedback_joins_a_sig_and_chooses_a_workshop(page, live_env, live_database):
    flask_command(live_env, "users", "create", "phone.member@example.org", "--name", "Pat Phone",
                  "--password-stdin", stdin="a phone passphrase\n")
    past_id, session_id, conference_id = _setting_the_scene(live_database, "phone.member@example.org")
    page.set_viewport_size(PHONE)
    sign_in(page, "phone.member@example.org", "a phone passphrase")
    assert "Surfaces and interfaces" in page.inner_text("#bookings-heading + ul")
    _check_on_a_phone(page, "home-with-bookings")

    page.goto(f"{page.base}/bookings")
    row = page.locator("table.cards tbody tr", has_text="Fatigue of welded joints")
    status_cell = row.locator("td[data-label=Status]")
    box = status_cell.bounding_box()
    assert box and box["x"] + box["width"] <= 375  # every column in view, none behind a side-scroller
    assert row.locator("text=Give feedback").count() == 1 and row.locator("text=Cancel").count() == 0
    _check_on_a_phone(page, "my-bookings-after-an-event")
    page.check("#feedback-" + str(past_id) + "-form-rating-4")
    page.fill("#feedback-" + str(past_id) + "-form-comment", "Clear and practical")
    page.click(f"#feedback-{past_id} button[type=submit]")
    assert "Thank you: your feedback is with the organisers." in page.inner_text("main")
    assert page.locator("text=Give feedback").count() == 0

    page.goto(f"{page.base}/events/{session_id}")
    assert "open to members of the SIG only" in page.inner_text("main")
    _check_on_a_phone(page, "members-only-session")
    page.click("button:has-text('Join the SIG')")
    page.click("button:has-text('Book a seat')")
    assert "Your seat is booked." in page.inner_text("main")

    page.goto(f"{page.base}/events/{conference_id}")
    assert page.locator("#programme-heading ~ h3").count() == 2
    _check_on_a_phone(page, "conference-timetable")
    page.click("button:has-text('Choose')")
    assert "Your place at the session is booked." in page.inner_text("main")
    assert "You have a place" in page.inner_text("main")


def test_a_lead_finds_their_room_in_the_navigation(page):
    sign_in(page, "lead@demo.example.org")
    page.click("nav >> text=My SIGs")
    assert page.locator("main h1").inner_text() == "My SIGs"
    assert "The SIGs I lead" in page.inner_text("main")
