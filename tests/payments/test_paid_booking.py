"""Paid events end to end against localstripe through the real `stripe` library: prices and who
may buy them, a seat held while its card payment is made, the payment believed only from the
provider's signed webhook (applied once, in any order), invoices numbered without gaps, pay by
invoice with a purchase order, discount codes, and a lapsed hold freeing its seat."""
import io
import json
import time
import urllib.request
from datetime import timedelta

import sqlalchemy as sa
from pypdf import PdfReader

from cpd.core.models import utcnow
from cpd.events import seats
from cpd.events.models import Booking
from cpd.extensions import db
from cpd.notices.models import Notice
from cpd.payments.models import Order, OrderPayment
from tests.payments.conftest import pay_with_card, point_webhook_at, signed, stripe_client

YEAR = utcnow().year
PRICES = [{"name": "Member", "amount": "120.00", "vat_rate": "0.20", "eligibility": "members"},
          {"name": "Non-member", "amount": "150.00", "vat_rate": "0.20", "eligibility": "non_members"}]


def _paid_event(client, create_event, create_staff, auth_headers, capacity=5, prices=PRICES):
    event = create_event(capacity=capacity, title="Pressure vessel inspection")
    staff = auth_headers(create_staff())
    answer = client.put(f"/api/v1/events/{event.id}/prices", headers=staff, json=prices)
    assert answer.status_code == 200, answer.get_json()
    return event, {p["name"]: p["id"] for p in answer.get_json()}, staff


def _webhook(client, event):
    payload, signature = signed(event)
    return client.post("/api/v1/payments/stripe/webhook", data=payload,
                       headers={"Stripe-Signature": signature, "Content-Type": "application/json"})


def _intent_event(localstripe, event_id, kind, intent_id):
    intent = stripe_client(localstripe).v1.payment_intents.retrieve(intent_id)
    return {"id": event_id, "object": "event", "type": kind, "data": {"object": intent.to_dict()}}


def test_a_member_buys_a_seat_by_card_and_the_webhook_confirms_it_once(
        client, app, stripe_settings, localstripe, create_event, create_member, create_staff, auth_headers):
    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers)
    member = create_member(grade="member")
    outsider = auth_headers(create_member())
    refused = client.post(f"/api/v1/events/{event.id}/bookings", headers=outsider,
                          json={"price_id": price["Member"], "pay_by": "card"})
    assert refused.status_code == 422 and "“Member” is for members of the body only" in refused.get_json()["message"]

    buyer = auth_headers(member)
    held = client.post(f"/api/v1/events/{event.id}/bookings", headers=buyer, json={"price_id": price["Member"]})
    assert held.status_code == 201, held.get_json()
    booking, order = held.get_json(), held.get_json()["order"]
    assert booking["status"] == "held" and booking["held_until"]
    assert (order["status"], order["total"], order["net"], order["vat"], order["currency"]) == (
        "awaiting_payment", "120.00", "100.00", "20.00", "GBP")
    assert order["provider_reference"].startswith("pi_") and order["booking_ids"] == [booking["id"]]
    figures = client.get(f"/api/v1/events/{event.id}").get_json()
    assert (figures["seats_left"], figures["confirmed_count"]) == (4, 0)
    # The browser saying "paid" proves nothing: only the provider's word moves the order.
    assert client.get(f"/api/v1/orders/{order['id']}", headers=buyer).get_json()["status"] == "awaiting_payment"

    assert pay_with_card(localstripe, order["provider_reference"]).status == "succeeded"
    succeeded = _intent_event(localstripe, "evt_paid_1", "payment_intent.succeeded", order["provider_reference"])
    applied = _webhook(client, succeeded)
    assert applied.status_code == 200 and applied.get_json()["outcome"] == "applied"
    paid = client.get(f"/api/v1/orders/{order['id']}", headers=buyer).get_json()
    assert (paid["status"], paid["paid"], paid["invoice_number"]) == ("paid", "120.00", f"INV-{YEAR}-000001")
    assert client.get("/api/v1/me/bookings", headers=buyer).get_json()["items"][0]["status"] == "confirmed"

    # Replayed, and a failure reported late: neither changes anything.
    assert _webhook(client, succeeded).get_json()["outcome"] == "replayed"
    late_failure = {**succeeded, "id": "evt_failed_late", "type": "payment_intent.payment_failed"}
    assert _webhook(client, late_failure).get_json()["outcome"] == "applied"
    again = client.get(f"/api/v1/orders/{order['id']}", headers=buyer).get_json()
    assert (again["status"], again["payment_problem"]) == ("paid", None)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OrderPayment)) == 1
        notices = db.session.scalars(sa.select(Notice).where(Notice.member_id == member.id).order_by(Notice.id)).all()
        assert [n.kind for n in notices] == ["booking_confirmed", "invoice_paid"] and seats.drifted() == []
        assert f"/api/v1/orders/{order['id']}/invoice.pdf" in notices[1].body


