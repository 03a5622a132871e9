"""Each event keeps its seat figures on its row, moved only by the transaction that changes a
booking under the event's lock; `flask events recount --check` proves them equal to a count of
the bookings: after every kind of change, after a rush, and after a worker killed mid-request."""
import http.client
import json
import os
import signal
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from cpd.events import seats
from cpd.events.models import Booking, Event
from cpd.extensions import db


def _figures(app, event_id):
    with app.app_context():
        event = db.session.get(Event, event_id)
        counted = dict(db.session.execute(sa.select(Booking.status, sa.func.count())
                                          .where(Booking.event_id == event_id).group_by(Booking.status)).all())
        return (event.confirmed_count, event.waitlist_count), (counted.get("confirmed", 0),
                                                                counted.get("waitlisted", 0))


def _check(app):
    return app.test_cli_runner().invoke(args=["events", "recount", "--check"])


def test_every_change_to_a_booking_moves_the_figures_it_should(client, app, create_event, create_member,
                                                                create_staff, auth_headers):
    event = create_event(capacity=2)
    people = [auth_headers(create_member()) for _ in range(4)]
    staff = auth_headers(create_staff())
    booked = [client.post(f"/api/v1/events/{event.id}/bookings", headers=h).get_json() for h in people]
    assert [b["status"] for b in booked] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert _figures(app, event.id) == ((2, 2), (2, 2))

    # A confirmed booker cancels: the first waiting takes the seat.
    assert client.delete(f"/api/v1/bookings/{booked[0]['id']}", headers=people[0]).status_code == 200
    assert _figures(app, event.id) == ((2, 1), (2, 1))
    # Someone waiting leaves the list.
    assert client.delete(f"/api/v1/bookings/{booked[3]['id']}", headers=people[3]).status_code == 200
    assert _figures(app, event.id) == ((2, 0), (2, 0))
    # More seats: nobody is waiting, so nothing moves; then the event is cancelled.
    assert client.patch(f"/api/v1/events/{event.id}", headers=staff, json={"capacity": 5}).status_code == 200
    page = client.get(f"/api/v1/events/{event.id}").get_json()
    assert (page["confirmed_count"], page["waitlist_count"], page["seats_left"]) == (2, 0, 3)
    assert client.post(f"/api/v1/events/{event.id}/cancel", headers=staff).status_code == 200
    assert _figures(app, event.id) == ((0, 0), (0, 0))
    assert _check(app).exit_code == 0


def test_booking_leaves_the_event_itself_unchanged(client, app, create_event, create_member, auth_headers):
    event = create_event(capacity=1)
    with app.app_context():
        changed = db.session.scalar(sa.select(Event.updated_at).where(Event.id == event.id))
    headers = auth_headers(create_member())
    booking = client.post(f"/api/v1/events/{event.id}/bookings", headers=headers).get_json()
    client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(create_member()))
    client.delete(f"/api/v1/bookings/{booking['id']}", headers=headers)  # the one waiting is seated
    with app.app_context():
        assert db.session.scalar(sa.select(Event.updated_at).where(Event.id == event.id)) == changed
    assert _figures(app, event.id) == ((1, 0), (1, 0))


def test_a_larger_capacity_seats_the_waiting_list_and_the_figures_follow(client, app, create_event, create_member,
                                                                         create_staff, auth_headers):
    event = create_event(capacity=1)
    for _ in range(3):
        client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(create_member()))
    assert _figures(app, event.id) == ((1, 2), (1, 2))
    staff = auth_headers(create_staff())
    assert client.patch(f"/api/v1/events/{event.id}", headers=staff, json={"capacity": 2}).status_code == 200
    assert _figures(app, event.id) == ((2, 1), (2, 1))
    listed = client.get("/api/v1/events").get_json()["items"]
    assert [(e["confirmed_count"], e["waitlist_count"]) for e in listed if e["id"] == event.id] == [(2, 1)]


def test_the_check_finds_figures_that_drifted_and_recount_mends_them(app, create_event, create_member,
                                                                     create_booking):
    event = create_event(capacity=10)
    for _ in range(3):
        create_booking(create_member(), event)
    assert _check(app).exit_code == 0
    with app.app_context():
        db.session.execute(sa.update(Event).where(Event.id == event.id).values(confirmed_count=7))
        db.session.commit()
    found = _check(app)
    assert found.exit_code == 1
    assert f"event {event.id}: kept 7 confirmed, 0 waiting; counted 3 confirmed, 0 waiting" in found.output
    mended = app.test_cli_runner().invoke(args=["events", "recount"])
    assert mended.exit_code == 0 and "Mended 1 event." in mended.output
    assert _figures(app, event.id) == ((3, 0), (3, 0))
    assert _check(app).exit_code == 0


def _children_of(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _call(method, url, headers):
    request = urllib.request.Request(url, data=b"" if method != "GET" else None, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}
    except (OSError, http.client.HTTPException):  # the worker serving it was killed
        return None, {}


def test_workers_killed_mid_request_leave_no_drift(app, database_url, serve_with_gunicorn, create_event,
                                                   create_member, auth_headers):
    base = serve_with_gunicorn(database_url, workers=3)
    event = create_event(capacity=3)
    people = [auth_headers(create_member()) for _ in range(12)]
    stop = time.monotonic() + 4

    def book_and_cancel(headers):
        answered = 0
        while time.monotonic() < stop:
            status, booking = _call("POST", f"{base}/api/v1/events/{event.id}/bookings", headers)
            if status == 201:
                _call("DELETE", f"{base}/api/v1/bookings/{booking['id']}", headers)
            answered += status is not None
        return answered

    def kill_workers():
        master = serve_with_gunicorn.processes[-1].pid
        killed = 0
        for _ in range(3):
            time.sleep(1)
            for worker in _children_of(master)[:2]:
                os.kill(worker, signal.SIGKILL)
                killed += 1
        return killed

    with ThreadPoolExecutor(max_workers=len(people) + 1) as pool:
        killer = pool.submit(kill_workers)
        answered = list(pool.map(book_and_cancel, people))
    assert killer.result() >= 3 and sum(answered) >= len(people)  # killed while serving
    with app.app_context():
        assert seats.drifted() == []
        confirmed = db.session.scalar(sa.select(Event.confirmed_count).where(Event.id == event.id))
    assert confirmed <= 3
    assert _check(app).exit_code == 0
