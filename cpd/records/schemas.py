"""The CPD record, evidence, plan, policies and summary in the API."""
import marshmallow as ma
from flask_smorest.fields import Upload

from cpd.core.pagination import PageArgsSchema, list_schema
from cpd.core.schemas import Text, one_of
from cpd.members.vocabulary import AREAS_OF_PRACTICE
from cpd.records.vocabulary import ACTIVITY_TYPES, COMPETENCE_CODES, EXEMPTION_KINDS, OBJECTIVE_STATUSES, TOPICS
from cpd.core.limits import CPD_YEAR, DATABASE_ID, RATING, RECORD_HOURS

LONG_TEXT = 10_000


class EvidenceSchema(ma.Schema):
    id = ma.fields.Integer()
    filename = ma.fields.String()
    content_type = ma.fields.String()
    size_bytes = ma.fields.Integer()
    created_at = ma.fields.AwareDateTime()


class CpdRecordSchema(ma.Schema):
    id = ma.fields.Integer()
    member_id = ma.fields.Integer()
    title = ma.fields.String()
    activity_type = ma.fields.String(metadata={"enum": list(ACTIVITY_TYPES)})
    started_on = ma.fields.Date()
    ended_on = ma.fields.Date()
    hours = ma.fields.Float()
    description = ma.fields.String()
    learning = ma.fields.String()
    benefit_to_practice = ma.fields.String()
    benefit_to_users = ma.fields.String()
    objective_id = ma.fields.Integer(allow_none=True)
    verified = ma.fields.Boolean(metadata={"description": "made by the register from recorded attendance, or from "
                                                          "a completion another of the body's systems sent"})
    formal = ma.fields.Boolean(metadata={"description": "structured learning with outcomes"})
    verifiable = ma.fields.Boolean(metadata={"description": "claimed verifiable; it counts as such only with evidence"})
    topics = ma.fields.List(ma.fields.String(), metadata={"description": "codes from GET /cpd-topics"})
    practice_areas = ma.fields.List(ma.fields.String(), metadata={"description": "areas of practice it relates to"})
    competences = ma.fields.List(ma.fields.String(), metadata={"description": "registration competence codes"})
    source_event_id = ma.fields.Integer(allow_none=True)
    source_system = ma.fields.String(metadata={"description": "the body's system the learning was recorded in "
                                                              "(an xAPI client or learning record store), or empty"})
    source_statement_id = ma.fields.String(allow_none=True, metadata={"description": "the xAPI statement's id"})
    is_reflected = ma.fields.Boolean()
    evidence = ma.fields.List(ma.fields.Nested(EvidenceSchema))
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()


CpdRecordListSchema = list_schema(CpdRecordSchema, "CpdRecordList")


class CpdRecordChangeSchema(ma.Schema):
    """Changes to a record: every field optional. The service checks the whole record after."""

    title = Text(min_length=1, max_length=200)
    activity_type = ma.fields.String(validate=one_of(list(ACTIVITY_TYPES)))
    started_on = ma.fields.Date()
    ended_on = ma.fields.Date(allow_none=True)
    hours = ma.fields.Float(allow_nan=False, validate=ma.validate.Range(min=RECORD_HOURS.low, min_inclusive=False, max=RECORD_HOURS.high))
    description = Text(max_length=LONG_TEXT)
    learning = Text(max_length=LONG_TEXT)
    benefit_to_practice = Text(max_length=LONG_TEXT)
    benefit_to_users = Text(max_length=LONG_TEXT)
    objective_id = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=DATABASE_ID.low, max=DATABASE_ID.high))
    formal = ma.fields.Boolean()
    verifiable = ma.fields.Boolean()
    # Unknown codes are refused by the service, naming the allowed ones.
    topics = ma.fields.List(Text(max_length=40), validate=ma.validate.Length(max=len(TOPICS)),
                            metadata={"description": f"any of: {', '.join(TOPICS)}"})
    practice_areas = ma.fields.List(Text(max_length=40), validate=ma.validate.Length(max=len(AREAS_OF_PRACTICE)),
                                    metadata={"description": "which of your areas of practice it relates to: any of "
                                                             f"{', '.join(AREAS_OF_PRACTICE)}"})
    competences = ma.fields.List(Text(max_length=40), validate=ma.validate.Length(max=len(COMPETENCE_CODES)))


