"""Stripe, through its official library: a PaymentIntent per card order (created with an
idempotency key, so a retry never makes a second charge), asking about one, refunding, and reading
a webhook whose signature the library checks. STRIPE_API_BASE points the library elsewhere (the
tests' localstripe); production refuses to start with a plain-HTTP or private one (cpd.create_app)."""
import stripe
from flask import current_app

from cpd.core.errors import Invalid, Unavailable
from cpd.payments.money import pennies

UNREACHABLE = (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError)


def is_configured():
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


# One client per key and address in each process, so its connections to the provider are kept
# open between requests (a new one per call spent a third of a hold on connecting).
_CLIENTS = {}


def _client():
    config = current_app.config
    if not config.get("STRIPE_SECRET_KEY"):
        raise Invalid("Card payments are not set up here: choose to pay by invoice.", {
            "pay_by": ["Card payments are not set up here."]})
    base = (config.get("STRIPE_API_BASE") or "").rstrip("/")  # production refused a private one at start-up
    key = (config["STRIPE_SECRET_KEY"], base)
    if key not in _CLIENTS:
        _CLIENTS[key] = stripe.StripeClient(key[0], base_addresses={"api": base} if base else {},
                                            max_network_retries=2, http_client=stripe.RequestsClient(timeout=10))
    return _CLIENTS[key]


def _unavailable(error):
    current_app.logger.warning("payment provider unavailable: %s", error)
    return Unavailable("The payment provider did not answer. Your seat is still held: please try again "
                       "in a moment; nothing has been charged.")


def create_payment_intent(amount, currency, metadata, idempotency_key):
    """A PaymentIntent for `amount`, made once however often the library retries (its key)."""
    try:
        return _client().v1.payment_intents.create(params={
            "amount": pennies(amount), "currency": currency.lower(), "metadata": metadata,
        }, options={"idempotency_key": idempotency_key})
    except UNREACHABLE as error:
        raise _unavailable(error) from None


def cancel_payment_intent(reference):
    """Best effort: a PaymentIntent nobody will pay (the seat it was for went to someone else).
    One left open does no harm: it is never confirmed, and Stripe lets it lapse."""
    try:
        _client().v1.payment_intents.cancel(reference)
    except stripe.StripeError as error:
        current_app.logger.info("payment intent %s left open: %s", reference, error)


def confirm_with_card(reference, card_id):
    """Put the buyer's card on the PaymentIntent and confirm it. A declined card is a 422 in the
    provider's words; a card needing authentication comes back with status requires_action."""
    client = _client()
    try:
        client.v1.payment_intents.update(reference, params={"payment_method": card_id})
        return client.v1.payment_intents.confirm(reference)
    except UNREACHABLE as error:
        raise _unavailable(error) from None
    except stripe.CardError as error:
        raise Invalid.on_field("card", error.user_message or "The card was declined.") from None
    except stripe.InvalidRequestError as error:
        raise Invalid.on_field("card", error.user_message or "The card could not be used.") from None


def payment_intent(reference):
    try:
        return _client().v1.payment_intents.retrieve(reference)
    except UNREACHABLE as error:
        raise _unavailable(error) from None


def refund(order, refund_row):
    """A refund of part or all of the order's card payment, made once whatever the retries. Returns
    the provider's refund; raises Unavailable when it does not answer, stripe.StripeError when it refuses."""
    try:
        return _client().v1.refunds.create(params={
            "payment_intent": order.provider_reference, "amount": pennies(refund_row.amount),
            "metadata": {"order_id": str(order.id), "refund_id": str(refund_row.id)},
        }, options={"idempotency_key": f"order-{order.id}-refund-{refund_row.id}"})
    except UNREACHABLE as error:
        raise _unavailable(error) from None


def read_webhook(payload, signature):
    """The provider's event, if its signature is good; None if not (the caller answers 400)."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret or not signature:
        return None
    try:
        return stripe.Webhook.construct_event(payload, signature, secret)
    except (stripe.SignatureVerificationError, ValueError):
        return None
