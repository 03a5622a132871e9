"""Checkout for a paid event: the price chosen (on sale, and one the buyer may have), a seat held
under the event's lock (the same lock, count and insert as a free booking, cpd.events.booking),
a discount code's use taken, and the order with its lines, in one transaction. For a card, the
provider's PaymentIntent is made first, before the lock is taken: a slow provider never holds up
other buyers, and if it does not answer the seat is still held and the buyer told to try again
(the pay page and `flask payments reconcile` ask once more; idempotency keys mean nothing is
charged twice). A PaymentIntent made for a seat that went to someone else is cancelled.

Eligibility: "members" are those holding a grade of the body, "non_members" those without one,
"students" those whose career stage is student (the contract's `eligibility`)."""
import uuid
from contextlib import contextmanager
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask import current_app

from cpd.core.errors import Conflict, DomainError, Invalid, NotFound, Unavailable
from cpd.core.models import utcnow
from cpd.events import booking as booking_service
from cpd.events.models import Event
from cpd.events.vocabulary import PRICE_ELIGIBILITY
from cpd.extensions import db
from cpd.payments import documents, orders, provider
from cpd.payments.models import DiscountCode, Order, OrderLine
from cpd.payments.money import PENNY, from_pennies, vat_in

ELIGIBLE = {
    "anyone": lambda member: True,
    "members": lambda member: member.grade is not None,
    "non_members": lambda member: member.grade is None,
    "students": lambda member: member.career_stage == "student",
}


def prices_on_sale(event, now):
    return [price for price in event.prices if price.on_sale(now)]


def choose_price(member, event, price_id, now):
    """The price `price_id` of `event`, if it is on sale and `member` may buy it; else 422 naming it."""
    on_offer = ", ".join(f"{p.id} ({p.name})" for p in prices_on_sale(event, now) if ELIGIBLE[p.eligibility](member))
    if price_id is None:
        raise Invalid.on_field("price_id", f"Choose a price: {on_offer or 'none is on sale to you'}.")
    price = next((p for p in event.prices if p.id == price_id), None)
    if price is None:
        raise Invalid.on_field("price_id", f"Not a price of this event. Its prices on sale to you: {on_offer or 'none'}.")
    if not price.on_sale(now):
        raise Invalid.on_field("price_id", f"The price “{price.name}” is not on sale now.")
    if not ELIGIBLE[price.eligibility](member):
        raise Invalid.on_field("price_id", f"The price “{price.name}” is for "
                                           f"{PRICE_ELIGIBILITY[price.eligibility].lower()} only.")
    return price


def _read_code(event, given, now):
    code = db.session.scalar(sa.select(DiscountCode).where(DiscountCode.event_id == event.id,
                                                           DiscountCode.code == given.strip().upper()))
    if code is None:
        raise Invalid.on_field("discount_code", "Not a discount code of this event.")
    if code.valid_until is not None and code.valid_until <= now:
        raise Invalid.on_field("discount_code", f"The code {code.code} has expired.")
    return code


def _take_a_use(code):
    """One use of the code, taken by a conditional UPDATE so a rush never uses it more than allowed."""
    table = DiscountCode.__table__
    taken = db.session.execute(sa.update(table).where(
        table.c.id == code.id, sa.or_(table.c.max_uses.is_(None), table.c.used < table.c.max_uses))
        .values(used=table.c.used + 1)).rowcount
    if taken != 1:
        raise Invalid.on_field("discount_code", f"The code {code.code} has been used as often as it may be.")


def discount_for(code, gross):
    if code.percent_off is not None:
        return min((gross * code.percent_off / 100).quantize(PENNY, rounding=ROUND_HALF_UP), gross)
    return min(code.amount_off, gross)


def _read_way_to_pay(choices):
    pay_by = choices.get("pay_by") or "card"
    billing = choices.get("billing") or {}
    errors = {}
    if pay_by == "card" and choices.get("purchase_order"):
        errors["purchase_order"] = ["A purchase order goes with pay_by invoice, not with a card."]
    if pay_by == "invoice":
        if not (billing.get("name") or "").strip():
            errors["billing.name"] = ["Give the name the invoice is addressed to."]
        if not (billing.get("address") or "").strip():
            errors["billing.address"] = ["Give the billing address for the invoice."]
    if errors:
        raise Invalid.from_fields(errors)
    return pay_by, billing


