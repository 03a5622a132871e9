"""Events and bookings over the API: the contract's routes, bad input refused, nothing half-done."""
from datetime import timedelta

import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.events.models import Booking, Event
from cpd.notices.models import Notice
from cpd.events import programme_pages
from cpd.extensions import db
from cpd.records.models import CpdRecord

NEW_EVENT = {
    "kind": "course",
    "title": "Vibration analysis",
    "starts_at": "2031-03-10T09:30:00",
    "ends_at": "2031-03-10T16:30:00",
    "timezone": "Europe/London",
    "venue": "Savoy Place, London",
    "capacity": 12,
    "cpd_hours": 6,
    "discipline": "engineering",
}


def test_staff_create_an_event_in_its_own_timezone(client, create_staff, create_member, auth_headers):
    staff = auth_headers(create_staff())
    response = client.post("/api/v1/events", headers=staff,
                           json={**NEW_EVENT, "starts_at": "2031-07-01T10:00:00", "ends_at": "2031-07-01T12:00:00+01:00", "cpd_hours": 2,
                                 "timezone": "Europe/London"})
    assert response.status_code == 201
    event = response.get_json()
    assert (event["starts_at"], event["ends_at"]) == ("2031-07-01T10:00:00+01:00", "2031-07-01T12:00:00+01:00")
    assert (event["capacity"], event["confirmed_count"], event["waitlist_count"], event["seats_left"]) == (12, 0, 0, 12)
    assert event["status"] == "published"
    assert client.post("/api/v1/events", headers=auth_headers(create_member()), json=NEW_EVENT).status_code == 403
    assert client.post("/api/v1/events", json=NEW_EVENT).status_code == 401


def test_bad_events_are_422_and_nothing_is_created(client, app, create_staff, auth_headers):
    staff = auth_headers(create_staff())
    for change, field in (
        ({"ends_at": "2031-03-10T08:00:00"}, "ends_at"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"capacity": -1}, "capacity"),
        ({"kind": "party"}, "kind"),
        ({"booking_opens_at": "2031-03-11T09:00:00"}, "booking_opens_at"),
        ({"course_id": 999}, "course_id"),
        ({"kind": "sig_session"}, "sig_id"),
    ):
        response = client.post("/api/v1/events", headers=staff, json={**NEW_EVENT, **change})
        assert response.status_code == 422, change
        assert field in response.get_json()["errors"], (change, response.get_json())
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_the_programme_lists_published_events_with_filters(client, create_event, create_staff, auth_headers):
    create_event(title="Welding basics", kind="course", discipline="engineering")
    create_event(title="Genomics day", kind="conference", discipline="science", starts_in=timedelta(days=40))
    create_event(title="Secret draft", status="draft")
    everything = client.get("/api/v1/events").get_json()
    assert [e["title"] for e in everything["items"]] == ["Welding basics", "Genomics day"]
    assert client.get("/api/v1/events?kind=conference").get_json()["total"] == 1
    assert client.get("/api/v1/events?discipline=engineering").get_json()["items"][0]["title"] == "Welding basics"
    assert client.get("/api/v1/events?q=GENOM").get_json()["total"] == 1
    soon = (utcnow() + timedelta(days=20)).date().isoformat()
    assert [e["title"] for e in client.get(f"/api/v1/events?to={soon}").get_json()["items"]] == ["Welding basics"]
    assert [e["title"] for e in client.get(f"/api/v1/events?from={soon}").get_json()["items"]] == ["Genomics day"]
    bad = client.get("/api/v1/events?from=2031-02-01&to=2031-01-01")
    assert bad.status_code == 422 and "from" in bad.get_json()["errors"]
    assert client.get("/api/v1/events?kind=party").status_code == 422
    drafts = client.get("/api/v1/events?status=draft", headers=auth_headers(create_staff())).get_json()
    assert [e["title"] for e in drafts["items"]] == ["Secret draft"]


