"""Refunds through localstripe: a buyer who cancels in time gets their money back with a credit
note; after the refund deadline, the seat is freed without refund; staff refund part of an order
(never their own); cancelling an event refunds every paid order, card or invoice."""
import io
from datetime import timedelta

import sqlalchemy as sa
from pypdf import PdfReader

from cpd.core.models import utcnow
from cpd.events.models import Event
from cpd.extensions import db
from cpd.notices.models import Notice
from tests.payments.conftest import pay_with_card, stripe_client
from tests.payments.test_paid_booking import YEAR, _intent_event, _paid_event, _webhook

INVOICE = {"pay_by": "invoice", "billing": {"name": "Accounts", "address": "1 Road"}}


def _bought_by_card(client, localstripe, event_id, price_id, headers, event_name="evt"):
    held = client.post(f"/api/v1/events/{event_id}/bookings", headers=headers, json={"price_id": price_id}).get_json()
    intent = held["order"]["provider_reference"]
    pay_with_card(localstripe, intent)
    assert _webhook(client, _intent_event(localstripe, f"{event_name}-{intent}", "payment_intent.succeeded",
                                          intent)).status_code == 200
    return held["id"], held["order"]["id"], intent


def test_cancelling_in_time_refunds_the_card_with_a_credit_note(client, app, stripe_settings, localstripe,
                                                                create_event, create_member, create_staff,
                                                                auth_headers):
    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers)
    member = create_member(grade="member")
    buyer = auth_headers(member)
    booking_id, order_id, intent = _bought_by_card(client, localstripe, event.id, price["Member"], buyer)
    assert client.delete(f"/api/v1/bookings/{booking_id}", headers=buyer).status_code == 200
    order = client.get(f"/api/v1/orders/{order_id}", headers=buyer).get_json()
    assert (order["status"], order["refunded"]) == ("refunded", "120.00")
    assert order["credit_notes"] == [{"number": f"CN-{YEAR}-000001", "amount": "120.00"}]
    assert [r["status"] for r in order["refunds"]] == ["succeeded"]
    at_stripe = stripe_client(localstripe).v1.refunds.list(params={"payment_intent": intent})
    assert [r.amount for r in at_stripe.data] == [12000]
    # The provider's own report of that refund changes nothing: it is known.
    charge = stripe_client(localstripe).v1.payment_intents.retrieve(intent).latest_charge
    refunded = {"id": "evt_refunded_1", "object": "event", "type": "charge.refunded",
                "data": {"object": {"id": charge if isinstance(charge, str) else charge.id, "object": "charge",
                                    "payment_intent": intent, "amount_refunded": 12000}}}
    assert _webhook(client, refunded).get_json()["outcome"] == "applied"
    assert client.get(f"/api/v1/orders/{order_id}", headers=buyer).get_json()["credit_notes"] == order["credit_notes"]
    with app.app_context():
        kinds = db.session.scalars(sa.select(Notice.kind).where(Notice.member_id == member.id)
                                   .order_by(Notice.id)).all()
    assert kinds == ["booking_confirmed", "invoice_paid", "refund_issued"]
    note = client.get(f"/api/v1/orders/{order_id}/credit-notes/CN-{YEAR}-000001.pdf", headers=buyer)
    words = " ".join(PdfReader(io.BytesIO(note.data)).pages[0].extract_text().split())
    for expected in (f"Credit note CN-{YEAR}-000001", f"Credits invoice INV-{YEAR}-000001",
                     "Booking cancelled before the refund deadline", "Total credited GBP 120.00"):
        assert expected in words, (expected, words)
    assert client.get(f"/api/v1/orders/{order_id}/credit-notes/CN-{YEAR}-000009.pdf", headers=buyer).status_code == 404


