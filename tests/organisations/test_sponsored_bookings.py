"""An organisation's admin books several of its people in one invoiced order: all or none under the
event's lock (a rush of groups never oversells, a group that does not fit is refused whole with the
seats left named), one invoice to the organisation with its purchase order, and cancelling one
person credits that one line."""
import sqlalchemy as sa

from cpd.events import seats
from cpd.events.models import Booking
from cpd.extensions import db
from tests.events.test_concurrency import _at_once
from tests.organisations.test_organisations import join, make_organisation
from tests.payments.test_paid_booking import _paid_event


def organisation_with_people(client, create_member, create_staff, auth_headers, count, name="Acme Engineering"):
    staff, admin = create_staff(), create_member(full_name=f"Admin of {name}")
    organisation = make_organisation(client, auth_headers(staff), admin, name=name)
    people = [create_member(full_name=f"{name} person {n}") for n in range(count)]
    for person in people:
        assert join(client, auth_headers(person), auth_headers(admin), organisation["id"]).status_code == 201
    return organisation, auth_headers(admin), people


def test_an_admin_books_three_people_in_one_invoice_and_one_cancellation_credits_its_line(
        client, app, create_event, create_member, create_staff, auth_headers):
    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers, capacity=10)
    organisation, admin, people = organisation_with_people(client, create_member, create_staff, auth_headers, 3)
    booked = client.post(f"/api/v1/organisations/{organisation['id']}/bookings", headers=admin, json={
        "event_id": event.id, "member_ids": [p.id for p in people], "price_id": price["Non-member"],
        "purchase_order": "PO-7781"})
    assert booked.status_code == 201, booked.get_json()
    order = booked.get_json()
    assert (order["status"], order["pay_by"], order["purchase_order"]) == ("invoiced", "invoice", "PO-7781")
    assert order["billing"]["organisation"] == "Acme Engineering" and order["billing"]["name"] == "Acme Ltd"
    assert len(order["lines"]) == 3 and order["invoice_number"]
    line = order["lines"][0]["gross"]
    assert order["total"] == f"{3 * float(line):.2f}"
    invoice = client.get(f"/api/v1/orders/{order['id']}/invoice.pdf", headers=admin)
    assert invoice.status_code == 200 and invoice.data.startswith(b"%PDF")

    one = order["booking_ids"][0]
    cancelled = client.delete(f"/api/v1/bookings/{one}", headers=auth_headers(people[0]))
    assert cancelled.status_code in (200, 204), cancelled.get_json()
    after = client.get(f"/api/v1/orders/{order['id']}", headers=admin).get_json()
    assert after["refunded"] == line and after["credit_notes"][0]["amount"] == line


def test_refused_whole_someone_outside_or_too_many(client, app, create_event, create_member, create_staff,
                                                   auth_headers):
    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers, capacity=2)
    organisation, admin, people = organisation_with_people(client, create_member, create_staff, auth_headers, 3)
    outsider = create_member()
    refused = client.post(f"/api/v1/organisations/{organisation['id']}/bookings", headers=admin, json={
        "event_id": event.id, "member_ids": [people[0].id, outsider.id], "price_id": price["Non-member"]})
    assert refused.status_code == 403 and str(outsider.id) in refused.get_json()["message"]
    too_many = client.post(f"/api/v1/organisations/{organisation['id']}/bookings", headers=admin, json={
        "event_id": event.id, "member_ids": [p.id for p in people], "price_id": price["Non-member"]})
    assert too_many.status_code == 409 and "Only 2 seats left" in too_many.get_json()["message"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 0
    # A member who is not the organisation's admin cannot book for it.
    assert client.post(f"/api/v1/organisations/{organisation['id']}/bookings", headers=auth_headers(people[0]), json={
        "event_id": event.id, "member_ids": [people[0].id], "price_id": price["Non-member"]}).status_code == 404


def test_a_rush_of_groups_never_oversells(client, app, create_event, create_member, create_staff, auth_headers):
    event, price, _ = _paid_event(client, create_event, create_staff, auth_headers, capacity=10)
    groups = [organisation_with_people(client, create_member, create_staff, auth_headers, 3, name=f"Org {n}")
              for n in range(6)]
    calls = [lambda c, o=o, h=h, p=p: c.post(f"/api/v1/organisations/{o['id']}/bookings", headers=h, json={
        "event_id": event.id, "member_ids": [m.id for m in p], "price_id": price["Non-member"]})
        for o, h, p in groups]
    answers = _at_once(app, calls)
    codes = sorted(a.status_code for a in answers)
    assert codes == [201, 201, 201, 409, 409, 409], [a.get_json() for a in answers]
    with app.app_context():
        taken = db.session.scalar(sa.select(sa.func.count()).select_from(Booking).where(
            Booking.event_id == event.id, Booking.status == "confirmed"))
        assert taken == 9 and seats.drifted() == []
