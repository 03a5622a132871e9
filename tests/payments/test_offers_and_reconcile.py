"""A paid event's waiting list: a freed seat is offered, not given; an offer not paid in time passes
to the next person; and `flask payments reconcile` settles a payment whose webhook never came."""
from datetime import timedelta

import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.events import seats
from cpd.events.models import Booking
from cpd.extensions import db
from cpd.notices.models import Notice
from tests.payments.conftest import pay_with_card
from tests.payments.test_paid_booking import _paid_event

INVOICE = {"pay_by": "invoice", "billing": {"name": "Accounts", "address": "1 Road"}}


def _status(app, booking_id):
    with app.app_context():
        return db.session.get(Booking, booking_id).status


def _kinds(app, member):
    with app.app_context():
        return db.session.scalars(sa.select(Notice.kind).where(Notice.member_id == member.id).order_by(Notice.id)).all()


def test_an_offer_passes_down_the_waiting_list_and_reconcile_settles_a_lost_webhook(
        client, app, stripe_settings, localstripe, create_event, create_member, create_staff, auth_headers):
    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers, capacity=1)
    first, second, third = (create_member(grade="member") for _ in range(3))
    heads = {person.id: auth_headers(person) for person in (first, second, third)}
    seat = client.post(f"/api/v1/events/{event.id}/bookings", headers=heads[first.id],
                       json={"price_id": price["Member"], **INVOICE}).get_json()
    waiting = [client.post(f"/api/v1/events/{event.id}/bookings", headers=heads[p.id],
                           json={"price_id": price["Member"]}).get_json() for p in (second, third)]
    assert [w["status"] for w in waiting] == ["waitlisted", "waitlisted"] and "order" not in waiting[0]

    assert client.delete(f"/api/v1/bookings/{seat['id']}", headers=heads[first.id]).status_code == 200
    offered = client.get(f"/api/v1/bookings/{waiting[0]['id']}", headers=heads[second.id]).get_json()
    assert offered["status"] == "offered" and offered["offer_expires_at"]
    assert _kinds(app, second) == ["waitlisted", "offered"]
    # Nobody else takes that offer, and its holder pays through checkout of their own.
    url = f"/api/v1/bookings/{waiting[0]['id']}/checkout"
    assert client.post(url, headers=heads[third.id], json={"price_id": price["Member"]}).status_code == 404
    taken = client.post(url, headers=heads[second.id], json={"price_id": price["Member"]})
    assert taken.status_code == 201, taken.get_json()
    assert (taken.get_json()["status"], taken.get_json()["order"]["status"]) == ("offered", "awaiting_payment")

    # Unpaid when the offer expires: it passes to the next person, and the order is cancelled.
    with app.app_context():
        db.session.get(Booking, waiting[0]["id"]).offer_expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["payments", "reconcile"])
    assert result.exit_code == 0 and "released: 1" in result.output, result.output
    assert (_status(app, waiting[0]["id"]), _status(app, waiting[1]["id"])) == ("cancelled", "offered")
    order = client.get(f"/api/v1/orders/{taken.get_json()['order']['id']}", headers=heads[second.id]).get_json()
    assert order["status"] == "cancelled" and _kinds(app, second)[-1] == "offer_lapsed"

    # The third pays at the provider, and the webhook is lost: reconcile asks, and confirms the seat.
    bought = client.post(f"/api/v1/bookings/{waiting[1]['id']}/checkout", headers=heads[third.id],
                         json={"price_id": price["Member"]}).get_json()
    pay_with_card(localstripe, bought["order"]["provider_reference"])
    result = app.test_cli_runner().invoke(args=["payments", "reconcile"])
    assert "paid: 1" in result.output, result.output
    assert _status(app, waiting[1]["id"]) == "confirmed"
    again = app.test_cli_runner().invoke(args=["payments", "reconcile"])
    assert "paid: 0" in again.output
    with app.app_context():
        assert seats.drifted() == []