def test_a_webhook_with_a_bad_signature_is_400_and_changes_nothing(client, app, stripe_settings, localstripe,
                                                                  create_event, create_member, create_staff,
                                                                  auth_headers):
    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers)
    buyer = auth_headers(create_member(grade="member"))
    order = client.post(f"/api/v1/events/{event.id}/bookings", headers=buyer,
                        json={"price_id": price["Member"]}).get_json()["order"]
    pay_with_card(localstripe, order["provider_reference"])
    forged = _intent_event(localstripe, "evt_forged", "payment_intent.succeeded", order["provider_reference"])
    payload, signature = signed(forged, secret="whsec_someone_else")
    answer = client.post("/api/v1/payments/stripe/webhook", data=payload, headers={"Stripe-Signature": signature})
    assert answer.status_code == 400
    unsigned = client.post("/api/v1/payments/stripe/webhook", data=payload)
    assert unsigned.status_code == 400
    assert client.get(f"/api/v1/orders/{order['id']}", headers=buyer).get_json()["status"] == "awaiting_payment"


def test_localstripe_delivers_the_signed_webhook_to_a_running_server(app, stripe_settings, localstripe,
                                                                    serve_with_gunicorn, create_event, create_member,
                                                                    create_staff, auth_headers, client):
    base = serve_with_gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], workers=2, UPLOAD_DIR=app.config["UPLOAD_DIR"],
                               **stripe_settings)
    point_webhook_at(localstripe, f"{base}/api/v1/payments/stripe/webhook")
    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers)
    buyer = auth_headers(create_member(grade="member"))
    request = urllib.request.Request(f"{base}/api/v1/events/{event.id}/bookings", method="POST",
                                     data=json.dumps({"price_id": price["Member"]}).encode(),
                                     headers={**buyer, "Content-Type": "application/json"})
    order = json.load(urllib.request.urlopen(request, timeout=20))["order"]
    pay_with_card(localstripe, order["provider_reference"])
    deadline, status = time.monotonic() + 30, None
    while time.monotonic() < deadline and status != "paid":
        time.sleep(0.3)
        status = client.get(f"/api/v1/orders/{order['id']}", headers=buyer).get_json()["status"]
    assert status == "paid"


def test_an_employer_pays_by_invoice_with_a_purchase_order(client, app, create_event, create_member, create_staff,
                                                          auth_headers):
    event, price, staff = _paid_event(client, create_event, create_staff, auth_headers)
    buyer = auth_headers(create_member())
    on_card = client.post(f"/api/v1/events/{event.id}/bookings", headers=buyer,
                          json={"price_id": price["Non-member"], "purchase_order": "PO-1"})
    assert on_card.status_code == 422 and "purchase_order" in on_card.get_json()["errors"]
    no_address = client.post(f"/api/v1/events/{event.id}/bookings", headers=buyer,
                             json={"price_id": price["Non-member"], "pay_by": "invoice"})
    assert no_address.status_code == 422 and "billing.address" in no_address.get_json()["errors"]
    booked = client.post(f"/api/v1/events/{event.id}/bookings", headers=buyer, json={
        "price_id": price["Non-member"], "pay_by": "invoice", "purchase_order": "PO-4471",
        "billing": {"name": "Accounts payable", "organisation": "Acme Pumps Ltd", "address": "2 Mill Lane\nLeeds",
                    "email": "ap@acme.example"}})
    assert booked.status_code == 201, booked.get_json()
    order = booked.get_json()["order"]
    assert booked.get_json()["status"] == "confirmed"
    assert (order["status"], order["purchase_order"], order["invoice_number"], order["total"]) == (
        "invoiced", "PO-4471", f"INV-{YEAR}-000001", "150.00")
    assert order["due_on"] == (utcnow().date() + timedelta(days=30)).isoformat()
    with app.app_context():
        issued = db.session.scalar(sa.select(Notice).where(Notice.kind == "invoice_issued"))
    assert "purchase order PO-4471" in issued.body and f"INV-{YEAR}-000001" in issued.subject
    partly = client.post(f"/api/v1/orders/{order['id']}/payments", headers=staff,
                         json={"amount": "100.00", "reference": "BACS 1"})
    assert partly.status_code == 201 and partly.get_json()["status"] == "invoiced"
    too_much = client.post(f"/api/v1/orders/{order['id']}/payments", headers=staff, json={"amount": "60.00"})
    assert too_much.status_code == 422
    fraction = client.post(f"/api/v1/orders/{order['id']}/payments", headers=staff, json={"amount": "10.005"})
    assert fraction.status_code == 422 and "fractions of a penny" in fraction.get_json()["message"]
    settled = client.post(f"/api/v1/orders/{order['id']}/payments", headers=staff, json={"amount": "50.00"})
    assert settled.get_json()["status"] == "paid"
    assert client.post(f"/api/v1/orders/{order['id']}/payments", headers=buyer, json={"amount": "1"}).status_code == 403
    document = client.get(f"/api/v1/orders/{order['id']}/invoice.pdf", headers=buyer)
    assert document.status_code == 200 and document.mimetype == "application/pdf"
    words = " ".join(PdfReader(io.BytesIO(document.data)).pages[0].extract_text().split())
    for expected in (f"Invoice INV-{YEAR}-000001", "VAT number: GB000000000", "Purchase order PO-4471",
                     "Acme Pumps Ltd", "VAT at 20% GBP 25.00 on GBP 125.00", "Total GBP 150.00", "with thanks"):
        assert expected in words, (expected, words)
    other = auth_headers(create_member())
    assert client.get(f"/api/v1/orders/{order['id']}/invoice.pdf", headers=other).status_code == 404


