import marshmallow as ma

from cpd.core.limits import CYCLE_YEAR
from cpd.core.pagination import PageArgsSchema, list_schema
from cpd.core.schemas import Text, one_of
from cpd.revalidation.vocabulary import CASE_STATUSES, OUTCOMES


class DeclarationSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    year = ma.fields.Integer(required=True)
    meets_standards = ma.fields.Boolean(required=True)
    statement = Text(load_default="", max_length=5000)
    declared_at = ma.fields.AwareDateTime(dump_only=True)


class RegistrantSchema(ma.Schema):
    member_id = ma.fields.Integer()
    full_name = ma.fields.String()
    declared = ma.fields.Boolean()
    declared_at = ma.fields.AwareDateTime(allow_none=True)
    overdue = ma.fields.Boolean(metadata={"description": "not declared DECLARATION_GRACE_DAYS after the deadline"})


RegistrantListSchema = list_schema(RegistrantSchema, "RegistrantDeclarationList")


class YearArgsSchema(PageArgsSchema):
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(min=CYCLE_YEAR.low, max=CYCLE_YEAR.high))


class AuditCaseSummarySchema(ma.Schema):
    id = ma.fields.Integer()
    member_id = ma.fields.Integer()
    status = ma.fields.String(metadata={"enum": list(CASE_STATUSES)})
    outcome = ma.fields.String(allow_none=True)


class AuditCaseSchema(ma.Schema):
    id = ma.fields.Integer()
    audit_id = ma.fields.Integer()
    year = ma.fields.Function(lambda case: case.audit.year)
    member_id = ma.fields.Integer()
    status = ma.fields.String(metadata={"enum": list(CASE_STATUSES)})
    outcome = ma.fields.String(allow_none=True)
    outcome_reason = ma.fields.String()
    comment = ma.fields.String()
    submitted_at = ma.fields.AwareDateTime(allow_none=True)
    due_on = ma.fields.Date(allow_none=True)
    lapse_on = ma.fields.Date(allow_none=True, metadata={"description": "not met: the day the registrations lapse"})
    appeal_grounds = ma.fields.String()
    appealed_at = ma.fields.AwareDateTime(allow_none=True)


class AuditCaseStepSchema(ma.Schema):
    status = ma.fields.String()
    step = ma.fields.String()
    actor_id = ma.fields.Integer(allow_none=True)
    comment = ma.fields.String()
    at = ma.fields.AwareDateTime()


class AuditCaseDetailSchema(AuditCaseSchema):
    deferral_reason = ma.fields.String()
    profile = ma.fields.Dict(allow_none=True, metadata={"description": "the CPD profile as submitted (frozen)"})
    history = ma.fields.List(ma.fields.Nested(AuditCaseStepSchema))


class AuditDrawSchema(ma.Schema):
    year = ma.fields.Integer(required=True)
    sample_percent = ma.fields.Float(required=True, allow_nan=False)
    seed = ma.fields.Integer(required=True)


class AuditSchema(ma.Schema):
    id = ma.fields.Integer()
    year = ma.fields.Integer()
    sample_percent = ma.fields.Float()
    seed = ma.fields.Integer()
    eligible = ma.fields.Integer()
    drawn_at = ma.fields.AwareDateTime()
    cases = ma.fields.List(ma.fields.Nested(AuditCaseSummarySchema))
    outcomes = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


AuditListSchema = list_schema(AuditSchema, "CpdAuditList")


class OutcomeSchema(ma.Schema):
    outcome = ma.fields.String(required=True, validate=one_of(list(OUTCOMES)))
    comment = Text(load_default="", max_length=5000)
    reason = ma.fields.String(load_default="", validate=one_of(["", "no_response"]),
                              metadata={"description": "no_response: not_met for a profile never sent, after due_on"})
    due_on = ma.fields.Date(load_default=None, metadata={"description": "more_information: the new due date"})


class ExtensionSchema(ma.Schema):
    due_on = ma.fields.Date(required=True)
    reason = Text(required=True, max_length=2000)


class CaseAppealSchema(ma.Schema):
    grounds = Text(required=True, max_length=10_000)


class DeferralSchema(ma.Schema):
    reason = Text(required=True, min_length=1, max_length=5000)
