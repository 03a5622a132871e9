"""Refunds and credit notes. A buyer who cancels before the event's refund deadline (its
`refund_deadline`, else its cancellation deadline, else its start) is refunded in full; after it,
the seat is freed without refund and the notice says so. Cancelling an event refunds every paid
order. Staff refund any order in part or whole (never their own: one person, one role).

A card refund is recorded as pending in the cancellation's transaction and made with the provider
after that transaction has committed (`settle`, with an idempotency key, so a retry never refunds
twice); one the provider refuses or does not answer stays visible to staff and `flask payments
reconcile` tries it again. A refund against an invoice is a credit note at once. Every settled
refund has its credit note, numbered in its own unbroken sequence."""
import functools
from decimal import Decimal

import sqlalchemy as sa
import stripe

from cpd.core.errors import Conflict, Invalid, Unavailable
from cpd.core.models import utcnow
from cpd.core.urls import public_url
from cpd.extensions import db
from cpd.notices import queue_notice
from cpd.payments import documents, orders, provider
from cpd.payments.models import Order, OrderLine, OrderRefund
from cpd.payments.money import read_amount, text, vat_in


# Set on the session by a card refund recorded in its unit of work: settle_event_refunds looks only then.
CARD_REFUNDS_RECORDED = "card_refunds_recorded"


def refund_deadline(event):
    return event.refund_deadline or event.cancellation_deadline or event.starts_at


def _rate_of(order):
    return order.lines[0].vat_rate if order.lines else Decimal("0")


def _settle_status(order):
    if order.refunded >= order.total and order.total > 0:
        order.status = "refunded"
    elif order.refunded > 0:
        order.status = "part_refunded"


def _credit(order, refund_row, now):
    net, vat = vat_in(refund_row.amount, _rate_of(order))
    note = documents.issue(order, "credit_note", net, vat, refund_row.amount, reason=refund_row.reason, now=now)
    refund_row.status, refund_row.settled_at, refund_row.credit_note_id, refund_row.error = "succeeded", now, note.id, ""
    order.refunded += refund_row.amount
    _settle_status(order)
    if order.member is not None:
        queue_notice(order.member, "refund_issued", f"Refund of {order.currency} {text(refund_row.amount)}: {order.event.title}",
                     f"We have refunded {order.currency} {text(refund_row.amount)} of order {order.number} for "
                     f"{order.event.title}. Credit note {note.number} is in My bookings."
                     + (" The money goes back to the card you paid with; it can take a few days to arrive."
                        if order.pay_by == "card" else ""), event_id=order.event_id,
                     links=[("My bookings", public_url("events.my_bookings"))])
    return note


def request_refund(order, amount, reason, actor=None, now=None):
    """A refund of `amount` (at most what is refundable): a credit note now (invoice), or pending
    until `settle` asks the provider (card). Part of the caller's transaction."""
    now = now or utcnow()
    if amount <= 0 or amount > order.refundable:
        raise Invalid.on_field("amount", f"At most {text(order.refundable)} may be refunded on this order.")
    refund_row = OrderRefund(order=order, amount=amount, reason=reason[:500], status="pending",
                             requested_by_id=actor.id if actor else None)
    db.session.add(refund_row)
    db.session.flush()
    if order.pay_by != "card":
        _credit(order, refund_row, now)
    else:
        db.session.info[CARD_REFUNDS_RECORDED] = True
    return refund_row


def settle(refund_row, now=None):
    """Ask the provider for a pending (or failed) card refund, and commit what it answered."""
    now = now or utcnow()
    order = refund_row.order
    try:
        answer = provider.refund(order, refund_row)
    except Unavailable as error:
        refund_row.status, refund_row.error = "failed", error.message[:500]
    except stripe.StripeError as error:
        refund_row.status, refund_row.error = "failed", (error.user_message or str(error))[:500]
    else:
        refund_row.provider_reference = answer.id
        if answer.status in ("succeeded", "pending"):
            _credit(order, refund_row, now)
        else:
            refund_row.status, refund_row.error = "failed", f"The provider answered {answer.status}."
    db.session.commit()
    return refund_row


