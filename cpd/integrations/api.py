"""/api/v1/webhooks: staff subscribe addresses to the platform's events, read each one's deliveries,
and replay one."""
from cpd.core.api import Blueprint, documents_errors
from cpd.core.pagination import PageArgsSchema, paginate
from cpd.extensions import db
from cpd.integrations import webhooks
from cpd.integrations.schemas import (NewWebhookSchema, WebhookDeliveryListSchema, WebhookDeliverySchema,
                                      WebhookListSchema, WebhookRequestSchema, WebhookSchema)
from cpd.web.current import require_staff, staff_only

blp = Blueprint("api_integrations", __name__, description="Webhooks to the body's other systems")


@blp.route("/webhooks", methods=["POST"])
@staff_only
@blp.arguments(WebhookRequestSchema)
@blp.response(201, NewWebhookSchema)
@documents_errors(blp, 401, 403, 422)
def subscribe(values):
    """Subscribe an address to events (staff); the answer carries the signing secret, this once"""
    subscription = webhooks.subscribe(require_staff(), values)
    db.session.commit()
    return subscription


@blp.route("/webhooks", methods=["GET"])
@staff_only
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, WebhookListSchema)
@documents_errors(blp, 401, 403, 422)
def subscriptions(args):
    """The webhooks (staff)"""
    return paginate(webhooks.subscription_search(require_staff()), args["page"], args["per_page"])


@blp.route("/webhooks/<int:subscription_id>", methods=["DELETE"])
@staff_only
@blp.response(200, WebhookSchema)
@documents_errors(blp, 401, 403, 404)
def end(subscription_id):
    """End a webhook: nothing more is sent to it"""
    actor = require_staff()
    subscription = webhooks.get_subscription(actor, subscription_id)
    webhooks.end_subscription(actor, subscription)
    db.session.commit()
    return subscription


@blp.route("/webhooks/<int:subscription_id>/deliveries")
@staff_only
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, WebhookDeliveryListSchema)
@documents_errors(blp, 401, 403, 404, 422)
def deliveries(args, subscription_id):
    """A webhook's deliveries, newest first: status, attempts, the last answer's code and time"""
    subscription = webhooks.get_subscription(require_staff(), subscription_id)
    return paginate(webhooks.deliveries_of(subscription), args["page"], args["per_page"])


@blp.route("/webhook-deliveries/<int:delivery_id>/replay", methods=["POST"])
@staff_only
@blp.response(200, WebhookDeliverySchema)
@documents_errors(blp, 401, 403, 404)
def replay(delivery_id):
    """Send a delivery again (the same webhook-id)"""
    delivery = webhooks.replay(require_staff(), delivery_id)
    db.session.commit()
    return delivery
