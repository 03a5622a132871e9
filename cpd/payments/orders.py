"""An order's life, one function per transition, each checking the state it starts from:
awaiting_payment -> paid (the provider says so: settle_card_payment), -> cancelled (its hold
lapsed: holds_lapsed); invoiced -> paid (staff record the transfer: record_payment). Who may see an
order: its buyer and staff."""
from datetime import date

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import selectinload

from cpd.core.errors import Conflict, Forbidden, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.urls import public_url
from cpd.events import booking as booking_service
from cpd.events.seats import lock_row
from cpd.extensions import db
from cpd.payments import documents
from cpd.payments.models import Order, OrderLine, OrderPayment
from cpd.payments.money import read_amount, text

ORDER_STATUSES = {"awaiting_payment": "Awaiting payment", "paid": "Paid", "invoiced": "Invoiced",
                  "refunded": "Refunded", "part_refunded": "Partly refunded", "cancelled": "Cancelled"}
OPEN_STATUSES = ("awaiting_payment", "invoiced")


def order_document(order):
    """The contract's order."""
    return {
        "id": order.id, "number": order.number, "event_id": order.event_id, "member_id": order.member_id,
        "booking_ids": [line.booking_id for line in order.lines if line.booking_id is not None],
        "status": order.status, "pay_by": order.pay_by, "currency": order.currency,
        "net": text(order.net), "vat": text(order.vat), "total": text(order.total),
        "paid": text(order.paid), "refunded": text(order.refunded),
        "pay_url": public_url("payments.pay", order_id=order.id) if order.status == "awaiting_payment" else None,
        "provider_reference": order.provider_reference,
        "payment_problem": order.last_payment_error or None,
        "invoice_number": next((d.number for d in order.documents if d.kind == "invoice"), None),
        "credit_notes": [{"number": d.number, "amount": text(d.gross)} for d in order.documents
                         if d.kind == "credit_note"],
        "refunds": [{"id": r.id, "amount": text(r.amount), "status": r.status, "reason": r.reason,
                     "error": r.error or None} for r in order.refunds],
        "purchase_order": order.purchase_order or None, "due_on": order.due_on.isoformat() if order.due_on else None,
        "billing": {"name": order.billing_name, "organisation": order.billing_organisation,
                    "address": order.billing_address, "email": order.billing_email},
        "lines": [{"description": line.description, "price_id": line.price_id, "list_amount": text(line.list_amount),
                   "discount": text(line.discount), "vat_rate": str(line.vat_rate.normalize()),
                   "net": text(line.net), "vat": text(line.vat), "gross": text(line.gross)} for line in order.lines],
        "created_at": order.created_at.isoformat(), "paid_at": order.paid_at.isoformat() if order.paid_at else None,
    }


def _with_everything():
    return (selectinload(Order.lines), selectinload(Order.documents), selectinload(Order.refunds))


def get_order_for(actor, order_id):
    order = db.session.get(Order, order_id, options=_with_everything())
    if order is None or not (actor.is_staff or order.member_id == actor.id):
        raise NotFound("No such order.")
    return order


def own_orders(member_id):
    return (sa.select(Order).where(Order.member_id == member_id).options(*_with_everything())
            .order_by(Order.id.desc()))


def staff_orders(actor, event_id=None, status=None):
    if not actor.is_staff:
        raise Forbidden("Only staff see every order.")
    statement = sa.select(Order).options(*_with_everything()).order_by(Order.id.desc())
    if event_id is not None:
        statement = statement.where(Order.event_id == event_id)
    if status is not None:
        statement = statement.where(Order.status == status)
    return statement


def open_order_of(booking):
    return db.session.scalar(sa.select(Order).join(OrderLine, OrderLine.order_id == Order.id).where(
        OrderLine.booking_id == booking.id, Order.status.in_(("awaiting_payment", "invoiced", "paid"))))


def order_for_reference(reference):
    return db.session.scalar(sa.select(Order).where(Order.provider_reference == reference))


def _lock(order):
    return lock_row(Order, order.id)