def test_a_discount_code_is_used_no_more_than_it_may_be(client, app, create_event, create_member, create_staff,
                                                       auth_headers):
    event, price, staff = _paid_event(client, create_event, create_staff, auth_headers)
    made = client.post(f"/api/v1/events/{event.id}/discount-codes", headers=staff,
                       json={"code": "early50", "percent_off": "50", "max_uses": 1})
    assert made.status_code == 201 and made.get_json()["code"] == "EARLY50"
    expired = client.post(f"/api/v1/events/{event.id}/discount-codes", headers=staff, json={
        "code": "GONE", "amount_off": "10.00", "valid_until": (utcnow() - timedelta(days=1)).isoformat()})
    assert expired.status_code == 201
    invoice = {"pay_by": "invoice", "billing": {"name": "A", "address": "B"}}
    first = client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(create_member()),
                        json={"price_id": price["Non-member"], "discount_code": "early50", **invoice})
    assert first.status_code == 201 and first.get_json()["order"]["total"] == "75.00"
    second = client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(create_member()),
                         json={"price_id": price["Non-member"], "discount_code": "EARLY50", **invoice})
    assert second.status_code == 422 and "used as often as it may be" in second.get_json()["message"]
    late = client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(create_member()),
                       json={"price_id": price["Non-member"], "discount_code": "GONE", **invoice})
    assert late.status_code == 422 and "expired" in late.get_json()["message"]
    assert client.get(f"/api/v1/events/{event.id}").get_json()["confirmed_count"] == 1


def test_a_lapsed_hold_frees_its_seat_for_the_next_buyer(client, app, stripe_settings, create_event, create_member,
                                                        create_staff, auth_headers):
    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers, capacity=1)
    slow, quick = create_member(grade="member"), create_member(grade="member")
    first = client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(slow),
                        json={"price_id": price["Member"]}).get_json()
    full = client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(quick),
                       json={"price_id": price["Member"]}).get_json()
    assert (first["status"], full["status"]) == ("held", "waitlisted")
    with app.app_context():
        db.session.get(Booking, first["id"]).held_until = utcnow() - timedelta(minutes=1)
        db.session.commit()
    # The waiting member cancels and books again: the lapsed hold is released, and the seat is theirs to hold.
    client.delete(f"/api/v1/bookings/{full['id']}", headers=auth_headers(quick))
    again = client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(quick),
                        json={"price_id": price["Member"]}).get_json()
    assert again["status"] == "held", again
    with app.app_context():
        assert db.session.get(Booking, first["id"]).status == "cancelled"
        assert db.session.get(Order, first["order"]["id"]).status == "cancelled"
        kinds = db.session.scalars(sa.select(Notice.kind).where(Notice.member_id == slow.id)).all()
        assert kinds == ["hold_lapsed"] and seats.drifted() == []


