import marshmallow as ma

from cpd.core.pagination import PageArgsSchema, list_schema
from cpd.core.schemas import Text, one_of
from cpd.registration.applications import appeal_deadline
from cpd.registration.vocabulary import (APPLICATION_STATUSES, ASSESSMENT_RESULTS, OUTCOMES, RECOMMENDATIONS,
                                         REFEREE_STATUSES)
from cpd.core.limits import CODE, COMMENT, DATABASE_ID, NOTES, RECORDS_AT_ONCE


class CompetenceSchema(ma.Schema):
    code = ma.fields.String()
    area = ma.fields.String()
    statement = ma.fields.String()


class TitleSchema(ma.Schema):
    title = ma.fields.String()
    name = ma.fields.String()
    register = ma.fields.String()
    level = ma.fields.Integer()
    referees_required = ma.fields.Integer()
    interview = ma.fields.Boolean(metadata={"description": "a professional review interview follows assessment"})
    competences = ma.fields.List(ma.fields.Nested(CompetenceSchema))


class TitleChangeSchema(ma.Schema):
    referees_required = ma.fields.Integer()
    interview = ma.fields.Boolean()


class MapEntrySchema(CompetenceSchema):
    records = ma.fields.List(ma.fields.Dict())
    objectives = ma.fields.List(ma.fields.Dict())


class CompetenceMapSchema(ma.Schema):
    title = ma.fields.String()
    name = ma.fields.String()
    competences = ma.fields.List(ma.fields.Nested(MapEntrySchema))
    gaps = ma.fields.List(ma.fields.String())


class RefereeSchema(ma.Schema):
    name = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    status = ma.fields.String(dump_only=True, metadata={"enum": list(REFEREE_STATUSES)})
    comment = ma.fields.String(dump_only=True)
    answered_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)


class InterviewSchema(ma.Schema):
    starts_at = ma.fields.Method("_local_start")
    timezone = ma.fields.String()
    venue = ma.fields.String()
    online_url = ma.fields.String()

    def _local_start(self, interview):
        return interview.local_starts_at.isoformat()


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
    verified_statements = ma.fields.Method("_verified", metadata={
        "description": "{competence code: {by, at}}: statements the applicant's mentor verified"})
    referees = ma.fields.List(ma.fields.Nested(RefereeSchema))
    qualifications = ma.fields.List(ma.fields.Dict())
    career_history = ma.fields.List(ma.fields.Dict())
    code_of_conduct_accepted = ma.fields.Method("_accepted")
    code_of_conduct_accepted_at = ma.fields.AwareDateTime(allow_none=True)
    record_ids = ma.fields.Method("_record_ids")
    assessors = ma.fields.Method("_assessors")
    interview = ma.fields.Nested(InterviewSchema, allow_none=True)
    interviewers = ma.fields.Method("_interviewers")
    feedback = ma.fields.Dict(allow_none=True, metadata={
        "description": "what the applicant was told when it came back to them: {by, comment, competences, at}"})
    appeal = ma.fields.Method("_appeal")
    history = ma.fields.List(ma.fields.Nested(StepSchema))
    submitted_at = ma.fields.AwareDateTime(allow_none=True)
    decided_at = ma.fields.AwareDateTime(allow_none=True)

    def _statements(self, application):
        return {s.code: s.text for s in application.statements}

    def _verified(self, application):
        return {s.code: {"by": s.verified_by, "at": s.verified_at.isoformat()} for s in application.statements
                if s.verified_by and s.verified_at}

    def _accepted(self, application):
        return application.code_of_conduct_accepted_at is not None

    def _record_ids(self, application):
        return sorted(e.record_id for e in application.evidence)

    def _assessors(self, application):
        return [a.assessor_id for a in application.assessors]

    def _interviewers(self, application):
        return [i.interviewer_id for i in application.interviewers]

    def _appeal(self, application):
        deadline = appeal_deadline(application) if application.status in ("declined", "under_appeal") else None
        if deadline is None and application.appealed_at is None:
            return None
        return {"grounds": application.appeal_grounds, "appealed_at": application.appealed_at and
                application.appealed_at.isoformat(), "deadline": deadline and deadline.isoformat()}


ApplicationListSchema = list_schema(ApplicationSchema, "ApplicationList")


class InterviewReportSchema(ma.Schema):
    interviewer_id = ma.fields.Integer(allow_none=True)
    competences = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    comment = ma.fields.String()
    recommendation = ma.fields.String(allow_none=True)
    reported_at = ma.fields.AwareDateTime(allow_none=True)


class ReviewedApplicationSchema(ApplicationSchema):
    """For staff, assessors and interviewers: with the assessments and reports they may see."""

    assessments = ma.fields.List(ma.fields.Nested(AssessmentSchema))
    interview_reports = ma.fields.List(ma.fields.Nested(InterviewReportSchema))


class StartSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(max=CODE.high))


class DraftChangeSchema(ma.Schema):
    statements = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(),
                                metadata={"description": "{competence code: text}; an empty text removes one"})
    referees = ma.fields.List(ma.fields.Dict(), metadata={"description": "[{name, email}], in order"})
    qualifications = ma.fields.List(ma.fields.Dict(), metadata={"description": "[{name, awarded_by, year}]"})
    career_history = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "[{role, employer, from: YYYY-MM, to: YYYY-MM or empty, summary}]"})
    code_of_conduct_accepted = ma.fields.Boolean()
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
    outcome = ma.fields.String(required=True, validate=one_of(list(OUTCOMES)))
    comment = Text(load_default="", max_length=COMMENT.high)
    competences = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), load_default=dict,
                                 metadata={"description": "referred_back: {competence code: comment}"})


class InterviewPlanSchema(ma.Schema):
    starts_at = ma.fields.DateTime(required=True, metadata={"description": "without an offset: in `timezone`"})
    timezone = ma.fields.String(required=True)
    venue = Text(load_default="", max_length=300)
    online_url = Text(load_default="", max_length=500)
    interviewer_ids = ma.fields.List(ma.fields.Integer(), required=True)


class InterviewReportChangeSchema(AssessmentChangeSchema):
    pass


class AppealSchema(ma.Schema):
    grounds = Text(required=True, max_length=NOTES.high)


class ReinstatementSchema(ma.Schema):
    reason = Text(required=True, max_length=2000)


class FiguresSchema(ma.Schema):
    by_status = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    decided = ma.fields.Integer()
    median_days_to_decision = ma.fields.Float(allow_none=True)
    appeals = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


class ApplicationArgsSchema(PageArgsSchema):
    status = ma.fields.String(validate=one_of(list(APPLICATION_STATUSES)))


class StatementVerificationSchema(ma.Schema):
    code = ma.fields.String()
    verified_by = ma.fields.String()
    verified_at = ma.fields.AwareDateTime()
