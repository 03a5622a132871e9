"""What people meet, third round: the findings of a new user's walk-through, each as they would
notice it on a page."""
from datetime import date

from cpd.core.models import utcnow


def test_the_staff_revalidation_list_counts_everyone_and_pages_instead_of_capping(client, create_member, create_staff,
                                                                                  auth_headers, sign_in):
    # 105 registrants, two of whom declared: the count says so whatever the page shows, the list
    # pages at 100, and a name finds one.
    year = utcnow().year
    registrants = [create_member(grade="member", full_name=f"Registrant {n:03d}",
                                 registrations=[("CEng", date(2019, 5, 1))]) for n in range(105)]
    for person in registrants[:2]:
        made = client.post("/api/v1/me/declarations", headers=auth_headers(person),
                           json={"year": year, "meets_standards": True})
        assert made.status_code == 201
    sign_in(create_staff())
    first = client.get("/staff/revalidation").get_data(as_text=True)
    assert "2 of 105 registrants have declared." in first and "Page 1 of 2" in first
    second = client.get(f"/staff/revalidation?year={year}&page=2").get_data(as_text=True)
    assert second.count('data-label="Registrant"') == 5
    found = client.get(f"/staff/revalidation?year={year}&q=Registrant+042").get_data(as_text=True)
    assert found.count('data-label="Registrant"') == 1 and "Registrant 042" in found
    assert "No registrant of that name." in client.get("/staff/revalidation?q=Nobody").get_data(as_text=True)


def test_equality_answers_without_the_consent_tick_ask_for_it_and_keep_nothing(client, app, create_member, sign_in,
                                                                              form_post, auth_headers):
    import sqlalchemy as sa

    from cpd.extensions import db
    from cpd.members.models import EqualityAnswers

    person = create_member()
    sign_in(person)
    asked = form_post("/profile/equality", {"gender": "woman", "age_band": "25_34"}, page_url="/profile/equality")
    html = asked.get_data(as_text=True)
    assert asked.status_code == 422 and "Tick the consent box to have these answers kept" in html
    assert "Consent withdrawn" not in html
    nothing = form_post("/profile/equality", {}, page_url="/profile/equality")
    assert nothing.status_code == 302
    assert "Nothing is kept" in client.get("/profile/equality").get_data(as_text=True)
    api = client.put("/api/v1/me/equality", headers=auth_headers(person), json={"consent": False, "gender": "woman"})
    assert api.status_code == 422 and "consent" in api.get_json()["errors"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EqualityAnswers)) == 0
    kept = form_post("/profile/equality", {"consent": "y", "gender": "woman"}, page_url="/profile/equality")
    assert kept.status_code == 302
    withdrawn = form_post("/profile/equality", {"gender": "woman"}, page_url="/profile/equality")
    assert withdrawn.status_code == 302
    assert "Consent withdrawn: your answers are deleted." in client.get("/profile/equality").get_data(as_text=True)


