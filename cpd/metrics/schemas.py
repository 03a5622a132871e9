import marshmallow as ma

from cpd.core.limits import CYCLE_YEAR, FIGURES_YEAR
COUNTS = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


class KpiArgsSchema(ma.Schema):
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(min=FIGURES_YEAR.low, max=FIGURES_YEAR.high))


class RegistrationsSchema(ma.Schema):
    awarded = COUNTS
    held = COUNTS


class EngagedSchema(ma.Schema):
    members_engaged = ma.fields.Integer()
    non_members_engaged = ma.fields.Integer()


class TrainingSchema(EngagedSchema):
    share_of_members = ma.fields.Float()
    with_publications = ma.fields.Nested(EngagedSchema, metadata={
        "description": "attended a course or conference, or logged reading a publication"})


class CpdFiguresSchema(ma.Schema):
    hours_logged = ma.fields.Float()
    members_meeting_policy = ma.fields.Integer()
    share_meeting_policy = ma.fields.Float()
    # Today's count is read from the members' stored standings: the day of the round they are as of
    # (changes since are in them too). Null for a year measured from every log.
    standings_as_of = ma.fields.Date(dump_default=None, allow_none=True)


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


class EngagementFiguresSchema(ma.Schema):
    conference_attendances = ma.fields.Integer()
    sig_attendances = ma.fields.Integer()
    sig_members = ma.fields.Integer()
    government = ma.fields.Integer()
    government_by_topic = COUNTS


class EducationSchema(ma.Schema):
    resources_published = ma.fields.Integer()
    resources_available = ma.fields.Integer()
    downloads = ma.fields.Integer()
    outreach_events = ma.fields.Integer()


class PartnersSchema(ma.Schema):
    organisations = ma.fields.Integer()
    members_sponsored = ma.fields.Integer()
    members_in_approved_schemes = ma.fields.Integer()
    mentoring_pairs = ma.fields.Integer()


class RecognitionSchema(ma.Schema):
    fellows = ma.fields.Integer()
    ambassadors = ma.fields.Integer()
    technical_supporters = ma.fields.Integer()


class RatingSchema(ma.Schema):
    average_rating = ma.fields.Float(allow_none=True)
    responses = ma.fields.Integer()


class SatisfactionSchema(RatingSchema):
    by_kind = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(RatingSchema))
    survey = ma.fields.Nested(RatingSchema)


class PublicationFiguresSchema(ma.Schema):
    reads = ma.fields.Integer()
    readers = ma.fields.Integer()
    members_reading = ma.fields.Integer()


SUPPRESSED_COUNTS = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(allow_none=True),
                                   metadata={"description": "counts below 5 are null"})


class DiversitySchema(ma.Schema):
    gender = SUPPRESSED_COUNTS
    age_band = SUPPRESSED_COUNTS
    ethnicity = SUPPRESSED_COUNTS
    disability = SUPPRESSED_COUNTS


class ApplicationFiguresSchema(ma.Schema):
    submitted = ma.fields.Integer()
    ratified = ma.fields.Integer()
    declined = ma.fields.Integer()
    median_days_to_decision = ma.fields.Float(allow_none=True)
    by_status = COUNTS


class RevalidationFiguresSchema(ma.Schema):
    declared = ma.fields.Integer()
    audited = ma.fields.Integer()
    outcomes = COUNTS


class IncomeSchema(ma.Schema):
    gross = ma.fields.String(metadata={"description": "invoiced in the year, VAT included"})
    refunded = ma.fields.String(metadata={"description": "credited in the year"})
    by_kind = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


class KpiSchema(ma.Schema):
    year = ma.fields.Integer()
    registrations = ma.fields.Nested(RegistrationsSchema)
    training = ma.fields.Nested(TrainingSchema)
    cpd = ma.fields.Nested(CpdFiguresSchema)
    membership = ma.fields.Nested(MembershipFiguresSchema)
    membership_engagement = ma.fields.Nested(MembershipEngagementSchema)
    outreach = ma.fields.Nested(OutreachSchema)
    engagement = ma.fields.Nested(EngagementFiguresSchema)
    recognition = ma.fields.Nested(RecognitionSchema)
    satisfaction = ma.fields.Nested(SatisfactionSchema)
    publications = ma.fields.Nested(PublicationFiguresSchema)
    diversity = ma.fields.Nested(DiversitySchema)
    applications = ma.fields.Nested(ApplicationFiguresSchema)
    revalidation = ma.fields.Nested(RevalidationFiguresSchema)
    income = ma.fields.Nested(IncomeSchema)
    education = ma.fields.Nested(EducationSchema)
    partners = ma.fields.Nested(PartnersSchema)
    explanations = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


class TargetArgsSchema(ma.Schema):
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(min=CYCLE_YEAR.low, max=CYCLE_YEAR.high))


class TargetChangeSchema(ma.Schema):
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(min=CYCLE_YEAR.low, max=CYCLE_YEAR.high))
    measure = ma.fields.String(required=True, validate=ma.validate.Length(max=64))
    target = ma.fields.Float(required=True, allow_none=True, allow_nan=False,
                             metadata={"description": "null removes it; a share as a fraction"})


class TargetsSchema(ma.Schema):
    year = ma.fields.Integer()
    targets = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float())
    measures = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(),
                              metadata={"description": "every measure a target can be set for, with its name"})
