import marshmallow as ma

from cpd.core.pagination import PageArgsSchema, list_schema
from cpd.core.schemas import Text, one_of
from cpd.engagement.vocabulary import ENGAGEMENT_KINDS, ENGAGEMENT_TOPICS, SUPPORTER_KINDS
from cpd.core.limits import NOTES


class EngagementSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    kind = ma.fields.String(required=True, validate=one_of(list(ENGAGEMENT_KINDS)))
    organisation = Text(required=True, min_length=1, max_length=200)
    title = Text(required=True, min_length=1, max_length=300)
    happened_on = ma.fields.Date(required=True)
    notes = ma.fields.String(load_default="", validate=ma.validate.Length(max=NOTES.high))
    topics = ma.fields.List(ma.fields.String(), load_default=list, validate=ma.validate.Length(max=len(ENGAGEMENT_TOPICS)),
                            metadata={"description": f"what it was about: any of {', '.join(ENGAGEMENT_TOPICS)}"})


EngagementListSchema = list_schema(EngagementSchema, "EngagementList")


class EngagementArgsSchema(PageArgsSchema):
    kind = ma.fields.String(validate=one_of(list(ENGAGEMENT_KINDS)))


class SupporterSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    name = Text(required=True, min_length=1, max_length=200)
    kind = ma.fields.String(required=True, validate=one_of(list(SUPPORTER_KINDS)))
    since = ma.fields.Date(required=True)
    until = ma.fields.Date(allow_none=True, load_default=None)


SupporterListSchema = list_schema(SupporterSchema, "TechnicalSupporterList")
