"""Surveys: staff ask, members answer once while a survey is open. Functions flush, never commit."""
import re
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cpd.core import audit
from cpd.core.errors import Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.permissions import ensure_staff
from cpd.extensions import db
from cpd.surveys.models import QUESTION_KINDS, Survey, SurveyAnswer, SurveyQuestion, SurveyResponse

MAX_QUESTIONS = 50
# ASCII digits only: str.isdigit() also takes "²", which int() refuses.
QUESTION_NUMBER = re.compile(r"[0-9]{1,9}")
ANSWER_LIMIT = 5000


def survey_search(actor):
    """Staff: every survey; a member: those open today."""
    statement = sa.select(Survey).options(selectinload(Survey.questions)).order_by(Survey.opens_on.desc(), Survey.id)
    if not actor.is_staff:
        today = utcnow().date()
        statement = statement.where(Survey.opens_on <= today, Survey.closes_on >= today)
    return statement


def get_survey(actor, survey_id):
    survey = db.session.get(Survey, survey_id)
    if survey is None or not (actor.is_staff or survey.opens_on <= utcnow().date()):
        raise NotFound("No such survey.")
    return survey


def _check_questions(questions, errors):
    if not isinstance(questions, list) or not 1 <= len(questions) <= MAX_QUESTIONS:
        errors["questions"] = [f"Ask 1 to {MAX_QUESTIONS} questions."]
        return []
    cleaned = []
    for number, question in enumerate(questions, start=1):
        text = " ".join(str((question or {}).get("text") or "").split())
        kind = (question or {}).get("kind")
        if not 1 <= len(text) <= 500 or kind not in QUESTION_KINDS:
            errors["questions"] = [f"Question {number}: give its text (1 to 500 characters) and its kind, "
                                   f"one of: {', '.join(QUESTION_KINDS)}."]
            return []
        cleaned.append(SurveyQuestion(position=number, text=text, kind=kind))
    return cleaned


def create_survey(actor, values):
    ensure_staff(actor, "Only staff create surveys.")
    errors = {}
    title = " ".join(str(values.get("title") or "").split())
    if not 1 <= len(title) <= 300:
        errors["title"] = ["Give a title of 1 to 300 characters."]
    opens_on, closes_on = values.get("opens_on"), values.get("closes_on")
    for field, day in (("opens_on", opens_on), ("closes_on", closes_on)):
        if not isinstance(day, date) or not date(2000, 1, 1) <= day <= date(2200, 12, 31):
            errors[field] = ["Give a date."]
    if not errors.get("opens_on") and not errors.get("closes_on") and closes_on < opens_on:
        errors["closes_on"] = ["Must not be before the day it opens."]
    questions = _check_questions(values.get("questions"), errors)
    if errors:
        raise Invalid.from_fields(errors)
    survey = Survey(title=title, opens_on=opens_on, closes_on=closes_on, created_by_id=actor.id, questions=questions)
    db.session.add(survey)
    db.session.flush()
    audit.record(actor, "survey.create", "survey", survey.id, title=title)
    return survey


def _answer_for(question, given):
    if question.kind == "rating":
        if given is None or given == "":
            raise ValueError("rate it from 1 to 5")
        if isinstance(given, str) and QUESTION_NUMBER.fullmatch(given):
            given = int(given)
        if not isinstance(given, int) or isinstance(given, bool) or not 1 <= given <= 5:
            raise ValueError("a rating is a whole number from 1 to 5")
        return SurveyAnswer(question_id=question.id, rating=given)
    text = "" if given is None else given
    if not isinstance(text, str) or len(text) > ANSWER_LIMIT or "\x00" in text:
        raise ValueError(f"an answer is text of at most {ANSWER_LIMIT} characters")
    return SurveyAnswer(question_id=question.id, text=text.strip())


def respond(member, survey, answers):
    """The member's answers: a list in the questions' order, or {question id: answer}."""
    today = utcnow().date()
    if not survey.is_open_on(today):
        raise Invalid.on_field("survey", f"This survey is open from {survey.opens_on:%-d %b %Y} to "
                                         f"{survey.closes_on:%-d %b %Y}: it is not open today.")
    if db.session.scalar(sa.select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id,
                                                            SurveyResponse.member_id == member.id)):
        raise Invalid.on_field("survey", "You have already answered this survey.")
    if isinstance(answers, list):
        if len(answers) != len(survey.questions):
            raise Invalid.on_field("answers", f"Give {len(survey.questions)} answers, one per question, in order.")
        by_question = {q.id: a for q, a in zip(survey.questions, answers)}
    elif isinstance(answers, dict):
        by_question = {int(k) if QUESTION_NUMBER.fullmatch(str(k)) else k: v for k, v in answers.items()}
        unknown = set(by_question) - {q.id for q in survey.questions}
        if unknown:
            raise Invalid.on_field("answers", f"No such question: {', '.join(map(str, sorted(unknown, key=str)))}.")
    else:
        raise Invalid.on_field("answers", "Give the answers as a list, or by question id.")
    response, errors = SurveyResponse(survey_id=survey.id, member_id=member.id), []
    for number, question in enumerate(survey.questions, start=1):
        try:
            response.answers.append(_answer_for(question, by_question.get(question.id)))
        except ValueError as problem:
            errors.append(f"Question {number}: {problem}.")
    if errors:
        raise Invalid.on_field("answers", " ".join(errors))
    db.session.add(response)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:
        raise Invalid.on_field("survey", "You have already answered this survey.") from None
    return response


def results(surveys):
    """{survey id: (responses, average rating over its rating questions, or None)}: one query."""
    rows = db.session.execute(
        sa.select(SurveyResponse.survey_id, sa.func.count(sa.distinct(SurveyResponse.id)),
                  sa.func.avg(SurveyAnswer.rating))
        .outerjoin(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.survey_id.in_([s.id for s in surveys] or [-1]))
        .group_by(SurveyResponse.survey_id)).all()
    found = {survey_id: (n, round(float(average), 2) if average is not None else None) for survey_id, n, average in rows}
    return {s.id: found.get(s.id, (0, None)) for s in surveys}


def answered_by(member_id):
    return set(db.session.scalars(sa.select(SurveyResponse.survey_id).where(SurveyResponse.member_id == member_id)))
