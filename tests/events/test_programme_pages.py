"""Pages of the programme kept rendered (cpd.events.programme_pages): never stale after a booking, a
change to an event or its sessions, or the clock passing a booking window; answered 304 when the
client already has them."""
import time
from datetime import timedelta

from cpd.core.models import utcnow
from cpd.events import programme_pages

LIST = "/api/v1/events?per_page=50"


def listed(client, headers=None):
    response = client.get(LIST, headers=headers or {})
    assert response.status_code == 200
    return response, {event["id"]: event for event in response.get_json()["items"]}


def test_a_kept_page_follows_every_booking_and_change(client, create_event, create_member, create_staff,
                                                      auth_headers):
    event = create_event(capacity=3, kind="conference")
    staff = auth_headers(create_staff())
    first, events = listed(client)
    assert events[event.id]["seats_left"] == 3
    again, _ = listed(client)
    assert again.headers["ETag"] == first.headers["ETag"]  # kept, and the same page

    booker = auth_headers(create_member())
    made = client.post(f"/api/v1/events/{event.id}/bookings", headers=booker).get_json()
    after_booking, events = listed(client)
    assert events[event.id]["seats_left"] == 2 and after_booking.headers["ETag"] != first.headers["ETag"]
    assert client.delete(f"/api/v1/bookings/{made['id']}", headers=booker).status_code in (200, 204)
    assert listed(client)[1][event.id]["seats_left"] == 3

    assert client.patch(f"/api/v1/events/{event.id}", headers=staff, json={"title": "Fracture mechanics"}
                        ).status_code == 200
    assert listed(client)[1][event.id]["title"] == "Fracture mechanics"

    starts = event.starts_at + timedelta(hours=1)
    added = client.post(f"/api/v1/events/{event.id}/sessions", headers=staff, json={
        "title": "Crack growth workshop", "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(minutes=45)).isoformat()})
    assert added.status_code == 201, added.get_json()
    assert [s["title"] for s in listed(client)[1][event.id]["sessions"]] == ["Crack growth workshop"]

    other = create_event(title="Corrosion basics")
    assert listed(client)[0].get_json()["total"] == 2 and other.id in listed(client)[1]


def test_a_kept_page_ends_when_a_booking_window_closes(client, create_event):
    event = create_event(booking_closes_at=utcnow() + timedelta(seconds=1))
    assert listed(client)[1][event.id]["is_open_for_booking"] is True
    time.sleep(1.2)
    assert listed(client)[1][event.id]["is_open_for_booking"] is False


def test_staff_and_the_public_are_kept_apart(client, create_event, create_staff, auth_headers):
    event = create_event(online_url="https://meet.example.org/fracture")
    assert listed(client)[1][event.id]["online_url"] is None
    assert listed(client, auth_headers(create_staff()))[1][event.id]["online_url"] == "https://meet.example.org/fracture"
    assert listed(client)[1][event.id]["online_url"] is None


def test_a_client_holding_the_page_gets_304(client, create_event, create_member, auth_headers):
    event = create_event(capacity=5)
    first, _ = listed(client)
    unchanged = client.get(LIST, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(create_member()))
    changed = client.get(LIST, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.get_json()["items"][0]["seats_left"] == 4


def test_the_kept_pages_are_bounded():
    pages = programme_pages.KeptPages(size=2)
    for digest in ("a", "b", "c"):
        pages.put(digest, digest.encode(), None)
    assert (pages.get("a"), pages.get("b"), pages.get("c")) == (None, b"b", b"c")
    pages.put("d", b"d", utcnow() - timedelta(seconds=1))
    assert pages.get("d") is None