def test_a_draft_is_hidden_from_everyone_but_staff(client, create_event, create_member, create_staff, auth_headers):
    draft = create_event(status="draft")
    assert client.get(f"/api/v1/events/{draft.id}").status_code == 404
    assert client.get(f"/api/v1/events/{draft.id}", headers=auth_headers(create_member())).status_code == 404
    assert client.get(f"/api/v1/events/{draft.id}", headers=auth_headers(create_staff())).status_code == 200
    assert client.post(f"/api/v1/events/{draft.id}/bookings", headers=auth_headers(create_member())).status_code == 404


def test_booking_confirms_then_waitlists_and_twice_is_409(client, create_event, create_member, auth_headers):
    event = create_event(capacity=1)
    first, second, third = (auth_headers(create_member()) for _ in range(3))
    booked = client.post(f"/api/v1/events/{event.id}/bookings", headers=first)
    assert booked.status_code == 201
    assert booked.get_json() | {"id": 0, "member_id": 0, "created_at": "", "event": {}} == {
        "id": 0, "event_id": event.id, "member_id": 0, "status": "confirmed", "waitlist_position": None,
        "attended": None, "created_at": "", "cancelled_at": None, "event": {}}
    assert client.post(f"/api/v1/events/{event.id}/bookings", headers=first).status_code == 409
    waiting = [client.post(f"/api/v1/events/{event.id}/bookings", headers=h).get_json() for h in (second, third)]
    assert [(b["status"], b["waitlist_position"]) for b in waiting] == [("waitlisted", 1), ("waitlisted", 2)]
    figures = client.get(f"/api/v1/events/{event.id}").get_json()
    assert (figures["confirmed_count"], figures["waitlist_count"], figures["seats_left"]) == (1, 2, 0)


def test_booking_a_closed_event_is_422_with_the_reason(client, app, create_event, create_member, auth_headers):
    headers = auth_headers(create_member())
    now = utcnow()
    cases = {
        "cancelled": create_event(status="cancelled"),
        "already started": create_event(starts_at=now - timedelta(hours=1)),
        "opens on": create_event(booking_opens_at=now + timedelta(days=2)),
        "closed on": create_event(booking_closes_at=now - timedelta(hours=1)),
        "members of the body only": create_event(members_only=True),
    }
    for reason, event in cases.items():
        response = client.post(f"/api/v1/events/{event.id}/bookings", headers=headers)
        assert response.status_code == 422, reason
        assert reason in response.get_json()["message"], response.get_json()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 0


def test_cancelling_gives_the_seat_to_the_first_on_the_waiting_list(client, app, create_event, create_member,
                                                                    auth_headers):
    event = create_event(capacity=1)
    holder, first_waiting, second_waiting = (create_member() for _ in range(3))
    ids = [client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(m)).get_json()["id"]
           for m in (holder, first_waiting, second_waiting)]
    cancelled = client.delete(f"/api/v1/bookings/{ids[0]}", headers=auth_headers(holder))
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    mine = client.get("/api/v1/me/bookings", headers=auth_headers(first_waiting)).get_json()["items"]
    assert [(b["status"], b["waitlist_position"]) for b in mine] == [("confirmed", None)]
    theirs = client.get(f"/api/v1/bookings/{ids[2]}", headers=auth_headers(second_waiting)).get_json()
    assert (theirs["status"], theirs["waitlist_position"]) == ("waitlisted", 1)
    assert client.delete(f"/api/v1/bookings/{ids[0]}", headers=auth_headers(holder)).status_code == 409
    assert client.delete(f"/api/v1/bookings/{ids[2]}", headers=auth_headers(holder)).status_code == 404
    with app.app_context():
        kinds = db.session.scalars(sa.select(Notice.kind).order_by(Notice.id)).all()
    assert kinds == ["booking_confirmed", "waitlisted", "waitlisted", "promoted"]


