"""A rush: many members book one small event at once, each request on its own thread and
database connection, through real HTTP handling. No overbooking, a waiting list without gaps."""
import threading
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from cpd.events.models import Booking
from cpd.extensions import db

RUSH = 50
SEATS = 5


def _at_once(app, calls):
    """Run each call on its own thread, all released together; returns their results."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        client = app.test_client()
        barrier.wait()
        return call(client)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _statuses(app, event_id):
    with app.app_context():
        rows = db.session.execute(
            sa.select(Booking.id, Booking.status).where(Booking.event_id == event_id).order_by(Booking.id)
        ).all()
    return rows


def test_a_rush_of_fifty_fills_five_seats_and_queues_the_rest_in_order(app, create_event, create_member, auth_headers):
    event = create_event(capacity=SEATS)
    headers = [auth_headers(create_member()) for _ in range(RUSH)]
    url = f"/api/v1/events/{event.id}/bookings"
    responses = _at_once(app, [lambda c, h=h: c.post(url, headers=h) for h in headers])

    assert [r.status_code for r in responses] == [201] * RUSH
    bodies = [r.get_json() for r in responses]
    confirmed = [b for b in bodies if b["status"] == "confirmed"]
    waiting = sorted(b["waitlist_position"] for b in bodies if b["status"] == "waitlisted")
    assert len(confirmed) == SEATS
    assert waiting == list(range(1, RUSH - SEATS + 1))

    # Positions follow the order the bookings were made in.
    rows = _statuses(app, event.id)
    assert [status for _, status in rows[:SEATS]] == ["confirmed"] * SEATS
    assert {status for _, status in rows[SEATS:]} == {"waitlisted"}

    # Every confirmed seat is cancelled at once: exactly as many are promoted, in order.
    holders = {b["id"]: headers[bodies.index(b)] for b in confirmed}
    cancels = _at_once(app, [lambda c, i=i, h=h: c.delete(f"/api/v1/bookings/{i}", headers=h)
                             for i, h in holders.items()])
    assert [r.status_code for r in cancels] == [200] * SEATS
    rows = [row for row in _statuses(app, event.id) if row[1] != "cancelled"]
    assert [status for _, status in rows[:SEATS]] == ["confirmed"] * SEATS
    assert len([1 for _, s in rows if s == "waitlisted"]) == RUSH - 2 * SEATS
    figures = app.test_client().get(f"/api/v1/events/{event.id}").get_json()
    assert (figures["confirmed_count"], figures["waitlist_count"]) == (SEATS, RUSH - 2 * SEATS)
    positions = sorted(
        app.test_client().get(f"/api/v1/bookings/{booking_id}", headers=headers[[b["id"] for b in bodies].index(booking_id)])
        .get_json()["waitlist_position"] for booking_id, status in rows if status == "waitlisted")
    assert positions == list(range(1, RUSH - 2 * SEATS + 1))


def test_one_member_clicking_many_times_at_once_gets_one_booking(app, create_event, create_member, auth_headers):
    event = create_event(capacity=3)
    headers = auth_headers(create_member())
    url = f"/api/v1/events/{event.id}/bookings"
    responses = _at_once(app, [lambda c: c.post(url, headers=headers) for _ in range(10)])
    assert sorted(r.status_code for r in responses) == [201] + [409] * 9
    assert len(_statuses(app, event.id)) == 1
