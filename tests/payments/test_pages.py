"""The paid event's pages with the test client: checkout with errors beside the fields, an invoice
booking from the page, My bookings showing what is owed and the documents, and staff's orders,
where a payment is recorded and a refund made."""
import re

from tests.conftest import csrf_token_from
from tests.payments.test_paid_booking import YEAR, _paid_event


def test_checkout_by_invoice_from_the_pages_and_staff_record_the_payment(client, app, create_event, create_member,
                                                                        create_staff, auth_headers, sign_in):
    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers)
    buyer = create_member()
    sign_in(buyer)
    detail = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Non-member: GBP 150.00" in detail and "Choose a price and book" in detail
    page = client.get(f"/events/{event.id}/checkout")
    token = csrf_token_from(page.get_data(as_text=True))
    refused = client.post(f"/events/{event.id}/checkout", data={"csrf_token": token, "price_id": price["Member"],
                                                                 "pay_by": "invoice", "billing_name": "A",
                                                                 "billing_address": "B"})
    assert refused.status_code == 422
    assert "is for members of the body only" in refused.get_data(as_text=True)
    no_address = client.post(f"/events/{event.id}/checkout", data={
        "csrf_token": token, "price_id": price["Non-member"], "pay_by": "invoice", "billing_name": "Acme"})
    assert no_address.status_code == 422
    assert re.search(r'id="billing_address-error">Give the billing address', no_address.get_data(as_text=True))
    booked = client.post(f"/events/{event.id}/checkout", data={
        "csrf_token": token, "price_id": price["Non-member"], "pay_by": "invoice", "purchase_order": "PO-77",
        "billing_name": "Accounts", "billing_organisation": "Acme", "billing_address": "1 Road\nLeeds"})
    assert booked.status_code == 302 and booked.headers["Location"].endswith("/bookings")
    mine = client.get("/bookings").get_data(as_text=True)
    assert "Invoiced: GBP 150.00 owed" in mine and f"INV-{YEAR}-000001" in mine

    staff = create_staff()
    sign_in(staff)
    listing = client.get("/staff/orders?status=invoiced").get_data(as_text=True)
    order_link = re.search(r'href="(/staff/orders/(\d+))"', listing)
    order_page = client.get(order_link.group(1)).get_data(as_text=True)
    assert "PO-77" in order_page and "Record the payment" in order_page
    token = csrf_token_from(order_page)
    wrong = client.post(f"{order_link.group(1)}/payments", data={"csrf_token": token, "payment-amount": "abc"})
    assert wrong.status_code == 422 and "Not an amount of money" in wrong.get_data(as_text=True)
    paid = client.post(f"{order_link.group(1)}/payments", data={"csrf_token": token, "payment-amount": "150.00",
                                                                 "payment-reference": "BACS 9"})
    assert paid.status_code == 302
    assert "Paid" in client.get(order_link.group(1)).get_data(as_text=True)
    refunded = client.post(f"{order_link.group(1)}/refunds", data={
        "csrf_token": token, "refund-amount": "50.00", "refund-reason": "Half day"})
    assert refunded.status_code == 302
    after = client.get(order_link.group(1)).get_data(as_text=True)
    assert f"CN-{YEAR}-000001" in after and "Partly refunded" in after
    sign_in(buyer)
    assert "GBP 50.00 refunded" in client.get("/bookings").get_data(as_text=True)