class CpdRecordCreateSchema(CpdRecordChangeSchema):
    title = Text(required=True, min_length=1, max_length=200)
    activity_type = ma.fields.String(required=True, validate=one_of(list(ACTIVITY_TYPES)))
    started_on = ma.fields.Date(required=True)
    hours = ma.fields.Float(
        required=True, allow_nan=False, validate=ma.validate.Range(min=RECORD_HOURS.low, min_inclusive=False, max=RECORD_HOURS.high)
    )


class CpdRecordArgsSchema(PageArgsSchema):
    year = ma.fields.Integer(validate=ma.validate.Range(min=CPD_YEAR.low, max=CPD_YEAR.high))
    activity_type = ma.fields.String(validate=one_of(list(ACTIVITY_TYPES)))
    verified = ma.fields.Boolean()
    objective_id = ma.fields.Integer(validate=ma.validate.Range(min=DATABASE_ID.low, max=DATABASE_ID.high))


class EvidenceUploadSchema(ma.Schema):
    file = Upload(required=True, metadata={"description": "PDF, PNG, JPEG, plain text or DOCX"})


class SummaryArgsSchema(ma.Schema):
    policy = Text(max_length=64)
    as_of = ma.fields.Date()


class RequirementSchema(ma.Schema):
    name = ma.fields.String()
    required = ma.fields.Float()
    achieved = ma.fields.Float()
    met = ma.fields.Boolean()


class ExemptionSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"enum": list(EXEMPTION_KINDS)})
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    reduction = ma.fields.Float(metadata={"description": "the share of the requirement lifted while it lasts"})
    distinct_types_minimum = ma.fields.Integer(allow_none=True)
    note = ma.fields.String()


ExemptionListSchema = list_schema(ExemptionSchema, "CpdExemptionList")


class ExemptionCreateSchema(ma.Schema):
    kind = ma.fields.String(required=True, validate=one_of(list(EXEMPTION_KINDS)))
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(required=True)
    reduction = ma.fields.Float(load_default=1.0, allow_nan=False,
                                metadata={"description": "share lifted: 1 all of it (default), 0.5 half"})
    distinct_types_minimum = ma.fields.Integer(allow_none=True, load_default=None,
                                               validate=ma.validate.Range(min=RATING.low, max=RATING.high))
    note = Text(load_default="", max_length=2000)


class TopicSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()


class SchemeMetSchema(ma.Schema):
    organisation_id = ma.fields.Integer()
    organisation = ma.fields.String()
    valid_from = ma.fields.Date(attribute="from", data_key="from")
    valid_until = ma.fields.Date(attribute="until", data_key="until")


