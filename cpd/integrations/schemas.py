import marshmallow as ma

from cpd.core.pagination import PageArgsSchema, list_schema
from cpd.integrations.webhook_events import EVENTS


class WebhookRequestSchema(ma.Schema):
    url = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))
    events = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(EVENTS)), required=True,
                            validate=ma.validate.Length(min=1, max=len(EVENTS)),
                            metadata={"description": f"any of: {', '.join(EVENTS)}"})


class WebhookSchema(ma.Schema):
    id = ma.fields.Integer()
    url = ma.fields.String()
    events = ma.fields.List(ma.fields.String())
    active = ma.fields.Boolean()
    created_at = ma.fields.AwareDateTime()


class NewWebhookSchema(WebhookSchema):
    secret = ma.fields.String(metadata={"description": "the whsec_ signing secret: shown this once"})


WebhookListSchema = list_schema(WebhookSchema, "WebhookList")


class WebhookDeliverySchema(ma.Schema):
    id = ma.fields.Integer()
    message_id = ma.fields.String()
    event_type = ma.fields.String()
    status = ma.fields.String(metadata={"enum": ["pending", "delivered", "failed"]})
    attempts = ma.fields.Integer()
    next_attempt_at = ma.fields.AwareDateTime(allow_none=True)
    last_status_code = ma.fields.Integer(allow_none=True)
    last_duration_ms = ma.fields.Integer(allow_none=True)
    last_error = ma.fields.String()
    created_at = ma.fields.AwareDateTime()
    delivered_at = ma.fields.AwareDateTime(allow_none=True)
    payload = ma.fields.Dict()


WebhookDeliveryListSchema = list_schema(WebhookDeliverySchema, "WebhookDeliveryList")


class TakenStatementSchema(ma.Schema):
    """An xAPI statement taken from a learning system."""

    id = ma.fields.Integer()
    statement_id = ma.fields.String()
    system = ma.fields.String(metadata={"description": "the client's name, or the learning record store's host"})
    verb = ma.fields.String(metadata={"enum": ["completed", "passed", "voided"]})
    actor_email = ma.fields.String()
    actor_account = ma.fields.String()
    activity_id = ma.fields.String()
    activity_name = ma.fields.String()
    hours = ma.fields.Float(allow_none=True)
    happened_on = ma.fields.Date()
    member_id = ma.fields.Integer(allow_none=True)
    voided = ma.fields.Boolean()
    received_at = ma.fields.AwareDateTime()


TakenStatementListSchema = list_schema(TakenStatementSchema, "TakenStatementList")


class UnmatchedArgsSchema(PageArgsSchema):
    q = ma.fields.String(load_default="", validate=ma.validate.Length(max=100),
                         metadata={"description": "words in the actor's email or the activity's name"})


class MatchRequestSchema(ma.Schema):
    member_id = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=2**31 - 1))
