"""A buyer's orders in their download; erasure blanks the billing details of orders without
documents and keeps those an invoice was issued for (the body must keep its invoices)."""
import io
import json
import zipfile

from cpd.extensions import db
from cpd.payments.models import Order
from tests.payments.test_paid_booking import _paid_event


def test_orders_are_downloaded_and_erasure_keeps_what_the_law_keeps(client, app, create_event, create_member,
                                                                  create_staff, auth_headers):
    event, price, staff = _paid_event(client, create_event, create_staff, auth_headers)
    member = create_member()
    buyer = auth_headers(member)
    invoiced = client.post(f"/api/v1/events/{event.id}/bookings", headers=buyer, json={
        "price_id": price["Non-member"], "pay_by": "invoice",
        "billing": {"name": "Grace Hopper", "address": "1 Road", "email": "grace@acme.example"}}).get_json()["order"]
    with app.app_context():
        unpaid = Order(member_id=member.id, event_id=event.id, status="cancelled", pay_by="card", currency="GBP",
                       net=100, vat=20, total=120, billing_name="Grace Hopper", billing_email="grace@example.org",
                       billing_address="Home")
        db.session.add(unpaid)
        db.session.commit()
        unpaid_id = unpaid.id
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/me/export", headers=buyer).data))
    downloaded = json.loads(archive.read("orders.json"))
    assert [o["number"] for o in downloaded] == [invoiced["number"], f"ORD-{unpaid_id:06d}"]
    assert downloaded[0]["documents"] == [invoiced["invoice_number"]]

    assert client.post(f"/api/v1/members/{member.id}/erase", headers=staff).status_code == 200
    with app.app_context():
        kept, blanked = db.session.get(Order, invoiced["id"]), db.session.get(Order, unpaid_id)
        assert (kept.billing_name, kept.billing_address) == ("Grace Hopper", "1 Road")
        assert (blanked.billing_name, blanked.billing_email, blanked.billing_address) == ("", "", "")
        assert blanked.total == 120
