"""Workshops with places of their own inside a conference: chosen by attendees with a confirmed
seat, with the same lock-count-insert rule and waiting list as an event's seats; the register
and CPD credit follow the sessions attended."""
from datetime import timedelta

import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.events.models import ProgrammeSession, SessionBooking
from cpd.extensions import db
from tests.conftest import csrf_token_from
from tests.events.test_concurrency import _at_once


def conference_with_workshop(app, create_event, capacity=2, starts_in=timedelta(days=10)):
    event = create_event(kind="conference", title="Materials Week", capacity=100, starts_in=starts_in, hours=30)
    with app.app_context():
        start = event.starts_at
        talk = ProgrammeSession(event_id=event.id, title="Opening keynote", kind="keynote", starts_at=start,
                                ends_at=start + timedelta(hours=1))
        workshop = ProgrammeSession(event_id=event.id, title="Hands-on fractography", kind="workshop",
                                    capacity=capacity, starts_at=start + timedelta(hours=2),
                                    ends_at=start + timedelta(hours=4))
        next_day = ProgrammeSession(event_id=event.id, title="Failure clinic", kind="workshop", capacity=10,
                                    starts_at=start + timedelta(days=1), ends_at=start + timedelta(days=1, hours=2))
        db.session.add_all([talk, workshop, next_day])
        db.session.commit()
        return event, talk.id, workshop.id, next_day.id


def test_attendees_choose_a_workshop_and_the_rest_wait_in_order(client, app, create_event, create_member,
                                                                 auth_headers, book_seat):
    event, talk, workshop, _ = conference_with_workshop(app, create_event, capacity=2)
    people = [create_member() for _ in range(4)]
    for person in people:
        book_seat(person, event)
    url = f"/api/v1/events/{event.id}/sessions/{workshop}/places"
    answers = [client.post(url, headers=auth_headers(person)).get_json() for person in people]
    assert [(a["status"], a["waitlist_position"]) for a in answers] == [
        ("confirmed", None), ("confirmed", None), ("waitlisted", 1), ("waitlisted", 2)]
    assert client.post(url, headers=auth_headers(people[0])).status_code == 409
    assert client.post(f"/api/v1/events/{event.id}/sessions/{talk}/places",
                       headers=auth_headers(people[0])).status_code == 422  # open to all: nothing to choose
    stranger = client.post(url, headers=auth_headers(create_member()))
    assert stranger.status_code == 422 and "Book a seat at the event first" in stranger.get_json()["message"]

    given_up = client.delete(f"/api/v1/session-places/{answers[0]['id']}", headers=auth_headers(people[0]))
    assert given_up.status_code == 200 and given_up.get_json()["status"] == "cancelled"
    with app.app_context():
        statuses = db.session.execute(sa.select(SessionBooking.member_id, SessionBooking.status)
                                      .order_by(SessionBooking.id)).all()
    assert [s for _, s in statuses] == ["cancelled", "confirmed", "confirmed", "waitlisted"]
    assert client.delete(f"/api/v1/session-places/{answers[1]['id']}",
                         headers=auth_headers(people[3])).status_code == 404


def test_cancelling_the_event_booking_gives_up_its_workshop_places(client, app, create_event, create_member,
                                                                   auth_headers, book_seat):
    event, _, workshop, _ = conference_with_workshop(app, create_event, capacity=1)
    first, second = create_member(), create_member()
    first_booking = book_seat(first, event)
    book_seat(second, event)
    url = f"/api/v1/events/{event.id}/sessions/{workshop}/places"
    client.post(url, headers=auth_headers(first))
    assert client.post(url, headers=auth_headers(second)).get_json()["status"] == "waitlisted"
    assert client.delete(f"/api/v1/bookings/{first_booking}", headers=auth_headers(first)).status_code == 200
    with app.app_context():
        places = dict(db.session.execute(sa.select(SessionBooking.member_id, SessionBooking.status)).all())
    assert places == {first.id: "cancelled", second.id: "confirmed"}