def checkout(member, event_id, choices):
    """Book a paid event: a held seat and its order (card), a confirmed seat and its invoice
    (invoice), or a place on the waiting list (full: no order yet; a freed seat is offered)."""
    pay_by, billing = _read_way_to_pay(choices)
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("No such event.")
    now = utcnow()
    price, code, gross = _price_and_code(member, event, choices, now)
    card = pay_by == "card" and gross > 0
    _card_payments_set_up(card)
    hold_until = now + timedelta(minutes=current_app.config["PAYMENT_HOLD_MINUTES"]) if card else None
    # The PaymentIntent is made before the seat is taken, so no call to the provider is ever made
    # while the event is locked, and the hold is one transaction (a full event needs none).
    intent, problem = _prepare_payment(event, member, gross) if card and not event.is_full else (None, "")
    try:
        booking = booking_service.book(member, event_id, hold_until=hold_until)
        if booking.status == "waitlisted":
            db.session.commit()
            _let_go(intent)
            return booking
        if code:
            _take_a_use(code)
        order = _order(member, event, booking, price, code, gross, pay_by, billing, choices, now,
                       provider_reference=intent.id if intent else None, problem=problem)
    except DomainError:
        _let_go(intent)
        raise
    with keeping_what_was_written():
        db.session.commit()
    booking.order_document = orders.order_document(order)
    return booking


def _prepare_payment(event, member, gross):
    """(the PaymentIntent, "") or (None, why not): the provider not answering leaves the hold to be
    paid once it does (the pay page and reconcile ask again)."""
    try:
        return provider.create_payment_intent(gross, current_app.config["CURRENCY"],
                                              {"event_id": str(event.id), "member_id": str(member.id)},
                                              idempotency_key=f"checkout-{uuid.uuid4().hex}"), ""
    except Unavailable as error:
        return None, error.message


def _let_go(intent):
    """A PaymentIntent made for a seat that was not taken (the event filled meanwhile): cancelled."""
    if intent is not None:
        provider.cancel_payment_intent(intent.id)


@contextmanager
def keeping_what_was_written():
    """Commit without expiring what this request itself wrote and holds (the booking, the order and
    its lines): answering with them would otherwise read each back from the database."""
    session = db.session()
    kept, session.expire_on_commit = session.expire_on_commit, False
    try:
        yield
    finally:
        session.expire_on_commit = kept


def _card_payments_set_up(card):
    """Refused before any seat is taken: a card payment where no provider is set up."""
    if card and not provider.is_configured():
        raise Invalid.on_field("pay_by", "Card payments are not set up here: choose to pay by invoice.")


def _price_and_code(member, event, choices, now):
    price = choose_price(member, event, choices.get("price_id"), now)
    code = _read_code(event, choices["discount_code"], now) if choices.get("discount_code") else None
    return price, code, price.amount - (discount_for(code, price.amount) if code else 0)


def take_offer(member, booking, choices):
    """Pay for a seat offered from the waiting list: by card, the seat stays offered (until the
    offer expires) while the order awaits the provider; by invoice (or at no cost), it is confirmed now."""
    if booking.member_id != member.id:
        raise NotFound("No such booking.")
    pay_by, billing = _read_way_to_pay(choices)
    now = utcnow()
    if booking.status != "offered" or (booking.offer_expires_at and booking.offer_expires_at <= now):
        raise Conflict("This booking has no seat offered to it now.")
    if orders.open_order_of(booking) is not None:
        raise Conflict("This offer already has an order: pay it from its page.")
    event = booking.event
    price, code, gross = _price_and_code(member, event, choices, now)
    card = pay_by == "card" and gross > 0
    _card_payments_set_up(card)
    if code:
        _take_a_use(code)
    order = _order(member, event, booking, price, code, gross, pay_by, billing, choices, now)
    if not card:
        booking_service.confirm_held(booking, now)
    db.session.commit()
    if card:
        _ask_for_payment(order)
    booking.order_document = orders.order_document(order)
    return booking


