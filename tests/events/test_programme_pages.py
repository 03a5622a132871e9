"""Pages of the programme and event pages kept rendered (cpd.events.programme_pages): never stale
after a booking, a change to an event, its sessions or its prices, or the clock passing a booking
window; answered 304 when the client already has them; a draft and a joining link never kept."""
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


def page_of(client, event, headers=None):
    response = client.get(f"/api/v1/events/{event.id}", headers=headers or {})
    assert response.status_code == 200, response.get_json()
    return response, response.get_json()


def test_a_kept_event_page_follows_every_booking_and_change(client, create_event, create_member, create_staff,
                                                            auth_headers):
    event = create_event(capacity=3, kind="conference")
    staff = auth_headers(create_staff())
    first, shown = page_of(client, event)
    assert shown["seats_left"] == 3 and shown["prices"] == []
    again, _ = page_of(client, event)
    assert again.headers["ETag"] == first.headers["ETag"] and again.get_data() == first.get_data()

    booker = auth_headers(create_member())
    made = client.post(f"/api/v1/events/{event.id}/bookings", headers=booker).get_json()
    after_booking, shown = page_of(client, event)
    assert (shown["seats_left"], shown["confirmed_count"]) == (2, 1)
    assert after_booking.headers["ETag"] != first.headers["ETag"]
    client.delete(f"/api/v1/bookings/{made['id']}", headers=booker)
    assert page_of(client, event)[1]["seats_left"] == 3

    assert client.patch(f"/api/v1/events/{event.id}", headers=staff, json={"venue": "Room 4, Birmingham"}
                        ).status_code == 200
    assert page_of(client, event)[1]["venue"] == "Room 4, Birmingham"
    starts = event.starts_at + timedelta(hours=1)
    client.post(f"/api/v1/events/{event.id}/sessions", headers=staff, json={
        "title": "Weld inspection clinic", "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(minutes=30)).isoformat()})
    assert [s["title"] for s in page_of(client, event)[1]["sessions"]] == ["Weld inspection clinic"]
    priced = client.put(f"/api/v1/events/{event.id}/prices", headers=staff, json=[
        {"name": "Member", "amount": "95.00", "vat_rate": "0.20", "eligibility": "members"}])
    assert priced.status_code == 200, priced.get_json()
    assert [(p["name"], p["amount"]) for p in page_of(client, event)[1]["prices"]] == [("Member", "95.00")]


def test_a_kept_event_page_ends_when_its_booking_window_opens(client, create_event):
    event = create_event(booking_opens_at=utcnow() + timedelta(seconds=1))
    assert page_of(client, event)[1]["is_open_for_booking"] is False
    time.sleep(1.2)
    assert page_of(client, event)[1]["is_open_for_booking"] is True


def test_an_event_page_answers_304_to_a_client_holding_it(client, create_event, create_member, auth_headers):
    event = create_event(capacity=5)
    first, _ = page_of(client, event)
    unchanged = client.get(f"/api/v1/events/{event.id}", headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(create_member()))
    changed = client.get(f"/api/v1/events/{event.id}", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.get_json()["seats_left"] == 4


def test_the_joining_link_and_drafts_are_never_kept(client, create_event, create_member, create_staff,
                                                    auth_headers):
    event = create_event(online_url="https://meet.example.org/welding")
    booker, stranger = auth_headers(create_member()), auth_headers(create_member())
    assert page_of(client, event)[1]["online_url"] is None  # the public's page, kept
    assert page_of(client, event, stranger)[1]["online_url"] is None
    client.post(f"/api/v1/events/{event.id}/bookings", headers=booker)
    assert page_of(client, event, booker)[1]["online_url"] == "https://meet.example.org/welding"
    assert page_of(client, event)[1]["online_url"] is None
    assert "ETag" not in page_of(client, event, booker)[0].headers  # rendered for the booker each time

    staff = auth_headers(create_staff())
    draft = create_event(status="draft", title="Not yet announced")
    assert client.get(f"/api/v1/events/{draft.id}").status_code == 404
    assert page_of(client, draft, staff)[1]["title"] == "Not yet announced"
    assert client.get(f"/api/v1/events/{draft.id}").status_code == 404
    assert client.patch(f"/api/v1/events/{draft.id}", headers=staff, json={"status": "published"}).status_code == 200
    assert page_of(client, draft)[1]["status"] == "published"


def test_the_kept_pages_are_bounded():
    pages = programme_pages.KeptPages(size=2)
    for digest in ("a", "b", "c"):
        pages.put(digest, digest.encode(), None)
    assert (pages.get("a"), pages.get("b"), pages.get("c")) == (None, b"b", b"c")
    pages.put("d", b"d", utcnow() - timedelta(seconds=1))
    assert pages.get("d") is None
