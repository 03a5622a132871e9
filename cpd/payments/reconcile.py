"""Settling what a lost webhook left: every order still awaiting its card payment is asked about at
the provider (paid there: settled here, as the webhook would have), an order whose PaymentIntent
was never made (the provider did not answer at checkout) gets one, and every refund not yet
settled is asked for again (its idempotency key makes that safe). Held seats and offers that
lapsed are released. Safe to run at any time, and twice."""
import sqlalchemy as sa

from cpd.core.errors import Unavailable
from cpd.core.models import utcnow
from cpd.events import booking as booking_service
from cpd.extensions import db
from cpd.payments import checkout, orders, provider, refunds
from cpd.payments.models import Order
from cpd.payments.money import from_pennies


def _open_card_orders():
    return db.session.scalars(sa.select(Order).where(Order.status == "awaiting_payment", Order.pay_by == "card")
                              .order_by(Order.id)).all()


def _settle_from_provider(order):
    if order.provider_reference is None:
        checkout.ensure_payment_intent(order)
        return "asked"
    intent = provider.payment_intent(order.provider_reference)
    if intent.status != "succeeded":
        return "open"
    received = intent.to_dict().get("amount_received") or intent.amount
    orders.settle_card_payment(order, from_pennies(received), intent.id)
    db.session.commit()
    return "paid"


def reconcile(now=None):
    """{what: how many}: paid (settled from the provider), asked (a PaymentIntent made), open
    (still unpaid), refunded, refund_failed, released (lapsed holds and offers), unreachable."""
    now = now or utcnow()
    counts = {"paid": 0, "asked": 0, "open": 0, "refunded": 0, "refund_failed": 0, "released": 0, "unreachable": 0}
    if provider.is_configured():
        for order in _open_card_orders():
            try:
                counts[_settle_from_provider(order)] += 1
            except Unavailable:
                db.session.rollback()
                counts["unreachable"] += 1
        for refund_row in refunds.unsettled():
            settled = refunds.settle(refund_row, now)
            counts["refunded" if settled.status == "succeeded" else "refund_failed"] += 1
    counts["released"] = booking_service.release_every_lapsed_hold(now)
    return counts
