import marshmallow as ma

from cpd.core.pagination import PageArgsSchema, list_schema
from cpd.core.schemas import Text, one_of
from cpd.registration.vocabulary import APPLICATION_STATUSES, ASSESSMENT_RESULTS, RECOMMENDATIONS
from cpd.core.limits import CODE, DATABASE_ID, RECORDS_AT_ONCE


class CompetenceSchema(ma.Schema):
    code = ma.fields.String()
    area = ma.fields.String()
    statement = ma.fields.String()


class TitleSchema(ma.Schema):
    title = ma.fields.String()
    name = ma.fields.String()
    register = ma.fields.String()
    level = ma.fields.Integer()
    competences = ma.fields.List(ma.fields.Nested(CompetenceSchema))


class MapEntrySchema(CompetenceSchema):
    records = ma.fields.List(ma.fields.Dict())
    objectives = ma.fields.List(ma.fields.Dict())


class CompetenceMapSchema(ma.Schema):
    title = ma.fields.String()
    name = ma.fields.String()
    competences = ma.fields.List(ma.fields.Nested(MapEntrySchema))
    gaps = ma.fields.List(ma.fields.String())


class ApplicationSupporterSchema(ma.Schema):
    name = ma.fields.String()
    email = ma.fields.String()


class StepSchema(ma.Schema):
    status = ma.fields.String()
    step = ma.fields.String()
    actor_id = ma.fields.Integer(allow_none=True)
    comment = ma.fields.String()
    at = ma.fields.AwareDateTime()


class AssessmentSchema(ma.Schema):
    assessor_id = ma.fields.Integer(allow_none=True)
    competences = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    comment = ma.fields.String()
    recommendation = ma.fields.String(allow_none=True)
    assessed_at = ma.fields.AwareDateTime(allow_none=True)


class ApplicationSchema(ma.Schema):
    id = ma.fields.Integer()
    member_id = ma.fields.Integer()
    title = ma.fields.String()
    status = ma.fields.String(metadata={"enum": list(APPLICATION_STATUSES)})
    statements = ma.fields.Method("_statements")
    supporter = ma.fields.Method("_supporter")
    record_ids = ma.fields.Method("_record_ids")
    assessors = ma.fields.Method("_assessors")
    history = ma.fields.List(ma.fields.Nested(StepSchema))
    submitted_at = ma.fields.AwareDateTime(allow_none=True)
    decided_at = ma.fields.AwareDateTime(allow_none=True)

    def _statements(self, application):
        return {s.code: s.text for s in application.statements}

    def _supporter(self, application):
        if not application.supporter_email:
            return None
        return {"name": application.supporter_name, "email": application.supporter_email}

    def _record_ids(self, application):
        return sorted(e.record_id for e in application.evidence)

    def _assessors(self, application):
        return [a.assessor_id for a in application.assessors]


ApplicationListSchema = list_schema(ApplicationSchema, "ApplicationList")


class ReviewedApplicationSchema(ApplicationSchema):
    """For staff and assessors: with the assessments they may see."""

    assessments = ma.fields.List(ma.fields.Nested(AssessmentSchema))


class StartSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(max=CODE.high))


class DraftChangeSchema(ma.Schema):
    statements = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(),
                                metadata={"description": "{competence code: text}; an empty text removes one"})
    supporter = ma.fields.Nested(ApplicationSupporterSchema)
    record_ids = ma.fields.List(ma.fields.Integer(validate=ma.validate.Range(min=DATABASE_ID.low, max=DATABASE_ID.high)),
                                validate=ma.validate.Length(max=RECORDS_AT_ONCE.high))


class SupporterOutcomeSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    status = ma.fields.String()


class SupporterAnswerSchema(ma.Schema):
    confirmed = ma.fields.Boolean(required=True)
    comment = Text(load_default="", max_length=5000)


class AssessorsSchema(ma.Schema):
    member_ids = ma.fields.List(ma.fields.Integer(), required=True)


class AssessmentChangeSchema(ma.Schema):
    competences = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(
        validate=one_of(list(ASSESSMENT_RESULTS))), required=True)
    comment = Text(load_default="", max_length=5000)
    recommendation = ma.fields.String(required=True, validate=one_of(list(RECOMMENDATIONS)))


class DecisionSchema(ma.Schema):
    outcome = ma.fields.String(required=True, validate=one_of(["ratified", "declined"]))
    comment = Text(load_default="", max_length=5000)


class ApplicationArgsSchema(PageArgsSchema):
    status = ma.fields.String(validate=one_of(list(APPLICATION_STATUSES)))
