"""What members, leads and staff meet on the pages (issue: pages that work on a phone, and words
that people read): after an event, members-only sessions, honest confirmations, words not codes."""
import re
from datetime import timedelta

import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.events.models import Feedback
from cpd.extensions import db
from tests.conftest import csrf_token_from


def test_an_attended_member_gives_feedback_once_and_cannot_cancel(client, app, create_event, create_member,
                                                                   create_booking, sign_in):
    past = create_event(title="Yesterday's lab day", starts_at=utcnow() - timedelta(days=1))
    member = create_member()
    create_booking(member, past, attended=True)
    sign_in(member)
    page = client.get(f"/events/{past.id}").get_data(as_text=True)
    assert "You attended." in page and "Send my feedback" in page
    assert "Cancel my booking" not in page and "Add to my calendar" not in page
    bookings = client.get("/bookings").get_data(as_text=True)
    assert "Give feedback" in bookings and ">Cancel<" not in bookings
    sent = client.post(f"/events/{past.id}/feedback", data={
        "csrf_token": csrf_token_from(page), "rating": "4", "comment": "Good demonstrations", "next": "/bookings"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/bookings")
    with app.app_context():
        assert db.session.execute(sa.select(Feedback.rating, Feedback.comment)).all() == [(4, "Good demonstrations")]
    again = client.get(f"/events/{past.id}").get_data(as_text=True)
    assert "Send my feedback" not in again
    assert "Give feedback" not in client.get("/bookings").get_data(as_text=True)


def test_feedback_is_only_for_those_marked_attended(client, create_event, create_member, create_booking,
                                                    auth_headers):
    past = create_event(starts_at=utcnow() - timedelta(days=1))
    unmarked, absent, attended = create_member(), create_member(), create_member()
    create_booking(unmarked, past)
    create_booking(absent, past, attended=False)
    create_booking(attended, past, attended=True)
    url = f"/api/v1/events/{past.id}/feedback"
    assert client.post(url, headers=auth_headers(unmarked), json={"rating": 5}).status_code == 403
    assert client.post(url, headers=auth_headers(absent), json={"rating": 5}).status_code == 403
    assert client.post(url, headers=auth_headers(attended), json={"rating": 5}).status_code == 201
    assert client.post(url, headers=auth_headers(attended), json={"rating": 4}).status_code == 409


def test_a_past_event_never_offers_cancelling(client, create_event, create_member, create_booking, sign_in):
    past = create_event(title="Gone by", starts_at=utcnow() - timedelta(hours=1))
    member = create_member()
    create_booking(member, past)
    sign_in(member)
    assert "Cancel my booking" not in client.get(f"/events/{past.id}").get_data(as_text=True)
    assert ">Cancel<" not in client.get("/bookings").get_data(as_text=True)


def test_a_members_only_sig_session_says_so_before_booking_with_a_join_button(client, create_event, create_member,
                                                                              create_sig, sign_in):
    sig = create_sig(name="Vacuum technology")
    session = create_event(kind="sig_session", sig_id=sig.id, members_only=True, title="Leak testing")
    sign_in(create_member())
    page = client.get(f"/events/{session.id}").get_data(as_text=True)
    assert "open to members of the SIG only" in page and "Join the SIG" in page and "Book a seat" not in page
    joined = client.post(f"/sigs/{sig.id}/join", data={"csrf_token": csrf_token_from(page),
                                                       "next": f"/events/{session.id}"})
    assert joined.headers["Location"].endswith(f"/events/{session.id}")
    after = client.get(f"/events/{session.id}").get_data(as_text=True)
    assert "Book a seat" in after and "Join the SIG" not in after


def test_confirmations_say_what_will_happen(client, create_event, create_member, sign_in, book_seat, app):
    from cpd.events.models import Booking

    quiet = create_event(capacity=5, title="Quiet course")
    member = create_member()
    booking_id = book_seat(member, quiet)
    sign_in(member)
    confirm = client.get(f"/bookings/{booking_id}/cancel").get_data(as_text=True)
    assert "waiting list" not in confirm and "free for someone else" in confirm

    full = create_event(capacity=1, title="Full course")
    book_seat(create_member(), full)
    waiting_id = book_seat(member, full)
    confirm = client.get(f"/bookings/{waiting_id}/cancel").get_data(as_text=True)
    assert "You will leave the waiting list" in confirm
    left = client.post(f"/bookings/{waiting_id}/cancel", data={"csrf_token": csrf_token_from(confirm)},
                       follow_redirects=True)
    assert "You have left the waiting list." in left.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Booking, waiting_id).status == "cancelled"


def test_our_own_403_page(client, create_member, sign_in):
    sign_in(create_member())
    page = client.get("/staff/members")
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert "This page is for the staff team." in html and "read-protected" not in html


def test_words_not_codes(client, app, create_member, create_staff, sign_in, form_post):
    from datetime import date

    member = create_member(cpd_policy="iet", registrations=[("RegisteredPractitioner", date(2024, 5, 1))])
    sign_in(member)
    profile = client.get("/profile").get_data(as_text=True)
    assert ">IET (Engineering Council registrants)</option>" in profile and "Iet" not in profile
    assert "Registered Practitioner (Institute of Science and Technology) (awarded 1 May 2024)" in profile
    record = form_post("/cpd/new", {"title": "Reading", "activity_type": "self_directed", "started_on": "2026-03-05",
                                    "ended_on": "2026-03-01", "hours": "1"})
    html = record.get_data(as_text=True)
    assert "Must not be before the start date." in html and "before started_on" not in html

    sign_in(create_staff())
    refused = client.get("/staff/figures?year=abc")
    assert refused.status_code == 422 and "is not a year" in refused.get_data(as_text=True)
    far = client.get("/staff/figures?year=1900").get_data(as_text=True)
    assert "year:" not in far and "We hold figures from" in far


def test_sign_up_offers_the_policies_with_the_bodys_default_chosen(client, app, form_post):
    page = client.get("/signup").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="science_council"', page)
    # One line on whom each serves, the default first as the choice for anyone not sure.
    assert "Engineers Ireland" in page and "Members of Engineers Ireland." in page
    assert page.index("Not sure: Science Council") < page.index("Engineers Ireland")
    assert "at least 35 hours of CPD in each calendar year" not in page
    signed_up = form_post("/signup", {"full_name": "Ada", "email": "ada@example.org", "password": "a long passphrase",
                                      "confirm": "a long passphrase", "discipline": "", "sector": "",
                                      "career_stage": "", "cpd_policy": "rics"})
    assert signed_up.status_code == 302
    assert client.get("/api/v1/me").get_json()["cpd_policy"] == "rics"


def test_the_pdf_profile_follows_the_period_and_policy_chosen(client, create_member, auth_headers, create_record,
                                                               sign_in):
    import io
    from datetime import date

    from pypdf import PdfReader

    member = create_member(full_name="Ada Audit", cpd_policy="science_council")
    create_record(member, title="Last year's course", started_on=date(2025, 4, 2), hours=6,
                  benefit_to_users="Safer designs for clients")
    create_record(member, title="This year's reading", started_on=date(2026, 3, 3), learning="",
                  benefit_to_practice="")
    sign_in(member)
    summary = client.get("/cpd/summary?policy=iet&as_of=2025-12-31").get_data(as_text=True)
    link = re.search(r'href="(/api/v1/me/cpd-profile\.pdf\?[^"]+)"', summary).group(1).replace("&amp;", "&")
    assert "policy=iet" in link and "as_of=2025-12-31" in link
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(client.get(link).data)).pages).split())
    assert "IET (Engineering Council registrants)" in text and "1 Jan 2025 to 31 Dec 2025" in text
    assert "Last year's course" in text and "This year's reading" not in text
    assert f"Member number {member.id}" in text and "I declare that this is a true record" in text

    this_year = client.get("/api/v1/me/cpd-profile.pdf?policy=iet&as_of=2026-12-31", headers=auth_headers(member))
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(this_year.data)).pages).split())
    assert "This year's reading" in text and "No reflection yet" in text


