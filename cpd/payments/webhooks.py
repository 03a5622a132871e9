"""The provider's webhook, applied once: the event's id is stored with the change it made, in one
transaction, so a replay (or two deliveries at once: the second waits on the first's row, then
finds it) changes nothing; and each change checks the order's state, so events arriving out of
order (a failure reported after the success) cannot undo what a later one did."""
import sqlalchemy as sa

from cpd.extensions import db
from cpd.payments import orders, refunds
from cpd.payments.models import ProviderEvent
from cpd.payments.money import from_pennies

HANDLED = ("payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded")


def _already_applied(event_id):
    return db.session.get(ProviderEvent, event_id) is not None


def apply(event):
    """'applied', 'replayed', 'ignored' (a kind we do not act on) or 'unknown' (no order of ours)."""
    if event.type not in HANDLED:
        return "ignored"
    if _already_applied(event.id):
        return "replayed"
    intent = event.data.object.to_dict()
    reference = intent.get("payment_intent") if event.type == "charge.refunded" else intent.get("id")
    order = orders.order_for_reference(reference)
    try:
        with db.session.begin_nested():
            db.session.add(ProviderEvent(id=event.id, kind=event.type, order_id=order.id if order else None))
    except sa.exc.IntegrityError:
        return "replayed"
    if order is None:
        return "unknown"
    if event.type == "payment_intent.succeeded":
        received = intent.get("amount_received") or intent.get("amount")
        orders.settle_card_payment(order, from_pennies(received), intent["id"])
    elif event.type == "charge.refunded":
        refunds.refunded_at_provider(order, from_pennies(intent.get("amount_refunded") or 0))
    else:
        error = intent.get("last_payment_error") or {}
        orders.note_failed_payment(order, error.get("message"))
    return "applied"