def settle_card_payment(order, amount, reference, now=None):
    """The provider says the order's PaymentIntent succeeded: paid, the seat confirmed, the invoice
    issued. Applied once: an order already paid is left as it is."""
    now = now or utcnow()
    order = _lock(order)
    if order.status not in ("awaiting_payment", "cancelled"):
        return order
    order.paid += amount
    db.session.add(OrderPayment(order=order, amount=amount, method="card", paid_on=now.date(), reference=reference))
    order.status, order.paid_at, order.last_payment_error = "paid", now, ""
    for line in order.lines:
        if line.booking is not None and not booking_service.confirm_held(line.booking, now):
            # The hold lapsed and its seat was taken before the money came: the money is owed back.
            order.last_payment_error = "Paid after the held seat lapsed and the event filled: a refund is due."
    if documents.invoice_of(order) is None:
        documents.tell_the_buyer(order, documents.issue(order, "invoice", order.net, order.vat, order.total, now=now))
    db.session.flush()
    return order


def note_failed_payment(order, message):
    """A card was declined: the order stays open (the buyer may try another card while the seat is held)."""
    if order.status == "awaiting_payment":
        order.last_payment_error = (message or "The card payment failed.")[:500]


def holds_lapsed(bookings):
    """cpd.events tells us of held seats that lapsed: their orders awaiting payment are cancelled."""
    ids = [booking.id for booking in bookings]
    lapsed = db.session.scalars(sa.select(Order).join(OrderLine, OrderLine.order_id == Order.id)
                                .where(OrderLine.booking_id.in_(ids), Order.status == "awaiting_payment")).all()
    for order in lapsed:
        order.status = "cancelled"


def staff_other_than_the_buyer(actor, order, doing):
    """Money on an order is handled by staff, and never by its own buyer (one person, one role)."""
    if not actor.is_staff:
        raise Forbidden(f"Only staff {doing}.")
    if actor.id == order.member_id:
        raise Forbidden(f"You bought this order: another member of staff must {doing}.")


def record_payment(actor, order, changes):
    """Staff record money received against an invoice (a transfer, a cheque): paid once it is all in."""
    staff_other_than_the_buyer(actor, order, "record its payments")
    errors = {}
    amount = read_amount(changes.get("amount"), "amount", errors, allow_zero=False)
    paid_on = changes.get("paid_on") or utcnow().date()
    if isinstance(paid_on, date) and paid_on > utcnow().date():
        errors["paid_on"] = ["A payment cannot be recorded before it is made."]
    if errors:
        raise Invalid.from_fields(errors)
    order = _lock(order)
    if order.status != "invoiced":
        raise Conflict(f"This order is {ORDER_STATUSES[order.status].lower()}: only an invoiced order takes a payment.")
    if amount > order.outstanding:
        raise Invalid.on_field("amount", f"At most the {text(order.outstanding)} still owed.")
    db.session.add(OrderPayment(order=order, amount=amount, method="transfer", paid_on=paid_on,
                                reference=(changes.get("reference") or "").strip(), recorded_by_id=actor.id))
    order.paid += amount
    if order.outstanding == 0:
        order.status, order.paid_at = "paid", utcnow()
    db.session.flush()
    return order


def overdue(today):
    """Invoiced orders past their due date."""
    return (sa.select(Order).where(Order.status == "invoiced", Order.due_on < today)
            .options(*_with_everything()).order_by(Order.due_on, Order.id))


def _document_url(order, document):
    if document.kind == "invoice":
        return url_for("api_payments.get_invoice_pdf", order_id=order.id)
    return url_for("api_payments.get_credit_note_pdf", order_id=order.id, number=document.number)


def summaries_for_bookings(booking_ids):
    """{booking id: what My bookings shows of its latest order}: words for what is owed, paid and
    refunded, where to pay, and the documents. Two queries."""
    if not booking_ids:
        return {}
    rows = db.session.execute(sa.select(OrderLine.booking_id, Order).join(Order, Order.id == OrderLine.order_id)
                              .where(OrderLine.booking_id.in_(booking_ids)).options(selectinload(Order.documents))
                              .order_by(Order.id)).all()
    found = {}
    for booking_id, order in rows:
        owed = order.status in OPEN_STATUSES
        words = (f"{ORDER_STATUSES[order.status]}: {order.currency} "
                 f"{text(order.outstanding if owed else order.total)}{' owed' if owed else ''}")
        if order.refunded:
            words += f", {order.currency} {text(order.refunded)} refunded"
        found[booking_id] = {
            "words": words,
            "pay_url": url_for("payments.pay", order_id=order.id) if order.status == "awaiting_payment" else None,
            "documents": [{"number": d.number, "url": _document_url(order, d)} for d in order.documents]}
    return found