def test_no_member_cancellation_after_the_deadline(client, create_event, create_member, create_staff, auth_headers):
    event = create_event(cancellation_deadline=utcnow() + timedelta(seconds=2))
    member = create_member()
    booking_id = client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(member)).get_json()["id"]
    from cpd.extensions import db as _db
    with client.application.app_context():
        _db.session.execute(sa.update(Event).values(cancellation_deadline=utcnow() - timedelta(minutes=1)))
        _db.session.commit()
    late = client.delete(f"/api/v1/bookings/{booking_id}", headers=auth_headers(member))
    assert late.status_code == 422 and "Cancellations closed" in late.get_json()["message"]
    assert client.delete(f"/api/v1/bookings/{booking_id}", headers=auth_headers(create_staff())).status_code == 200


def test_capacity_cannot_drop_below_the_booked_and_a_rise_promotes(client, create_event, create_member,
                                                                   create_staff, auth_headers):
    event = create_event(capacity=2)
    for _ in range(4):
        client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(create_member()))
    staff = auth_headers(create_staff())
    lowered = client.patch(f"/api/v1/events/{event.id}", headers=staff, json={"capacity": 1})
    assert lowered.status_code == 422
    assert lowered.get_json()["errors"]["capacity"] == ["2 people are booked: capacity cannot go below that."]
    raised = client.patch(f"/api/v1/events/{event.id}", headers=staff, json={"capacity": 3}).get_json()
    assert (raised["confirmed_count"], raised["waitlist_count"], raised["seats_left"]) == (3, 1, 0)
    unlimited = client.patch(f"/api/v1/events/{event.id}", headers=staff, json={"capacity": None}).get_json()
    assert (unlimited["confirmed_count"], unlimited["waitlist_count"], unlimited["seats_left"]) == (4, 0, None)


def test_cancelling_an_event_cancels_its_bookings_and_tells_the_bookers(client, app, create_event, create_member,
                                                                        create_staff, auth_headers):
    event = create_event(capacity=1)
    for _ in range(2):
        client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(create_member()))
    member = create_member()
    assert client.post(f"/api/v1/events/{event.id}/cancel", headers=auth_headers(member)).status_code == 403
    response = client.post(f"/api/v1/events/{event.id}/cancel", headers=auth_headers(create_staff()))
    assert response.status_code == 200
    assert (response.get_json()["status"], response.get_json()["confirmed_count"]) == ("cancelled", 0)
    with app.app_context():
        statuses = set(db.session.scalars(sa.select(Booking.status)))
        told = db.session.scalar(sa.select(sa.func.count()).where(Notice.kind == "event_cancelled"))
    assert (statuses, told) == ({"cancelled"}, 2)
    assert client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(member)).status_code == 422


def test_attendance_credits_one_verified_record_however_often_it_is_sent(client, app, create_event, create_member,
                                                                         create_staff, auth_headers, create_booking):
    event = create_event(starts_at=utcnow() - timedelta(hours=4), hours=3, cpd_hours=2.5, title="Pump maintenance")
    attendee, absentee = create_member(), create_member()
    attended_id, absent_id = create_booking(attendee, event), create_booking(absentee, event)
    staff = auth_headers(create_staff())
    url = f"/api/v1/events/{event.id}/attendance"
    register = {"attended": [attended_id], "absent": [absent_id]}
    for _ in range(2):
        response = client.put(url, headers=staff, json=register)
        assert response.status_code == 200
    assert {(b["id"], b["attended"]) for b in response.get_json()["items"]} == {(attended_id, True), (absent_id, False)}
    records = client.get("/api/v1/me/cpd-records", headers=auth_headers(attendee)).get_json()["items"]
    assert [(r["title"], r["hours"], r["verified"], r["source_event_id"]) for r in records] == [
        ("Pump maintenance", 2.5, True, event.id)]
    assert client.get("/api/v1/me/cpd-records", headers=auth_headers(absentee)).get_json()["total"] == 0

    client.put(url, headers=staff, json={"absent": [attended_id]})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CpdRecord)) == 0
    member_try = client.put(url, headers=auth_headers(attendee), json=register)
    assert member_try.status_code == 403
    both = client.put(url, headers=staff, json={"attended": [attended_id], "absent": [attended_id]})
    assert both.status_code == 422
    assert client.put(url, headers=staff, json={"attended": [99999]}).status_code == 422


