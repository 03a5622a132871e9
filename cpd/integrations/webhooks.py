"""Webhooks (Standard Webhooks): staff subscribe an address to events; each delivery is signed with
the subscription's `whsec_` secret by the `standardwebhooks` library (headers webhook-id,
webhook-timestamp, webhook-signature), sent by the worker or `flask webhooks send`, retried on the
schedule Standard Webhooks suggests for a day, logged, and replayable. Flushes, never commits."""
import base64
import json
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from standardwebhooks.webhooks import Webhook

from cpd.core import audit
from cpd.core.errors import Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.permissions import ensure_staff
from cpd.extensions import db
from cpd.integrations import transport
from cpd.integrations.models import WebhookDelivery, WebhookSubscription
from cpd.integrations.webhook_events import EVENTS, forget_subscriptions

# After the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (Standard Webhooks' example schedule).
BACK_OFF = (timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
            timedelta(hours=5), timedelta(hours=10), timedelta(hours=10))
URL_LIMIT = 500
DUE_BATCH = 200


def _public_only():
    """Production sends only to https:// public addresses; development and testing also to loopback."""
    return current_app.config["ENV_NAME"] == "production"


def _new_secret():
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def subscribe(actor, values):
    """A new subscription from {url, events}: its secret is shown in the answer this once."""
    ensure_staff(actor, "Only staff subscribe webhooks.")
    url, events = str(values.get("url") or "").strip(), values.get("events")
    errors = {}
    if not url or len(url) > URL_LIMIT:
        errors["url"] = [f"Give the address to send to (at most {URL_LIMIT} characters)."]
    else:
        try:
            transport.check_url(url, _public_only())
        except transport.Refused as refused:
            errors["url"] = [str(refused)]
    if not isinstance(events, list) or not events or any(name not in EVENTS for name in events):
        errors["events"] = [f"Choose one or more of: {', '.join(EVENTS)}."]
    if errors:
        raise Invalid.from_fields(errors)
    subscription = WebhookSubscription(url=url, events=sorted(set(events)), secret=_new_secret(),
                                       created_by_id=actor.id)
    db.session.add(subscription)
    db.session.flush()
    audit.record(actor, "webhook.subscribe", "webhook_subscription", subscription.id, url=url,
                 events=subscription.events)
    forget_subscriptions()
    return subscription


def subscription_search(actor):
    ensure_staff(actor, "Only staff see webhooks.")
    return sa.select(WebhookSubscription).order_by(WebhookSubscription.id)


def get_subscription(actor, subscription_id):
    ensure_staff(actor, "Only staff see webhooks.")
    subscription = db.session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise NotFound("No such webhook.")
    return subscription


def end_subscription(actor, subscription):
    subscription.active = False
    audit.record(actor, "webhook.end", "webhook_subscription", subscription.id)
    db.session.flush()
    forget_subscriptions()


def deliveries_of(subscription):
    return (sa.select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription.id)
            .order_by(WebhookDelivery.id.desc()))


def replay(actor, delivery_id):
    """Send a delivery again (the same message id, so a receiver that has it can tell)."""
    ensure_staff(actor, "Only staff replay webhooks.")
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        raise NotFound("No such delivery.")
    delivery.status, delivery.next_attempt_at = "pending", utcnow()
    audit.record(actor, "webhook.replay", "webhook_delivery", delivery.id)
    db.session.flush()
    return delivery


def _signed(delivery, now):
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True)
    signature = Webhook(delivery.subscription.secret).sign(delivery.message_id, now, body)
    headers = {"webhook-id": delivery.message_id, "webhook-timestamp": str(int(now.timestamp())),
               "webhook-signature": signature}
    return body.encode("utf-8"), headers


def attempt(delivery, now=None):
    """Send `delivery` once and record what happened: delivered on a 2xx; otherwise the next try on
    the back-off schedule, or failed once the retry time (WEBHOOK_RETRY_HOURS) is used up."""
    now = now or utcnow()
    body, headers = _signed(delivery, now)
    delivery.attempts += 1
    try:
        answer = transport.post(delivery.subscription.url, body, headers, _public_only())
        delivery.last_status_code, delivery.last_duration_ms, delivery.last_error = (
            answer.status, answer.duration_ms, "" if 200 <= answer.status < 300 else f"answered {answer.status}")
    except (transport.Refused, OSError) as error:
        delivery.last_status_code, delivery.last_duration_ms = None, None
        delivery.last_error = str(error)[:300] or error.__class__.__name__
    if delivery.last_status_code is not None and 200 <= delivery.last_status_code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", now, None
    else:
        _plan_next_try(delivery, now)
    db.session.flush()
    return delivery


def _plan_next_try(delivery, now):
    gives_up_at = delivery.created_at + timedelta(hours=current_app.config["WEBHOOK_RETRY_HOURS"])
    wait = BACK_OFF[min(delivery.attempts - 1, len(BACK_OFF) - 1)]
    if delivery.attempts > len(BACK_OFF) or now + wait > gives_up_at:
        delivery.status, delivery.next_attempt_at = "failed", None
    else:
        delivery.status, delivery.next_attempt_at = "pending", now + wait


def deliver_one(delivery_id):
    """The worker's job: send one delivery if it is still due (committing what happened)."""
    delivery = db.session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if delivery is not None and delivery.status == "pending" and delivery.next_attempt_at <= utcnow():
        attempt(delivery)
    db.session.commit()


def due_ids(now):
    """The deliveries whose next try has come, oldest first (a batch)."""
    return db.session.scalars(sa.select(WebhookDelivery.id).where(
        WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(DUE_BATCH)).all()


def deliver_due(now=None):
    """Send every delivery that is due, in this process (`flask webhooks send`): (delivered, not)."""
    now = now or utcnow()
    delivered = failed = 0
    for delivery_id in due_ids(now):
        delivery = db.session.get(WebhookDelivery, delivery_id, with_for_update=True)
        if delivery is None or delivery.status != "pending":
            continue
        attempt(delivery, now)
        delivered += delivery.status == "delivered"
        failed += delivery.status != "delivered"
        db.session.commit()
    return delivered, failed