def test_a_rush_for_a_workshop_never_overfills_it(app, create_event, create_member, auth_headers, book_seat):
    event, _, workshop, _ = conference_with_workshop(app, create_event, capacity=3)
    people = [create_member() for _ in range(20)]
    for person in people:
        book_seat(person, event)
    url = f"/api/v1/events/{event.id}/sessions/{workshop}/places"
    headers = [auth_headers(person) for person in people]
    responses = _at_once(app, [lambda c, h=h: c.post(url, headers=h) for h in headers])
    assert all(r.status_code == 201 for r in responses)
    with app.app_context():
        rows = db.session.execute(sa.select(SessionBooking.status, sa.func.count()).group_by(SessionBooking.status)).all()
    assert dict(rows) == {"confirmed": 3, "waitlisted": 17}
    positions = sorted(r.get_json()["waitlist_position"] for r in responses if r.get_json()["status"] == "waitlisted")
    assert positions == list(range(1, 18))


def test_the_conference_page_shows_the_timetable_by_day_and_lets_an_attendee_choose(
        client, app, create_event, create_member, sign_in, book_seat):
    event, _, workshop, _ = conference_with_workshop(app, create_event, capacity=1)
    member = create_member()
    book_seat(member, event)
    sign_in(member)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    day = event.starts_at.astimezone(event.zone)
    assert f"<h3>{day:%A %-d %B %Y}</h3>" in page and f"<h3>{day + timedelta(days=1):%A %-d %B %Y}</h3>" in page
    assert "Open to all" in page and "1 of 1 left" in page and "Choose" in page
    chosen = client.post(f"/events/{event.id}/sessions/{workshop}/choose",
                         data={"csrf_token": csrf_token_from(page)}, follow_redirects=True)
    html = chosen.get_data(as_text=True)
    assert "Your place at the session is booked." in html and "You have a place" in html and "0 of 1 left" in html


def test_the_register_ticks_chosen_workshops_and_credits_the_sessions_attended(
        client, app, create_event, create_member, create_staff, auth_headers, book_seat, sign_in):
    event, talk, workshop, _ = conference_with_workshop(app, create_event, capacity=5)
    member = create_member()
    booking_id = book_seat(member, event)
    client.post(f"/api/v1/events/{event.id}/sessions/{workshop}/places", headers=auth_headers(member))
    with app.app_context():
        from cpd.events.models import Event

        shift = event.starts_at - (utcnow() - timedelta(days=3))  # the conference took place last week
        stored = db.session.get(Event, event.id)
        for item in [stored, *stored.sessions]:
            item.starts_at, item.ends_at = item.starts_at - shift, item.ends_at - shift
        db.session.commit()
    sign_in(create_staff())
    register = client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert f'name="sessions_{booking_id}" value="{workshop}" checked' in register
    assert f'name="sessions_{booking_id}" value="{talk}" checked' not in register
    staff = auth_headers(create_staff())
    client.put(f"/api/v1/events/{event.id}/attendance", headers=staff,
               json={"attended": [booking_id], "sessions": {str(booking_id): [workshop]}})
    records = client.get("/api/v1/me/cpd-records", headers=auth_headers(member)).get_json()["items"]
    assert [r["hours"] for r in records] == [2.0]
    # The page's form: the keynote and the workshop ticked credit both (1 h + 2 h).
    token = csrf_token_from(register)
    saved = client.post(f"/events/{event.id}/register", data={
        "csrf_token": token, f"booking_{booking_id}": "attended", f"sessions_{booking_id}": [str(talk), str(workshop)]})
    assert saved.status_code == 302
    records = client.get("/api/v1/me/cpd-records", headers=auth_headers(member)).get_json()["items"]
    assert [r["hours"] for r in records] == [3.0]
    # A mark that is neither, or a session of no programme here, is refused beside the register; nothing moves.
    for bad in ({f"booking_{booking_id}": "maybe"},
                {f"booking_{booking_id}": "attended", f"sessions_{booking_id}": str(2**31 - 2)}):
        refused = client.post(f"/events/{event.id}/register", data={"csrf_token": token, **bad})
        assert refused.status_code == 422 and "The register was not saved" in refused.get_data(as_text=True)
    records = client.get("/api/v1/me/cpd-records", headers=auth_headers(member)).get_json()["items"]
    assert [r["hours"] for r in records] == [3.0]


