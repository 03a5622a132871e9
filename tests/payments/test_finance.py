"""What finance reads: orders.csv (one row per order line, formula cells neutralised) and the year's
income in the KPIs (invoiced, VAT included, by kind of event, and what was credited back)."""
import csv
import io

from tests.payments.test_paid_booking import YEAR, _paid_event


def test_orders_csv_and_income_in_the_kpis(client, create_event, create_member, create_staff, auth_headers):
    event, price, staff = _paid_event(client, create_event, create_staff, auth_headers)
    buyer = auth_headers(create_member())
    order = client.post(f"/api/v1/events/{event.id}/bookings", headers=buyer, json={
        "price_id": price["Non-member"], "pay_by": "invoice", "purchase_order": "PO-9",
        "billing": {"name": "=HYPERLINK(\"http://x\")", "organisation": "Acme", "address": "1 Road"}}).get_json()["order"]
    refund = client.post(f"/api/v1/orders/{order['id']}/refunds", headers=staff,
                         json={"amount": "30.00", "reason": "A day was cut short"})
    assert refund.status_code == 201 and refund.get_json()["status"] == "part_refunded"

    exported = client.get("/api/v1/exports/orders.csv", headers=staff)
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert len(rows) == 1
    line = rows[0]
    assert (line["invoice"], line["price"], line["net"], line["vat"], line["gross"], line["method"],
            line["purchase_order"], line["refunded"]) == (f"INV-{YEAR}-000001", "Non-member", "125.00", "25.00",
                                                          "150.00", "invoice", "PO-9", "30.00")
    assert line["buyer"].startswith("'=")  # a formula is text in a spreadsheet
    assert client.get("/api/v1/exports/orders.csv", headers=buyer).status_code == 403

    income = client.get(f"/api/v1/metrics/kpis?year={YEAR}", headers=staff).get_json()["income"]
    assert income["gross"] == "150.00" and income["refunded"] == "30.00"
    assert income["by_kind"]["course"] == "150.00" and income["by_kind"]["conference"] == "0.00"