def _order(member, event, booking, price, code, gross, pay_by, billing, choices, now, provider_reference=None,
           problem=""):
    net, vat = vat_in(gross, price.vat_rate)
    order = Order(member=member, event=event, pay_by=pay_by, currency=current_app.config["CURRENCY"],
                  net=net, vat=vat, total=gross, discount_code_id=code.id if code else None,
                  purchase_order=(choices.get("purchase_order") or "").strip() if pay_by == "invoice" else "",
                  billing_name=(billing.get("name") or member.full_name).strip(),
                  billing_organisation=(billing.get("organisation") or "").strip(),
                  billing_address=(billing.get("address") or "").strip(),
                  billing_email=(billing.get("email") or member.email).strip(),
                  status="awaiting_payment", provider_reference=provider_reference, last_payment_error=problem,
                  documents=[], refunds=[], payments=[])  # loaded: all empty
    order.lines.append(OrderLine(booking=booking, price=price, description=f"{event.title}: {price.name}",
                                 list_amount=price.amount, discount=price.amount - gross, vat_rate=price.vat_rate,
                                 net=net, vat=vat, gross=gross))
    db.session.add(order)
    db.session.flush()
    if gross == 0:
        order.status, order.paid_at = "paid", now
    elif pay_by == "invoice":
        order.status = "invoiced"
        order.due_on = now.date() + timedelta(days=current_app.config["INVOICE_DUE_DAYS"])
        documents.tell_the_buyer(order, documents.issue(order, "invoice", net, vat, gross, now=now))
    return order


def invoice_for_group(buyer, event, bookings, price, billing, purchase_order):
    """One invoiced order for several seats (an organisation booking its people): a line for each
    person, the organisation's billing details and purchase order on the invoice."""
    now = utcnow()
    gross_each = price.amount
    net_each, vat_each = vat_in(gross_each, price.vat_rate)
    total = gross_each * len(bookings)
    net, vat = vat_in(total, price.vat_rate)
    order = Order(member=buyer, event=event, pay_by="invoice", currency=current_app.config["CURRENCY"], net=net,
                  vat=vat, total=total, purchase_order=(purchase_order or "").strip()[:64],
                  billing_name=(billing.get("name") or buyer.full_name).strip()[:200],
                  billing_organisation=(billing.get("organisation") or "").strip()[:200],
                  billing_address=(billing.get("address") or "").strip(),
                  billing_email=(billing.get("email") or buyer.email).strip()[:254],
                  status="invoiced" if total > 0 else "paid", documents=[], refunds=[], payments=[])
    for booking in bookings:
        order.lines.append(OrderLine(booking=booking, price=price,
                                     description=f"{event.title}: {price.name}, for {booking.member.full_name}",
                                     list_amount=price.amount, discount=Decimal("0"), vat_rate=price.vat_rate,
                                     net=net_each, vat=vat_each, gross=gross_each))
    db.session.add(order)
    db.session.flush()
    if total > 0:
        order.due_on = now.date() + timedelta(days=current_app.config["INVOICE_DUE_DAYS"])
        documents.tell_the_buyer(order, documents.issue(order, "invoice", net, vat, total, now=now))
    else:
        order.paid_at = now
    return order


def _ask_for_payment(order):
    """The order's PaymentIntent, when checkout could not make it (its own commit: the seat's
    transaction has ended)."""
    try:
        intent = provider.create_payment_intent(order.total, order.currency,
                                                {"order_id": str(order.id), "event_id": str(order.event_id)},
                                                idempotency_key=f"order-{order.id}-intent")
    except Unavailable as error:
        order.last_payment_error = error.message
    else:
        order.provider_reference, order.last_payment_error = intent.id, ""
    db.session.commit()


def ensure_payment_intent(order):
    """For the pay page: the order's PaymentIntent, asked for again if the provider did not answer at checkout."""
    if order.provider_reference is None and order.status == "awaiting_payment":
        _ask_for_payment(order)
    return order


def pay_with_card(member, order, card_id):
    """The buyer's card (its id, as the provider's script made it: never the number) put to the
    order's PaymentIntent and confirmed at the provider. What the provider's API answers is the
    provider's word, so a payment it reports succeeded is settled now, as its webhook will be."""
    if order.member_id != member.id:
        raise NotFound("No such order.")
    if order.status != "awaiting_payment":
        raise Conflict("This order is not awaiting payment.")
    ensure_payment_intent(order)
    if order.provider_reference is None:
        raise Unavailable(order.last_payment_error or "The payment provider did not answer: please try again.")
    intent = provider.confirm_with_card(order.provider_reference, card_id)
    if intent.status == "succeeded":
        received = intent.to_dict().get("amount_received") or intent.amount
        orders.settle_card_payment(order, from_pennies(received), intent.id)
        db.session.commit()
    return intent