def test_attendance_at_an_event_crediting_no_cpd_hours_is_recorded_without_a_cpd_record(
        client, app, create_event, create_member, create_staff, auth_headers, create_booking):
    # Outreach at a school: attendance counts for reach and engagement, and credits no CPD.
    event = create_event(kind="outreach", starts_at=utcnow() - timedelta(hours=4), hours=2, cpd_hours=0,
                         title="Science fair stand")
    attendee = create_member()
    booking_id = create_booking(attendee, event)
    marked = client.put(f"/api/v1/events/{event.id}/attendance", headers=auth_headers(create_staff()),
                        json={"attended": [booking_id]})
    assert marked.status_code == 200 and marked.get_json()["items"][0]["attended"] is True
    assert client.get("/api/v1/me/cpd-records", headers=auth_headers(attendee)).get_json()["total"] == 0


def test_a_course_attended_is_formal_learning(client, create_event, create_member, create_staff, auth_headers,
                                              create_booking):
    event = create_event(kind="conference", starts_at=utcnow() - timedelta(hours=4), hours=3,
                         cpd_activity_type="professional_activity", title="Annual conference")
    attendee = create_member()
    client.put(f"/api/v1/events/{event.id}/attendance", headers=auth_headers(create_staff()),
               json={"attended": [create_booking(attendee, event)]})
    records = client.get("/api/v1/me/cpd-records", headers=auth_headers(attendee)).get_json()["items"]
    assert [(r["activity_type"], r["formal"]) for r in records] == [("professional_activity", True)]


def test_the_register_is_not_taken_before_the_event(client, create_event, create_member, create_staff,
                                                    auth_headers, book_seat):
    event = create_event()
    booking_id = book_seat(create_member(), event)
    response = client.put(f"/api/v1/events/{event.id}/attendance", headers=auth_headers(create_staff()),
                          json={"attended": [booking_id]})
    assert response.status_code == 422