def test_an_oversized_upload_comes_back_to_its_form_with_the_limit(client, app, create_member, create_record,
                                                                     sign_in, monkeypatch):
    import io

    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 2 * 1024 * 1024)
    member = create_member()
    record = create_record(member)
    sign_in(member)
    page = client.get(f"/cpd/{record.id}").get_data(as_text=True)
    response = client.post(f"/cpd/{record.id}/evidence", headers={"Referer": f"http://localhost/cpd/{record.id}"},
                           data={"csrf_token": csrf_token_from(page), "file": (io.BytesIO(b"%PDF-" + b"x" * 8000),
                                                                               "big.pdf")})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/cpd/{record.id}")
    back = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "That file is too large: a file can be at most 2 MB." in back
    api = client.post("/api/v1/me/cpd-records", data=b"x" * 5000, content_type="application/json")
    assert api.status_code == 413 and "at most 2 MB" in api.get_json()["message"]


def test_home_shows_next_bookings_standing_and_shortcuts(client, create_member, create_staff, create_event,
                                                         create_sig, book_seat, sign_in):
    member = create_member()
    for number in range(4):
        book_seat(member, create_event(title=f"Course {number}", starts_in=timedelta(days=3 + number)))
    sign_in(member)
    home = client.get("/").get_data(as_text=True)
    assert "My next bookings" in home and "Course 0" in home and "Course 2" in home and "Course 3" not in home
    assert "All my bookings" in home and "My CPD progress" in home and "Staff work" not in home

    lead = create_member(grade="member")
    sig = create_sig(name="Optics", leads=[lead])
    sign_in(lead)
    home = client.get("/").get_data(as_text=True)
    assert "My SIG room" in home and f"/events/new?sig_id={sig.id}" in home
    assert 'href="/my-sigs"' in home  # in the navigation too

    sign_in(create_staff())
    assert "Staff work" in client.get("/").get_data(as_text=True)


def test_the_sig_list_shows_which_groups_i_am_in(client, create_member, create_sig, sign_in):
    member = create_member()
    create_sig(name="Acoustics", members=[member])
    create_sig(name="Biophysics")
    sign_in(member)
    html = client.get("/sigs").get_data(as_text=True)
    assert re.search(r"Acoustics</a> <span class=\"badge\">You are a member</span>", html)
    assert not re.search(r"Biophysics</a> <span class=\"badge\">", html)
    mine = client.get("/my-sigs").get_data(as_text=True)
    assert "The groups I belong to" in mine and "Acoustics" in mine and "Biophysics" not in mine