def test_moving_a_booked_conference_tells_each_booker_once_and_its_calendar_entry_replaces_the_old(
        client, app, create_member, create_staff, create_event, auth_headers):
    from datetime import timedelta

    import icalendar
    import sqlalchemy as sa
    import vobject

    from cpd.extensions import db
    from cpd.notices.models import Notice

    staff = auth_headers(create_staff())
    conference = create_event(title="Materials conference", kind="conference", capacity=1,
                              starts_in=timedelta(days=30), hours=8, venue="Leeds")
    session = client.post(f"/api/v1/events/{conference.id}/sessions", headers=staff, json={
        "title": "Keynote", "starts_at": (conference.starts_at + timedelta(hours=1)).replace(tzinfo=None).isoformat(),
        "ends_at": (conference.starts_at + timedelta(hours=2)).replace(tzinfo=None).isoformat()})
    assert session.status_code == 201, session.get_json()
    seated, waiting = create_member(), create_member()
    for person in (seated, waiting):
        assert client.post(f"/api/v1/events/{conference.id}/bookings", headers=auth_headers(person)).status_code == 201
    before = icalendar.Calendar.from_ical(client.get(f"/api/v1/events/{conference.id}/calendar.ics").data)
    first = next(c for c in before.walk("VEVENT"))
    assert int(first["SEQUENCE"]) == 0 and f"/events/{conference.id}" in str(first["DESCRIPTION"])

    later = conference.local_starts_at + timedelta(days=7)
    moved = client.patch(f"/api/v1/events/{conference.id}", headers=staff, json={
        "starts_at": later.replace(tzinfo=None).isoformat(),
        "ends_at": (later + timedelta(hours=8)).replace(tzinfo=None).isoformat(), "venue": "York"})
    assert moved.status_code == 200, moved.get_json()
    assert client.patch(f"/api/v1/events/{conference.id}", headers=staff, json={"title": "Materials 2027"}
                        ).status_code == 200  # no move: nobody told again

    with app.app_context():
        told = db.session.scalars(sa.select(Notice).where(Notice.kind == "event_changed")).all()
    assert sorted(n.member_id for n in told) == sorted([seated.id, waiting.id])
    assert "Where: now York (was Leeds)" in told[0].body and "When: now" in told[0].body
    assert f"/events/{conference.id}" in told[0].body.splitlines()[-1]
    body = client.get(f"/api/v1/events/{conference.id}/calendar.ics").data
    entry = next(c for c in icalendar.Calendar.from_ical(body).walk("VEVENT"))
    assert int(entry["SEQUENCE"]) == 1 and entry["DTSTART"].dt == later
    parsed = vobject.readOne(body.decode())
    assert parsed.vevent.sequence.value == "1" and parsed.vevent.dtstart.value == later
    programme = client.get(f"/api/v1/events/{conference.id}").get_json()["sessions"]
    assert programme[0]["starts_at"].startswith((later + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))


def test_every_event_notice_links_to_what_it_is_about(client, app, create_member, create_event, auth_headers):
    import sqlalchemy as sa

    from cpd.extensions import db
    from cpd.notices.models import Notice

    event = create_event(title="Welding basics", capacity=1)
    for person in (create_member(), create_member()):
        client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(person))
    with app.app_context():
        bodies = {n.kind: n.body for n in db.session.scalars(sa.select(Notice))}
        base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    assert set(bodies) >= {"booking_confirmed", "waitlisted"}
    for kind, body in bodies.items():
        assert f"{base}/events/{event.id}" in body, kind


def test_home_says_what_to_do_next_soonest_first_with_dates_and_links(client, app, create_member, create_event,
                                                                      create_booking, create_record, auth_headers,
                                                                      sign_in):
    import re
    from datetime import timedelta

    import sqlalchemy as sa

    from cpd.events.models import Booking
    from cpd.extensions import db

    today = utcnow().date()
    member = create_member(grade="member", registrations=[("CEng", date(2019, 5, 1))])
    past = create_event(title="Pump maintenance", starts_at=utcnow() - timedelta(days=10))
    create_booking(member, past, attended=True)
    full = create_event(title="Bridge design", capacity=1)
    booking = create_booking(member, full, status="waitlisted")
    with app.app_context():
        db.session.execute(sa.update(Booking).where(Booking.id == booking).values(
            status="offered", offer_expires_at=utcnow() + timedelta(days=2)))
        db.session.commit()
    create_record(member, started_on=today - timedelta(days=20), learning="")
    assert client.post("/api/v1/me/applications", headers=auth_headers(member),
                       json={"title": "CEng"}).status_code in (201, 409, 403)
    sign_in(member)
    html = client.get("/").get_data(as_text=True)
    section = html[html.index("What to do next"):html.index("My next bookings")]
    items = re.findall(r'<span class="date[^"]*">([^<]+)</span>\s*<a href="([^"]+)">([^<]+)</a>', section)
    whats = [what for _, _, what in items]
    assert "Say how Pump maintenance was" in whats
    assert "Pay for the seat offered to you at Bridge design" in whats
    assert f"Make your {today.year} CPD declaration" in whats
    assert "Reflect on 1 record: what you learned and how it helps your work" in whats
    assert [when for when, _, what in items if what.startswith("Reflect")] == [
        (today - timedelta(days=20)).strftime("%-d %B" if (today - timedelta(days=20)).year == today.year
                                             else "%-d %B %Y")]
    dates = [date.fromisoformat(d) for d in re.findall(r'data-due="([0-9-]+)"', section)]
    assert dates == sorted(dates) and len(dates) == len(items)
    assert all(url.startswith("/") for _, url, _ in items)