def test_prices_are_checked_and_a_free_event_takes_no_price(client, create_event, create_member, create_staff,
                                                           auth_headers):
    event = create_event(capacity=5)
    staff = auth_headers(create_staff())
    bad = client.put(f"/api/v1/events/{event.id}/prices", headers=staff, json=[
        {"name": "Penny", "amount": "10.005"}, {"name": "Minus", "amount": "-1"}, {"name": "Rate", "amount": "5",
                                                                                  "vat_rate": "1.5"}])
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]) == {"prices.0.amount", "prices.1.amount", "prices.2.vat_rate"}
    member = auth_headers(create_member())
    free = client.post(f"/api/v1/events/{event.id}/bookings", headers=member, json={"price_id": 3})
    assert free.status_code == 422 and "free" in free.get_json()["message"]
    assert client.post(f"/api/v1/events/{event.id}/bookings", headers=member).status_code == 201
    other_event, price, _ = _paid_event(client, create_event, create_staff, auth_headers)
    foreign = client.post(f"/api/v1/events/{other_event.id}/bookings", headers=member, json={"price_id": 2**31 - 2})
    assert foreign.status_code == 422 and "Not a price of this event" in foreign.get_json()["message"]
    assert client.put(f"/api/v1/events/{event.id}/prices", headers=member, json=[]).status_code == 403


def test_an_event_takes_a_refund_deadline_before_it_starts(client, create_staff, auth_headers):
    staff = auth_headers(create_staff())
    event = {"kind": "course", "title": "Welding inspection", "starts_at": "2031-03-10T09:00:00",
             "ends_at": "2031-03-10T17:00:00", "timezone": "Europe/London"}
    late = client.post("/api/v1/events", headers=staff, json={**event, "refund_deadline": "2031-03-11T09:00:00"})
    assert late.status_code == 422 and "refund_deadline" in late.get_json()["errors"]
    made = client.post("/api/v1/events", headers=staff, json={**event, "refund_deadline": "2031-03-03T09:00:00"})
    assert made.status_code == 201 and made.get_json()["refund_deadline"] == "2031-03-03T09:00:00+00:00"
    assert made.get_json()["prices"] == []


def test_without_a_provider_a_card_checkout_is_refused_and_no_seat_is_taken(client, app, create_event,
                                                                            create_member, create_staff,
                                                                            auth_headers):
    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers)
    refused = client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(create_member()),
                          json={"price_id": price["Non-member"], "pay_by": "card"})
    assert refused.status_code == 422 and "pay_by" in refused.get_json()["errors"]
    assert client.get(f"/api/v1/events/{event.id}").get_json()["seats_left"] == 5


def test_production_refuses_a_payment_provider_on_a_private_or_plain_address():
    import pytest

    from cpd import create_app
    from cpd.core.outbound import is_public_https

    settings = {"CPD_ENV": "production", "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    from cpd.credentials.keys import new_private_key_pem

    settings["CREDENTIAL_SIGNING_KEY"] = new_private_key_pem()
    for base in ("http://127.0.0.1:8420", "https://127.0.0.1:8420", "https://10.0.0.5", "https://localhost:9"):
        with pytest.raises(RuntimeError, match="STRIPE_API_BASE"):
            create_app({**settings, "STRIPE_API_BASE": base})
    assert create_app({**settings, "STRIPE_API_BASE": "https://api.stripe.com"}) is not None
    assert not is_public_https("https://[::1]/") and is_public_https("https://stripe.example.com/v1")


def test_stripe_unreachable_at_checkout_keeps_the_hold_and_reconcile_asks_again(client, app, stripe_settings,
                                                                                 create_event, create_member,
                                                                                 create_staff, auth_headers):
    from tests.servers import free_port

    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers)
    buyer = auth_headers(create_member(grade="member"))
    app.config["STRIPE_API_BASE"] = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    held = client.post(f"/api/v1/events/{event.id}/bookings", headers=buyer, json={"price_id": price["Member"]})
    assert held.status_code == 201 and held.get_json()["status"] == "held"
    order = held.get_json()["order"]
    assert order["provider_reference"] is None and "try again" in order["payment_problem"]
    assert order["pay_url"].endswith(f"/orders/{order['id']}/pay")
    app.config["STRIPE_API_BASE"] = stripe_settings["STRIPE_API_BASE"]
    result = app.test_cli_runner().invoke(args=["payments", "reconcile"])
    assert "asked: 1" in result.output, result.output
    again = client.get(f"/api/v1/orders/{order['id']}", headers=buyer).get_json()
    assert again["provider_reference"].startswith("pi_") and again["payment_problem"] is None