def unsettled(order_ids=None, event_id=None):
    statement = sa.select(OrderRefund).where(OrderRefund.status.in_(("pending", "failed")))
    if event_id is not None:
        statement = statement.join(Order, Order.id == OrderRefund.order_id).where(Order.event_id == event_id)
    return db.session.scalars(statement.order_by(OrderRefund.id)).all()


def settle_event_refunds(event_id):
    """Once a cancellation has committed: the card refunds it recorded, asked of the provider (with
    any of the event's that an earlier request recorded and did not live to settle). A cancellation
    that recorded none (a seat held, never paid for) asks nothing of the database either."""
    if not db.session.info.pop(CARD_REFUNDS_RECORDED, False):
        return
    for refund_row in unsettled(event_id=event_id):
        if refund_row.status == "pending":
            settle(refund_row)


@functools.cache
def _orders_of_bookings():
    """Built once: every cancelled booking, free ones included, asks it."""
    return (sa.select(Order).join(OrderLine, OrderLine.order_id == Order.id)
            .where(OrderLine.booking_id.in_(sa.bindparam("ids", expanding=True))).distinct())


def bookings_cancelled(bookings, now, whole_event):
    """cpd.events tells us of cancelled bookings: an unpaid order is cancelled; a paid (or invoiced)
    one is refunded before the deadline, or when the body cancelled the event; after it, not."""
    ids = [booking.id for booking in bookings]
    affected = db.session.scalars(_orders_of_bookings(), {"ids": ids}).all()
    for order in affected:
        if order.status == "awaiting_payment":
            order.status = "cancelled"
        elif order.refundable > 0 and (whole_event or now < refund_deadline(order.event)):
            reason = "The event was cancelled." if whole_event else "Booking cancelled before the refund deadline."
            request_refund(order, _credit_for(order, ids), reason, now=now)
        elif order.refundable > 0 and order.member is not None:
            queue_notice(order.member, "no_refund", f"Cancelled without refund: {order.event.title}",
                         f"Your place at {order.event.title} is cancelled. It was cancelled after the refund "
                         f"deadline, so order {order.number} is not refunded.", event_id=order.event_id,
                         links=[("My bookings", public_url("events.my_bookings"))])


def _credit_for(order, booking_ids):
    """What cancelling these bookings gives back: their lines (an organisation's order for several
    people credits the one cancelled), never more than may still be refunded."""
    lines = sum((line.gross for line in order.lines if line.booking_id in booking_ids), Decimal("0"))
    return min(order.refundable, lines)


def staff_refund(actor, order, changes):
    """Staff refund part or all of an order, and the card refund is asked for at once."""
    orders.staff_other_than_the_buyer(actor, order, "refund it")
    errors = {}
    amount = read_amount(changes.get("amount"), "amount", errors, allow_zero=False)
    reason = " ".join(str(changes.get("reason") or "").split())
    if not reason:
        errors["reason"] = ["Say why the order is refunded (it goes on the credit note)."]
    if errors:
        raise Invalid.from_fields(errors)
    if order.status not in ("paid", "invoiced", "part_refunded"):
        raise Conflict(f"This order is {order.status.replace('_', ' ')}: there is nothing to refund.")
    refund_row = request_refund(order, amount, reason, actor=actor)
    db.session.commit()
    if refund_row.status == "pending":
        settle(refund_row)
    return refund_row


def refunded_at_provider(order, provider_total):
    """The provider reports `provider_total` refunded on the order's payment (a charge.refunded
    event): what we have not recorded (a refund made in the provider's dashboard) is recorded now,
    with its credit note. Refunds we made are known already, so a report of them changes nothing."""
    known = sum((r.amount for r in order.refunds if r.status == "succeeded"), Decimal("0"))
    extra = min(provider_total - known, order.refundable)
    if extra > 0:
        refund_row = OrderRefund(order=order, amount=extra, reason="Refunded at the payment provider.",
                                 status="pending")
        db.session.add(refund_row)
        db.session.flush()
        _credit(order, refund_row, utcnow())