def test_the_programme_as_a_month_and_links_to_add_an_event_to_google_or_outlook(client, create_event):
    from datetime import timedelta

    event = create_event(title="Soldering clinic", starts_in=timedelta(days=3))
    month = event.local_starts_at.strftime("%Y-%m")
    page = client.get(f"/events/calendar?month={month}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Soldering clinic" in html and event.local_starts_at.strftime("%B %Y") in html
    assert f'href="/events/{event.id}"' in html and "Previous month" in html and "Next month" in html
    later = (event.local_starts_at.replace(day=1) + timedelta(days=70)).strftime("%Y-%m")
    assert "Soldering clinic" not in client.get(f"/events/calendar?month={later}").get_data(as_text=True)
    wrong = client.get("/events/calendar?month=March")
    assert wrong.status_code == 422 and "Give a month as YYYY-MM" in wrong.get_data(as_text=True)
    assert client.get("/events/calendar?month=1800-01").status_code == 422
    detail = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in detail
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in detail


def test_the_register_marks_everyone_else_attended_finds_a_name_and_counts_who_is_unmarked(
        client, app, create_event, create_member, create_staff, create_booking, sign_in, form_post):
    from datetime import timedelta

    import sqlalchemy as sa

    from cpd.events.models import Booking
    from cpd.extensions import db

    event = create_event(starts_at=utcnow() - timedelta(hours=3), hours=2, title="Pressure systems")
    people = [create_member(full_name=name) for name in ("Ada Byron", "Ben Okri", "Cara Dunn")]
    ids = [create_booking(person, event) for person in people]
    sign_in(create_staff())
    page = client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert "<strong>3</strong> booked seats not yet marked." in page
    found = client.get(f"/events/{event.id}/register?q=okri").get_data(as_text=True)
    assert "Ben Okri" in found and "Ada Byron" not in found
    assert "Nobody of that name" in client.get(f"/events/{event.id}/register?q=zed").get_data(as_text=True)
    saved = form_post(f"/events/{event.id}/register", {f"booking_{ids[1]}": "absent", "mark_all": "y"},
                      page_url=f"/events/{event.id}/register")
    assert saved.status_code == 302
    with app.app_context():
        marks = dict(db.session.execute(sa.select(Booking.id, Booking.attended).where(Booking.event_id == event.id)).all())
    assert marks == {ids[0]: True, ids[1]: False, ids[2]: True}
    assert "<strong>0</strong> booked seats not yet marked." in client.get(f"/events/{event.id}/register").get_data(
        as_text=True)


def test_staff_write_to_an_events_bookers_after_a_preview(client, app, create_event, create_member, create_staff,
                                                          create_booking, auth_headers, sign_in, form_post):
    import sqlalchemy as sa

    from cpd.extensions import db
    from cpd.notices.models import Notice

    event = create_event(title="Bench skills", capacity=1)
    seated, waiting, gone = create_member(), create_member(), create_member()
    create_booking(seated, event)
    create_booking(waiting, event, status="waitlisted")
    create_booking(gone, event, status="cancelled")
    sign_in(create_staff())
    url = f"/events/{event.id}/message"
    previewed = form_post(url, {"subject": "Room change", "body": "We meet in Lab 4.", "preview": "Preview"},
                          page_url=url)
    html = previewed.get_data(as_text=True)
    assert previewed.status_code == 200 and "Preview: 2 bookers will get this" in html and "We meet in Lab 4." in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Notice.kind == "event_message")) == 0
    sent = form_post(url, {"subject": "Room change", "body": "We meet in Lab 4.", "send": "Send"}, page_url=url)
    assert sent.status_code == 302
    empty = form_post(url, {"subject": "", "body": "", "preview": "Preview"}, page_url=url)
    assert empty.status_code == 422
    api = client.post(f"/api/v1/events/{event.id}/messages", headers=auth_headers(create_staff()),
                      json={"subject": "Parking", "body": "Use the north car park."})
    assert api.status_code == 201 and api.get_json() == {"subject": "Parking", "recipients": 2}
    with app.app_context():
        told = db.session.scalars(sa.select(Notice).where(Notice.kind == "event_message").order_by(Notice.id)).all()
    assert sorted({n.member_id for n in told}) == sorted([seated.id, waiting.id]) and len(told) == 4
    assert told[0].subject == "Room change (Bench skills)" and f"/events/{event.id}" in told[0].body


