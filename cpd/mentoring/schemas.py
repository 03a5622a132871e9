import marshmallow as ma

from cpd.core.limits import RECORD_HOURS


class MentorInviteSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(min=3, max=254))


class MentorshipSchema(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    status = ma.fields.String(metadata={"enum": ["invited", "active", "ended"]})
    invited_at = ma.fields.AwareDateTime()
    active_since = ma.fields.Date(allow_none=True)
    ended_on = ma.fields.Date(allow_none=True)


class MentorshipListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MentorshipSchema))


class MenteeSchema(ma.Schema):
    id = ma.fields.Integer()
    mentee_id = ma.fields.Integer()
    mentee_name = ma.fields.Function(lambda m: m.mentee.full_name)
    status = ma.fields.String(metadata={"enum": ["invited", "active"]})
    active_since = ma.fields.Date(allow_none=True)


class MenteeListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MenteeSchema))


class CommentRequestSchema(ma.Schema):
    text = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=5000))
    record_id = ma.fields.Integer(load_default=None, allow_none=True,
                                  validate=ma.validate.Range(min=1, max=2**31 - 1))


class CommentSchema(ma.Schema):
    id = ma.fields.Integer()
    record_id = ma.fields.Integer(allow_none=True)
    text = ma.fields.String()
    created_at = ma.fields.AwareDateTime()
    by = ma.fields.Function(lambda c: c.mentorship.email)


class CommentListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CommentSchema))


class MeetingRequestSchema(ma.Schema):
    on = ma.fields.Date(required=True)
    hours = ma.fields.Float(required=True, allow_nan=False, validate=ma.validate.Range(
        min=RECORD_HOURS.low, min_inclusive=False, max=RECORD_HOURS.high))
    notes = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))
