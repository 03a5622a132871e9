import marshmallow as ma

from cpd.core.pagination import list_schema
from cpd.core.schemas import Text, one_of
from cpd.surveys.models import QUESTION_KINDS


class QuestionSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    text = Text(required=True, min_length=1, max_length=500)
    kind = ma.fields.String(required=True, validate=one_of(list(QUESTION_KINDS)))


class SurveySchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    title = Text(required=True, min_length=1, max_length=300)
    opens_on = ma.fields.Date(required=True)
    closes_on = ma.fields.Date(required=True)
    questions = ma.fields.List(ma.fields.Nested(QuestionSchema), required=True,
                               validate=ma.validate.Length(min=1, max=50))


SurveyListSchema = list_schema(SurveySchema, "SurveyList")


class SurveyResultsSchema(SurveySchema):
    responses = ma.fields.Integer(dump_only=True, metadata={"description": "staff only"})
    average_rating = ma.fields.Float(dump_only=True, allow_none=True, metadata={"description": "staff only"})


class ResponseSchema(ma.Schema):
    answers = ma.fields.Raw(required=True, metadata={
        "description": "a list in the questions' order, or {question id: answer}; a rating is 1 to 5"})


class ResponseCreatedSchema(ma.Schema):
    id = ma.fields.Integer()
    survey_id = ma.fields.Integer()
    submitted_at = ma.fields.AwareDateTime()