def test_my_bookings_keep_what_is_to_come_apart_and_ask_feedback_once(client, create_member, create_event,
                                                                      create_booking, sign_in):
    from datetime import timedelta

    member = create_member()
    soon = create_event(title="Coming course", starts_in=timedelta(days=5))
    older = create_event(title="Older workshop", starts_at=utcnow() - timedelta(days=20))
    recent = create_event(title="Recent workshop", starts_at=utcnow() - timedelta(days=3))
    create_booking(member, soon)
    for event in (older, recent):
        create_booking(member, event, attended=True)
    sign_in(member)
    html = client.get("/bookings").get_data(as_text=True)
    upcoming, past = html.split('id="past-heading"')
    assert "Coming course" in upcoming and "Recent workshop" not in upcoming.split("How was")[0]
    assert "Older workshop" in past and "Recent workshop" in past and "Coming course" not in past
    assert html.count('class="stack feedback"') == 1 and "How was Recent workshop, on " in html
    assert f'href="/events/{older.id}#feedback"' in html
    assert html.index("Subscribe to my bookings in my calendar") < html.index("Coming up")


def test_signing_up_with_an_address_already_registered_offers_sign_in_and_a_reset(client, create_member, form_post):
    create_member(email="ada@example.org")
    refused = form_post("/signup", {"full_name": "Ada", "email": "ada@example.org", "password": "a long passphrase",
                                    "confirm": "a long passphrase", "discipline": "", "sector": "",
                                    "career_stage": "", "cpd_policy": "rics"}, page_url="/signup")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'href="/signin">sign in</a>' in html and 'href="/forgot-password">reset its password</a>' in html


def test_the_audits_cases_and_the_applications_search_and_count_from_the_database(
        client, create_member, create_staff, auth_headers, sign_in):
    year = utcnow().year
    people = [create_member(grade="member", full_name=f"Auditee {n:03d}", registrations=[("CEng", date(2019, 5, 1))])
              for n in range(103)]
    staff = create_staff()
    drawn = client.post("/api/v1/cpd-audits", headers=auth_headers(staff),
                        json={"year": year - 1, "sample_percent": 100, "seed": 7}).get_json()
    sign_in(staff)
    page = client.get(f"/staff/cpd-audits/{drawn['id']}").get_data(as_text=True)
    assert "103 of 103 eligible" in page and "Cases: 103" in page and "Page 1 of 2" in page
    found = client.get(f"/staff/cpd-audits/{drawn['id']}?q=auditee+077").get_data(as_text=True)
    assert found.count('data-label="Registrant"') == 1 and "Auditee 077" in found
    for person in people[:2]:
        client.post("/api/v1/me/applications", headers=auth_headers(person), json={"title": "RSci"})
    listed = client.get("/staff/applications?q=Auditee+001").get_data(as_text=True)
    assert "1 application from applicants named" in listed and "Auditee 001" in listed and "Auditee 000" not in listed
