import marshmallow as ma

from cpd.core.pagination import PageArgsSchema, list_schema
from cpd.core.limits import DESCRIPTION, NAME
from cpd.core.schemas import Text, one_of
from cpd.events.schemas import EventSchema
from cpd.members.vocabulary import DISCIPLINES


class SigSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    name = Text(required=True, min_length=NAME.low, max_length=NAME.high)
    discipline = ma.fields.String(allow_none=True, load_default=None, validate=one_of(list(DISCIPLINES)))
    description = Text(load_default="", max_length=DESCRIPTION.high)
    leads = ma.fields.List(ma.fields.Integer(), attribute="lead_ids", dump_only=True)
    member_count = ma.fields.Integer(dump_only=True)


class SigChangeSchema(ma.Schema):
    name = Text(min_length=NAME.low, max_length=NAME.high)
    discipline = ma.fields.String(allow_none=True, validate=one_of(list(DISCIPLINES)))
    description = Text(max_length=DESCRIPTION.high)


class SigDetailSchema(SigSchema):
    upcoming_sessions = ma.fields.List(ma.fields.Nested(EventSchema), dump_only=True)
    past_sessions = ma.fields.List(ma.fields.Nested(EventSchema), dump_only=True)


SigListSchema = list_schema(SigSchema, "SigList")


class SigSearchArgsSchema(PageArgsSchema):
    discipline = ma.fields.String(validate=one_of(list(DISCIPLINES)))


class SigMembershipSchema(ma.Schema):
    sig_id = ma.fields.Integer()
    member_id = ma.fields.Integer()
    joined_at = ma.fields.AwareDateTime()


class ReachSchema(ma.Schema):
    young_people = ma.fields.Integer(required=True, strict=True)
    parents = ma.fields.Integer(required=True, strict=True)
    teachers = ma.fields.Integer(required=True, strict=True)


class ReachOutSchema(ReachSchema):
    event_id = ma.fields.Integer()
    recorded_at = ma.fields.AwareDateTime()


class LedSessionSchema(ma.Schema):
    event = ma.fields.Nested(EventSchema)
    confirmed = ma.fields.Integer()
    fill_rate = ma.fields.Float(allow_none=True)
    attended = ma.fields.Integer(allow_none=True)
    attendance_rate = ma.fields.Float(allow_none=True)


class LedSigSchema(ma.Schema):
    sig = ma.fields.Nested(SigSchema)
    sessions = ma.fields.List(ma.fields.Nested(LedSessionSchema))


class LedSigListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(LedSigSchema), required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
