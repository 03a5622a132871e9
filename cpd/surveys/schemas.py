import marshmallow as ma

from cpd.core.pagination import list_schema
from cpd.core.schemas import Text, one_of
from cpd.surveys.models import QUESTION_KINDS
from cpd.surveys.services import MAX_QUESTIONS, QUESTION_NUMBER as QUESTION_ID




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
                               validate=ma.validate.Length(min=1, max=MAX_QUESTIONS))


SurveyListSchema = list_schema(SurveySchema, "SurveyList")


class SurveyResultsSchema(SurveySchema):
    responses = ma.fields.Integer(dump_only=True, metadata={"description": "staff only"})
    average_rating = ma.fields.Float(dump_only=True, allow_none=True, metadata={"description": "staff only"})


ANSWER = (int, str, type(None))


class Answers(ma.fields.Field):
    """A list of answers in the questions' order, or {question id: answer}: each answer a whole
    number (a rating), text or null. Question ids are ASCII digits (str.isdigit takes "²" too)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, list):
            if len(value) > MAX_QUESTIONS or not all(_is_answer(answer) for answer in value):
                raise ma.ValidationError(f"A list of at most {MAX_QUESTIONS} answers: numbers, text or null.")
            return value
        if isinstance(value, dict):
            if len(value) > MAX_QUESTIONS:
                raise ma.ValidationError(f"At most {MAX_QUESTIONS} answers.")
            if not all(QUESTION_ID.fullmatch(key) for key in value):
                raise ma.ValidationError("Answers by question are keyed by the question's id: a whole number.")
            if not all(_is_answer(answer) for answer in value.values()):
                raise ma.ValidationError("Each answer is a number, text or null.")
            return {int(key): answer for key, answer in value.items()}
        raise ma.ValidationError("Give the answers as a list, or by question id.")


def _is_answer(answer):
    return isinstance(answer, ANSWER)  # whether it suits its question is the service's to say


class ResponseSchema(ma.Schema):
    answers = Answers(required=True, metadata={
        "description": "a list in the questions' order, or {question id: answer}; a rating is 1 to 5",
        "oneOf": [{"type": "array", "items": {}}, {"type": "object", "additionalProperties": {}}]})


class ResponseCreatedSchema(ma.Schema):
    id = ma.fields.Integer()
    survey_id = ma.fields.Integer()
    submitted_at = ma.fields.AwareDateTime()