class CpdSummarySchema(ma.Schema):
    policy = ma.fields.String()
    policy_name = ma.fields.String()
    unit = ma.fields.String()
    period_start = ma.fields.Date()
    period_end = ma.fields.Date()
    as_of = ma.fields.Date()
    total = ma.fields.Float(metadata={"description": "what counts towards the policy, after any caps"})
    logged_total = ma.fields.Float(metadata={"description": "everything logged in the period"})
    by_activity_type = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float())
    counted_by_activity_type = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float())
    verified_total = ma.fields.Float(metadata={"description": "from recorded attendance"})
    verifiable_total = ma.fields.Float(metadata={"description": "recorded attendance, and claims with evidence"})
    formal_total = ma.fields.Float()
    by_topic = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float())
    by_area_of_practice = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float(), metadata={
        "description": "hours in each of the member's areas of practice (the records that name it)"})
    required = ma.fields.Float(allow_none=True, metadata={"description": "after any exemption"})
    distinct_types = ma.fields.Integer()
    record_count = ma.fields.Integer()
    unreflected_count = ma.fields.Integer()
    advisory = ma.fields.Boolean(metadata={"description": "the policy is guidance: see on_track"})
    compliant = ma.fields.Boolean(allow_none=True, metadata={"description": "null for an advisory policy"})
    on_track = ma.fields.Boolean()
    record_by = ma.fields.Date(allow_none=True, metadata={"description": "the last day to finish recording"})
    exemptions = ma.fields.List(ma.fields.Nested(ExemptionSchema))
    shortfalls = ma.fields.List(ma.fields.String())
    notes = ma.fields.List(ma.fields.String())
    met_through_scheme = ma.fields.Nested(SchemeMetSchema, allow_none=True, metadata={
        "description": "the approved employer scheme the member meets the policy through (they share their "
                       "standing with it), or null"})
    requirements = ma.fields.List(ma.fields.Nested(RequirementSchema))
    still_open = ma.fields.Nested(lambda: CpdSummarySchema(exclude=("still_open",)), allow_none=True, metadata={
        "description": "the period before, while it may still be recorded (RICS in January), on its last day"})


class CpdPolicySchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    description = ma.fields.String()
    period_kind = ma.fields.String()
    period_months = ma.fields.Integer(allow_none=True)
    unit = ma.fields.String()
    weights = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float())
    required_total = ma.fields.Float(allow_none=True)
    type_minimums = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float())
    type_maximums = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float())
    verified_minimum = ma.fields.Float(allow_none=True)
    distinct_types_minimum = ma.fields.Integer(allow_none=True)
    reflection_required = ma.fields.Boolean()
    reflection = ma.fields.String()
    formal_minimum = ma.fields.Float(allow_none=True)
    verifiable_minimum = ma.fields.Float(allow_none=True)
    topic_minimums = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float())
    topic_windows = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    record_by = ma.fields.Integer(allow_none=True, metadata={"description": "days of grace after the period"})
    advisory = ma.fields.Boolean()
    continuous_record = ma.fields.Boolean(metadata={"description": "the summary names gaps of three months or more"})
    carry_forward_limit = ma.fields.Float(allow_none=True, metadata={
        "description": "verifiable hours beyond a year's requirements that carry into the next, at most"})
    academic_topic_minimums = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float(), metadata={
        "description": "topic minimums asked of academics and teachers as well (sector academia or education)"})


CpdPolicyListSchema = list_schema(CpdPolicySchema, "CpdPolicyList")


class ObjectiveSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    why = ma.fields.String()
    target_date = ma.fields.Date(allow_none=True)
    status = ma.fields.String(metadata={"enum": list(OBJECTIVE_STATUSES)})
    record_ids = ma.fields.Method("_record_ids")
    competences = ma.fields.List(ma.fields.String(), metadata={"description": "registration competence codes"})
    created_at = ma.fields.AwareDateTime()

    def _record_ids(self, objective):
        return [record.id for record in objective.records]


ObjectiveListSchema = list_schema(ObjectiveSchema, "ObjectiveList")


class ObjectiveChangeSchema(ma.Schema):
    title = Text(min_length=1, max_length=200)
    why = Text(max_length=LONG_TEXT)
    target_date = ma.fields.Date(allow_none=True)
    status = ma.fields.String(validate=one_of(list(OBJECTIVE_STATUSES)))
    competences = ma.fields.List(Text(max_length=40), validate=ma.validate.Length(max=len(COMPETENCE_CODES)))


class ObjectiveCreateSchema(ObjectiveChangeSchema):
    title = Text(required=True, min_length=1, max_length=200)


class XapiStatementListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Dict(), required=True)
    statements = ma.fields.List(ma.fields.Dict(), required=True, metadata={"description": "the same statements, as an xAPI StatementResult"})
    more = ma.fields.String(required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
