"""Under a rush: a paid event never holds more seats than it has, and invoices taken at once are
numbered 1, 2, 3... with no gap and no repeat; a document whose transaction rolls back gives its
number back."""
import re

import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.events import seats
from cpd.extensions import db
from cpd.payments import documents
from cpd.payments.models import Document, Order
from tests.events.test_concurrency import _at_once
from tests.payments.test_paid_booking import _paid_event

YEAR = utcnow().year


def test_thirty_card_buyers_hold_five_seats_and_the_rest_wait(client, app, stripe_settings, create_event,
                                                             create_member, create_staff, auth_headers):
    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers, capacity=5)
    headers = [auth_headers(create_member(grade="member")) for _ in range(30)]
    url = f"/api/v1/events/{event.id}/bookings"
    answers = _at_once(app, [lambda c, h=h: c.post(url, headers=h, json={"price_id": price["Member"]})
                             for h in headers])
    assert [a.status_code for a in answers] == [201] * 30
    statuses = sorted(a.get_json()["status"] for a in answers)
    assert statuses == ["held"] * 5 + ["waitlisted"] * 25
    held_orders = [a.get_json()["order"] for a in answers if a.get_json()["status"] == "held"]
    assert len({o["provider_reference"] for o in held_orders}) == 5
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Order)) == 5
        assert seats.drifted() == []
    assert client.get(f"/api/v1/events/{event.id}").get_json()["seats_left"] == 0


def test_invoices_taken_at_once_are_numbered_without_gaps_or_repeats(client, app, create_event, create_member,
                                                                    create_staff, auth_headers):
    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers, capacity=50)
    headers = [auth_headers(create_member()) for _ in range(20)]
    body = {"price_id": price["Non-member"], "pay_by": "invoice", "billing": {"name": "Accounts", "address": "1 Rd"}}
    url = f"/api/v1/events/{event.id}/bookings"
    answers = _at_once(app, [lambda c, h=h: c.post(url, headers=h, json=body) for h in headers])
    assert [a.status_code for a in answers] == [201] * 20
    numbers = sorted(a.get_json()["order"]["invoice_number"] for a in answers)
    assert numbers == [f"INV-{YEAR}-{n:06d}" for n in range(1, 21)]


def test_a_number_taken_by_a_transaction_that_rolls_back_is_given_again(client, app, create_event, create_member,
                                                                       create_staff, auth_headers):
    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers)
    buyer = auth_headers(create_member())
    body = {"price_id": price["Non-member"], "pay_by": "invoice", "billing": {"name": "Accounts", "address": "1 Rd"}}
    order_id = client.post(f"/api/v1/events/{event.id}/bookings", headers=buyer, json=body).get_json()["order"]["id"]
    with app.app_context():
        order = db.session.get(Order, order_id)
        abandoned = documents.issue(order, "credit_note", order.net, order.vat, order.total)
        assert abandoned.number == f"CN-{YEAR}-000001"
        db.session.rollback()
        order = db.session.get(Order, order_id)
        kept = documents.issue(order, "credit_note", order.net, order.vat, order.total)
        db.session.commit()
        assert kept.number == f"CN-{YEAR}-000001"
        numbers = db.session.scalars(sa.select(Document.number).order_by(Document.id)).all()
    assert [re.sub(r"\d{4}", "Y", n, count=1) for n in numbers] == ["INV-Y-000001", "CN-Y-000001"]