def test_a_conference_credits_the_hours_of_the_sessions_attended(client, create_event, create_member, create_staff,
                                                                 auth_headers, create_booking):
    start = (utcnow() - timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    event = create_event(kind="conference", starts_at=start, hours=8, title="Materials summit")
    staff = auth_headers(create_staff())
    talks = []
    for offset, length in ((0, 1.5), (2, 2)):
        begin = start + timedelta(hours=offset)
        response = client.post(f"/api/v1/events/{event.id}/sessions", headers=staff, json={
            "title": f"Talk at {offset}", "kind": "talk", "starts_at": begin.isoformat(),
            "ends_at": (begin + timedelta(hours=length)).isoformat()})
        assert response.status_code == 201
        talks.append(response.get_json()["id"])
    member = create_member()
    booking_id = create_booking(member, event)
    marked = client.put(f"/api/v1/events/{event.id}/attendance", headers=staff,
                        json={"attended": [booking_id], "sessions": {str(booking_id): talks}})
    assert marked.status_code == 200
    assert marked.get_json()["items"][0]["session_ids"] == sorted(talks)
    records = client.get("/api/v1/me/cpd-records", headers=auth_headers(member)).get_json()["items"]
    assert records[0]["hours"] == 3.5


def test_the_register_csv_and_the_bookings_list_are_for_staff(client, create_event, create_member, create_staff,
                                                              auth_headers, book_seat):
    event = create_event(capacity=1)
    member = create_member(full_name="=cmd|' /C calc'!A0")
    book_seat(member, event)
    book_seat(create_member(full_name="Second Person"), event)
    staff = auth_headers(create_staff())
    listing = client.get(f"/api/v1/events/{event.id}/bookings", headers=staff).get_json()
    assert [(b["status"], b["waitlist_position"]) for b in listing["items"]] == [("confirmed", None), ("waitlisted", 1)]
    csv_text = client.get(f"/api/v1/events/{event.id}/attendees.csv", headers=staff).get_data(as_text=True)
    assert "'=cmd|' /C calc'!A0" in csv_text and "Second Person" in csv_text
    assert client.get(f"/api/v1/events/{event.id}/attendees.csv", headers=auth_headers(member)).status_code == 403


def test_event_calendar_is_rfc5545_with_uid_dtstamp_and_timezone(client, create_event):
    event = create_event(title="Night shift safety", timezone="America/New_York")
    response = client.get(f"/api/v1/events/{event.id}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    text = response.get_data(as_text=True)
    for needle in ("BEGIN:VCALENDAR", "BEGIN:VEVENT", f"UID:event-{event.id}@", "DTSTAMP:",
                   "DTSTART;TZID=America/New_York:", "DTEND;TZID=America/New_York:", "BEGIN:VTIMEZONE",
                   "SUMMARY:Night shift safety"):
        assert needle in text, needle
    assert text.count("BEGIN:VEVENT") == 1


def test_the_private_calendar_feed_lists_bookings_and_can_be_reset(client, create_event, create_member, auth_headers,
                                                                   book_seat):
    member = create_member()
    book_seat(member, create_event(title="Booked one"))
    create_event(title="Not booked")
    headers = auth_headers(member)
    url = client.get("/api/v1/me/calendar-feed", headers=headers).get_json()["url"]
    assert url.startswith("https://cpd.example.org/api/v1/calendar/")  # PUBLIC_BASE_URL, not the Host header
    path = url.split("cpd.example.org", 1)[1]
    feed = client.get(path).get_data(as_text=True)
    assert "Booked one" in feed and "Not booked" not in feed
    new_url = client.post("/api/v1/me/calendar-feed", headers=headers).get_json()["url"]
    assert new_url != url
    assert client.get(path).status_code == 404


def test_courses_catalogue_with_runs(client, create_staff, create_member, auth_headers):
    staff = auth_headers(create_staff())
    course = client.post("/api/v1/courses", headers=staff, json={"title": "NDT level 1", "cpd_hours": 14,
                                                                 "discipline": "engineering"})
    assert course.status_code == 201
    course_id = course.get_json()["id"]
    run = client.post("/api/v1/events", headers=staff, json={**NEW_EVENT, "course_id": course_id, "cpd_hours": None})
    assert run.status_code == 201 and run.get_json()["cpd_hours"] == 14.0
    assert client.get(f"/api/v1/courses/{course_id}").get_json()["run_ids"] == [run.get_json()["id"]]
    assert client.get(f"/api/v1/events?course_id={course_id}").get_json()["total"] == 1
    assert client.post("/api/v1/courses", headers=auth_headers(create_member()), json={"title": "x"}).status_code == 403
    assert client.get("/api/v1/courses/999").status_code == 404


def test_the_programme_of_fifty_events_costs_at_most_four_queries(client, app, create_member, book_seat,
                                                                  count_queries, auth_headers):
    start = utcnow() + timedelta(days=3)
    with app.app_context():
        db.session.execute(sa.insert(Event), [
            {"kind": "course", "title": f"Event {n}", "starts_at": start + timedelta(hours=n),
             "ends_at": start + timedelta(hours=n + 2), "timezone": "Europe/London", "capacity": 3,
             "status": "published", "cpd_activity_type": "formal_educational", "members_only": False,
             "description": "", "venue": "", "online_url": ""} for n in range(80)])
        db.session.commit()
        first_ids = db.session.scalars(sa.select(Event.id).order_by(Event.starts_at).limit(5)).all()
    members = [create_member() for _ in range(5)]
    for event_id in first_ids:
        for member in members:
            book_seat(member, Event(id=event_id))
    signed_in = auth_headers(members[0])
    programme_pages.kept_pages.clear()
    with count_queries() as statements:
        response = client.get("/api/v1/events?per_page=50", headers=signed_in)
    body = response.get_json()
    assert len(body["items"]) == 50 and body["total"] == 80
    assert [(e["confirmed_count"], e["waitlist_count"], e["seats_left"]) for e in body["items"][:2]] == [(3, 2, 0)] * 2
    assert body["items"][10]["confirmed_count"] == 0
    # The token, the count, the page's ids and revisions; then its rows and their sessions.
    assert len(statements) <= 5, statements
    # The same page again is kept: the token, the count and the page's revisions only.
    with count_queries() as statements:
        again = client.get("/api/v1/events?per_page=50", headers=signed_in)
    assert again.get_data() == response.get_data() and len(statements) <= 3, statements


def test_the_fast_event_document_is_exactly_what_the_schema_documents(app, create_event, create_member, book_seat):
    from cpd.events import catalogue
    from cpd.events.models import ProgrammeSession
    from cpd.events.schemas import EventSchema, event_document

    event = create_event(capacity=1, cpd_hours=2.5, timezone="Asia/Kolkata", booking_opens_at=utcnow(),
                         cancellation_deadline=utcnow() + timedelta(days=1), discipline="digital")
    book_seat(create_member(), event)
    book_seat(create_member(), event)
    unlimited = create_event(capacity=None, cpd_hours=None)
    conference = create_event(kind="conference", timezone="America/Chicago")
    with app.app_context():
        start = db.session.get(Event, conference.id).starts_at
        db.session.add(ProgrammeSession(event_id=conference.id, title="Keynote", kind="keynote", speaker="Dr Who",
                                        starts_at=start, ends_at=start + timedelta(minutes=45), capacity=30))
        db.session.commit()
        for event_id in (event.id, unlimited.id, conference.id):
            loaded = catalogue.get_event_for(None, event_id)
            assert event_document(loaded) == EventSchema().dump(loaded)


def test_one_set_of_limits_holds_for_a_programme_session_however_it_comes(client, create_event, create_staff,
                                                                        auth_headers):
    """The review found `True` taken as a workshop's capacity: the limits are written once (cpd.core.limits)
    and the service holds every way in to them."""
    from datetime import timedelta

    import pytest

    from cpd.core.errors import Invalid
    from cpd.core.models import utcnow
    from cpd.events import catalogue

    start = utcnow() + timedelta(days=30)
    conference = create_event(kind="conference", starts_at=start, ends_at=start + timedelta(hours=8))
    staff = auth_headers(create_staff())
    times = {"starts_at": (start + timedelta(hours=1)).isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()}
    for bad in ({"capacity": True}, {"capacity": -1}, {"title": "x" * 201}, {"speaker": "y" * 201}):
        refused = client.post(f"/api/v1/events/{conference.id}/sessions", headers=staff,
                              json={"title": "Welds", **times, **bad})
        assert refused.status_code == 422 and set(bad) <= set(refused.get_json()["errors"]), bad
    with client.application.app_context():
        import sqlalchemy as sa

        from cpd.events.models import Event
        from cpd.extensions import db
        from cpd.members.models import Member

        actor = db.session.scalar(sa.select(Member).where(Member.role == "staff"))
        event = db.session.get(Event, conference.id)
        with pytest.raises(Invalid) as refused:  # the service itself, as a page or the demo would call it
            catalogue.add_session(actor, event, {"title": "Welds", "capacity": True, "starts_at": start + timedelta(hours=1),
                                                 "ends_at": start + timedelta(hours=2)})
        assert "capacity" in refused.value.errors
