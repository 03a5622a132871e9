"""The programme and booking as pages, and the staff's event form and register."""
from datetime import timedelta

import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.events.models import Booking, Event
from cpd.extensions import db
from cpd.records.models import CpdRecord
from tests.conftest import csrf_token_from


def test_the_programme_shows_seats_in_the_events_own_timezone(client, create_event):
    create_event(title="Welding basics", capacity=10, timezone="Asia/Singapore")
    html = client.get("/events").get_data(as_text=True)
    assert "Welding basics" in html and "10 of 10 seats left" in html and "(Asia/Singapore)" in html


def test_a_member_joins_the_waiting_list_of_a_full_event_then_leaves_it(client, create_event, create_member,
                                                                       sign_in, book_seat, form_post):
    event = create_event(capacity=1, title="Popular course")
    book_seat(create_member(), event)
    member = create_member()
    sign_in(member)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Join the waiting list" in page and "Full" in page
    joined = form_post(f"/events/{event.id}/book", {}, page_url=f"/events/{event.id}")
    assert joined.status_code == 302
    assert "You are number 1 on the waiting list." in client.get(f"/events/{event.id}").get_data(as_text=True)
    bookings = client.get("/bookings").get_data(as_text=True)
    assert "Popular course" in bookings and "Waiting list, number 1" in bookings and "/calendar/" in bookings

    with client.application.app_context():
        booking_id = db.session.scalar(sa.select(Booking.id).where(Booking.member_id == member.id))
    confirm = client.get(f"/bookings/{booking_id}/cancel").get_data(as_text=True)
    assert "Cancel your place on the waiting list?" in confirm
    client.post(f"/bookings/{booking_id}/cancel", data={"csrf_token": csrf_token_from(confirm)})
    with client.application.app_context():
        assert db.session.get(Booking, booking_id).status == "cancelled"


def test_staff_create_an_event_from_the_form(client, app, create_staff, sign_in, form_post):
    sign_in(create_staff())
    response = form_post("/events/new", {
        "kind": "course", "title": "Thermography", "starts_at": "2031-05-05T09:00", "ends_at": "2031-05-05T17:00",
        "timezone": "Europe/Dublin", "capacity": "8", "cpd_activity_type": "formal_educational", "discipline": "",
        "course_id": "", "sig_id": "", "status": "published"})
    assert response.status_code == 302
    with app.app_context():
        event = db.session.scalar(sa.select(Event))
        assert (event.title, event.capacity, event.local_starts_at.hour, event.timezone) == (
            "Thermography", 8, 9, "Europe/Dublin")
    bad = form_post("/events/new", {"kind": "course", "title": "Backwards", "starts_at": "2031-05-05T09:00",
                                    "ends_at": "2031-05-05T08:00", "timezone": "Nowhere/City",
                                    "cpd_activity_type": "other", "status": "published", "discipline": "",
                                    "course_id": "", "sig_id": ""})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'id="ends_at-error"' in html and 'id="timezone-error"' in html


def test_members_cannot_open_the_event_form_or_register(client, create_event, create_member, sign_in):
    event = create_event()
    sign_in(create_member())
    assert client.get("/events/new").status_code == 403
    assert client.get(f"/events/{event.id}/register").status_code == 403


def test_staff_take_the_register_and_attendees_get_cpd(client, app, create_event, create_member, create_staff,
                                                       create_booking, sign_in):
    event = create_event(starts_at=utcnow() - timedelta(hours=3), hours=2, title="Pressure systems")
    came, stayed_away = create_member(full_name="Came Along"), create_member(full_name="Stayed Away")
    came_id, away_id = create_booking(came, event), create_booking(stayed_away, event)
    sign_in(create_staff())
    page = client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert "Came Along" in page and "Save the register" in page
    saved = client.post(f"/events/{event.id}/register", data={
        "csrf_token": csrf_token_from(page), f"booking_{came_id}": "attended", f"booking_{away_id}": "absent"})
    assert saved.status_code == 302
    with app.app_context():
        records = db.session.execute(sa.select(CpdRecord.member_id, CpdRecord.hours, CpdRecord.verified)).all()
    assert [(r.member_id, float(r.hours), r.verified) for r in records] == [(came.id, 2.0, True)]
