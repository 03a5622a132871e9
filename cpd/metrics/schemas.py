import marshmallow as ma

COUNTS = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


class KpiArgsSchema(ma.Schema):
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1900, max=9999))


class RegistrationsSchema(ma.Schema):
    awarded = COUNTS
    held = COUNTS


class TrainingSchema(ma.Schema):
    members_engaged = ma.fields.Integer()
    non_members_engaged = ma.fields.Integer()
    share_of_members = ma.fields.Float()


class CpdFiguresSchema(ma.Schema):
    hours_logged = ma.fields.Float()
    members_meeting_policy = ma.fields.Integer()
    share_meeting_policy = ma.fields.Float()


class MembershipFiguresSchema(ma.Schema):
    by_discipline = COUNTS
    by_sector = COUNTS
    by_career_stage = COUNTS
    by_grade = COUNTS


class MembershipEngagementSchema(ma.Schema):
    by_discipline = COUNTS
    by_career_stage = COUNTS


class OutreachSchema(ma.Schema):
    young_people = ma.fields.Integer()
    parents = ma.fields.Integer()
    teachers = ma.fields.Integer()


class EngagementSchema(ma.Schema):
    conference_attendances = ma.fields.Integer()
    sig_attendances = ma.fields.Integer()
    sig_members = ma.fields.Integer()


class RecognitionSchema(ma.Schema):
    fellows = ma.fields.Integer()
    ambassadors = ma.fields.Integer()


class RatingSchema(ma.Schema):
    average_rating = ma.fields.Float(allow_none=True)
    responses = ma.fields.Integer()


class SatisfactionSchema(RatingSchema):
    by_kind = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(RatingSchema))


class KpiSchema(ma.Schema):
    year = ma.fields.Integer()
    registrations = ma.fields.Nested(RegistrationsSchema)
    training = ma.fields.Nested(TrainingSchema)
    cpd = ma.fields.Nested(CpdFiguresSchema)
    membership = ma.fields.Nested(MembershipFiguresSchema)
    membership_engagement = ma.fields.Nested(MembershipEngagementSchema)
    outreach = ma.fields.Nested(OutreachSchema)
    engagement = ma.fields.Nested(EngagementSchema)
    recognition = ma.fields.Nested(RecognitionSchema)
    satisfaction = ma.fields.Nested(SatisfactionSchema)
    explanations = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