def test_after_the_refund_deadline_the_seat_is_freed_without_refund(client, app, stripe_settings, localstripe,
                                                                   create_event, create_member, create_staff,
                                                                   auth_headers):
    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers)
    with app.app_context():
        db.session.get(Event, event.id).refund_deadline = utcnow() - timedelta(hours=1)
        db.session.commit()
    member = create_member(grade="member")
    buyer = auth_headers(member)
    booking_id, order_id, _ = _bought_by_card(client, localstripe, event.id, price["Member"], buyer)
    assert client.delete(f"/api/v1/bookings/{booking_id}", headers=buyer).status_code == 200
    order = client.get(f"/api/v1/orders/{order_id}", headers=buyer).get_json()
    assert (order["status"], order["refunded"], order["credit_notes"]) == ("paid", "0.00", [])
    assert client.get(f"/api/v1/events/{event.id}").get_json()["seats_left"] == 5
    with app.app_context():
        notice = db.session.scalar(sa.select(Notice).where(Notice.member_id == member.id, Notice.kind == "no_refund"))
    assert "not refunded" in notice.body


def test_staff_refund_part_of_an_order_but_never_their_own(client, app, stripe_settings, localstripe, create_event,
                                                           create_member, create_staff, auth_headers):
    event, price, staff = _paid_event(client, create_event, create_staff, auth_headers)
    buyer = auth_headers(create_member(grade="member"))
    _, order_id, _ = _bought_by_card(client, localstripe, event.id, price["Member"], buyer)
    part = client.post(f"/api/v1/orders/{order_id}/refunds", headers=staff,
                       json={"amount": "20.00", "reason": "Lunch was not served"})
    assert part.status_code == 201, part.get_json()
    assert (part.get_json()["status"], part.get_json()["refunded"]) == ("part_refunded", "20.00")
    too_much = client.post(f"/api/v1/orders/{order_id}/refunds", headers=staff,
                           json={"amount": "100.01", "reason": "More"})
    assert too_much.status_code == 422 and "At most 100.00" in too_much.get_json()["message"]
    no_reason = client.post(f"/api/v1/orders/{order_id}/refunds", headers=staff, json={"amount": "1.00", "reason": ""})
    assert no_reason.status_code == 422
    assert client.post(f"/api/v1/orders/{order_id}/refunds", headers=buyer,
                       json={"amount": "1.00", "reason": "x"}).status_code == 403
    staff_member = create_staff(grade="member")
    own_headers = auth_headers(staff_member)
    _, own_order, _ = _bought_by_card(client, localstripe, event.id, price["Member"], own_headers, "own")
    refused = client.post(f"/api/v1/orders/{own_order}/refunds", headers=own_headers,
                          json={"amount": "1.00", "reason": "Mine"})
    assert refused.status_code == 403 and "another member of staff" in refused.get_json()["message"]


def test_cancelling_an_event_refunds_every_paid_order(client, app, stripe_settings, localstripe, create_event,
                                                      create_member, create_staff, auth_headers):
    event, price, staff = _paid_event(client, create_event, create_staff, auth_headers)
    card_buyer = auth_headers(create_member(grade="member"))
    _, card_order, _ = _bought_by_card(client, localstripe, event.id, price["Member"], card_buyer)
    invoice_buyer = auth_headers(create_member())
    invoiced = client.post(f"/api/v1/events/{event.id}/bookings", headers=invoice_buyer,
                           json={"price_id": price["Non-member"], **INVOICE}).get_json()["order"]
    assert client.post(f"/api/v1/events/{event.id}/cancel", headers=staff).status_code == 200
    card = client.get(f"/api/v1/orders/{card_order}", headers=card_buyer).get_json()
    invoice = client.get(f"/api/v1/orders/{invoiced['id']}", headers=invoice_buyer).get_json()
    assert (card["status"], card["refunded"]) == ("refunded", "120.00")
    assert (invoice["status"], invoice["refunded"]) == ("refunded", "150.00")
    numbers = sorted(note["number"] for note in card["credit_notes"] + invoice["credit_notes"])
    assert numbers == [f"CN-{YEAR}-000001", f"CN-{YEAR}-000002"]
    assert sorted([card["invoice_number"], invoice["invoice_number"]]) == [f"INV-{YEAR}-000001", f"INV-{YEAR}-000002"]
