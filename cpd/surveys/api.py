"""/api/v1/surveys: staff ask, members answer once while open."""
from flask.views import MethodView

from cpd.web.current import require_actor, require_staff, staff_only
from cpd.core.api import Blueprint, documents_errors
from cpd.core.pagination import PageArgsSchema, paginate
from cpd.extensions import db
from cpd.surveys import services
from cpd.surveys.schemas import (ResponseCreatedSchema, ResponseSchema, SurveyListSchema, SurveyResultsSchema,
                                 SurveySchema)

blp = Blueprint("api_surveys", __name__, description="Member surveys")


@blp.route("")
class Surveys(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, SurveyListSchema)
    @documents_errors(blp, 401, 422)
    def get(self, args):
        """Surveys open today (staff: every survey)"""
        return paginate(services.survey_search(require_actor()), args["page"], args["per_page"])

    @blp.arguments(SurveySchema)
    @blp.response(201, SurveySchema)
    @documents_errors(blp, 400, 401, 403, 422)
    @staff_only
    def post(self, values):
        """Create a survey (staff)"""
        survey = services.create_survey(require_staff(), values)
        db.session.commit()
        return survey


@blp.route("/<int:survey_id>")
@blp.response(200, SurveyResultsSchema)
@documents_errors(blp, 401, 404)
def survey(survey_id):
    """A survey's questions (staff: with its results)"""
    actor = require_actor()
    found = services.get_survey(actor, survey_id)
    if not actor.is_staff:
        return found
    responses, average = services.results([found])[found.id]
    return {**{field: getattr(found, field) for field in ("id", "title", "opens_on", "closes_on", "questions")},
            "responses": responses, "average_rating": average}


@blp.route("/<int:survey_id>/responses", methods=["POST"])
@blp.arguments(ResponseSchema)
@blp.response(201, ResponseCreatedSchema)
@documents_errors(blp, 400, 401, 404, 422)
def respond(values, survey_id):
    """Answer a survey (once, while it is open)"""
    actor = require_actor()
    response = services.respond(actor, services.get_survey(actor, survey_id), values["answers"])
    db.session.commit()
    return response
