"""Professional registration in the API: titles, my applications and appeals, the referees'
answers, staff, assessors, interviewers and the committee."""
from flask.views import MethodView

from cpd.web.current import public, require_actor, require_staff, staff_only
from cpd.core.api import Blueprint, documents_errors
from cpd.core.errors import NotFound
from cpd.core.pagination import PageArgsSchema, page_args, paginate
from cpd.extensions import db
from cpd.members.services import get_member
from cpd.members.schemas import RegistrationSchema
from cpd.mentoring import services as mentoring
from cpd.registration import (applications, committee, figures, interviews, referees, reinstatement, review,
                              titles, verifications)
from cpd.registration.models import Application
from cpd.registration.schemas import (AppealSchema, ApplicationArgsSchema, ApplicationListSchema, ApplicationSchema,
                                      AssessmentChangeSchema, AssessmentSchema, AssessorsSchema,
                                      CompetenceMapSchema, DecisionSchema, DraftChangeSchema, FiguresSchema,
                                      InterviewPlanSchema, InterviewReportChangeSchema, InterviewReportSchema,
                                      ReinstatementSchema, ReviewedApplicationSchema, StartSchema,
                                      StatementVerificationSchema,
                                      SupporterAnswerSchema, SupporterOutcomeSchema, TitleChangeSchema, TitleSchema)

blp = Blueprint("api_registration", __name__, description="Professional registration")


@blp.route("/registration-titles")
@public
@blp.response(200, TitleSchema(many=True))
def registration_titles():
    """The titles and their competences"""
    return titles.all_titles()


@blp.route("/registration-titles/<title>", methods=["PATCH"])
@blp.arguments(TitleChangeSchema)
@blp.response(200, TitleSchema)
@documents_errors(blp, 400, 401, 403, 422)
@staff_only
def configure_title(changes, title):
    """How many referees a title needs, and whether an interview follows its assessment (staff)"""
    found = titles.configure(require_staff(), titles.get_title(title), changes)
    db.session.commit()
    return found


@blp.route("/me/competence-map/<title>")
@blp.response(200, CompetenceMapSchema)
@documents_errors(blp, 401, 422)
def competence_map(title):
    """My CPD records and objectives against each competence of a title, and the gaps"""
    return titles.competence_map(require_actor().id, titles.get_title(title))


@blp.route("/me/applications")
class OwnApplications(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ApplicationListSchema)
    @documents_errors(blp, 401, 422)
    def get(self, args):
        """My applications"""
        return paginate(applications.own_applications(require_actor()), args["page"], args["per_page"])

    @blp.arguments(StartSchema)
    @blp.response(201, ApplicationSchema)
    @documents_errors(blp, 400, 401, 409, 422)
    def post(self, values):
        """Start an application for a title (a draft)"""
        application = applications.start(require_actor(), values["title"])
        db.session.commit()
        return application


@blp.route("/me/applications/<int:application_id>")
class OwnApplication(MethodView):
    @blp.response(200, ApplicationSchema)
    @documents_errors(blp, 401, 404)
    def get(self, application_id):
        return applications.get_own(require_actor(), application_id)

    @blp.arguments(DraftChangeSchema)
    @blp.response(200, ApplicationSchema)
    @documents_errors(blp, 400, 401, 404, 409, 422)
    def patch(self, changes, application_id):
        """Statements, referees, qualifications, career history, evidence and the code of conduct of a draft"""
        actor = require_actor()
        application = applications.update_draft(actor, applications.get_own(actor, application_id), changes)
        db.session.commit()
        return application


@blp.route("/me/applications/<int:application_id>/submit", methods=["POST"])
@blp.response(200, ApplicationSchema)
@documents_errors(blp, 401, 404, 409, 422)
def submit(application_id):
    """Submit: every competence has a statement, the referees are named, the code of conduct accepted; each referee is asked"""
    actor = require_actor()
    application = applications.submit(actor, applications.get_own(actor, application_id))
    db.session.commit()
    return application


@blp.route("/me/applications/<int:application_id>/withdraw", methods=["POST"])
@blp.response(200, ApplicationSchema)
@documents_errors(blp, 401, 404, 409)
def withdraw(application_id):
    actor = require_actor()
    application = applications.withdraw(actor, applications.get_own(actor, application_id))
    db.session.commit()
    return application


@blp.route("/me/applications/<int:application_id>/appeal", methods=["POST"])
@blp.arguments(AppealSchema)
@blp.response(200, ApplicationSchema)
@documents_errors(blp, 400, 401, 404, 409, 422)
def appeal(values, application_id):
    """Appeal a decline, within 28 days, with your grounds"""
    actor = require_actor()
    application = applications.appeal(actor, applications.get_own(actor, application_id), values["grounds"])
    db.session.commit()
    return application


def _referee_answer(answer, token):
    application = referees.answer(token, answer["confirmed"], answer["comment"])
    db.session.commit()
    return application


@blp.route("/referee-confirmations/<token>", methods=["POST"])
@public
@blp.arguments(SupporterAnswerSchema)
@blp.response(200, SupporterOutcomeSchema)
@documents_errors(blp, 404, 410, 422)
def referee_confirmation(answer, token):
    """A referee confirms or declines, from their private link (no account)"""
    return _referee_answer(answer, token)


@blp.route("/supporter-confirmations/<token>", methods=["POST"])
@public
@blp.arguments(SupporterAnswerSchema)
@blp.response(200, SupporterOutcomeSchema)
@documents_errors(blp, 404, 410, 422)
def supporter_confirmation(answer, token):
    """The second wave's name for a referee's answer (kept for links already sent)"""
    return _referee_answer(answer, token)


@blp.route("/applications")
@blp.arguments(ApplicationArgsSchema, location="query")
@blp.response(200, ApplicationListSchema)
@documents_errors(blp, 401, 403, 422)
@staff_only
def staff_applications(args):
    """Applications, by status (staff)"""
    filters, page, per_page = page_args(args)
    return paginate(review.staff_search(**filters), page, per_page)


def _reviewed(application, actor):
    application.assessments = review.visible_assessments(application, actor)
    application.interview_reports = interviews.visible_reports(application, actor)
    return application


@blp.route("/applications/figures")
@blp.response(200, FiguresSchema)
@documents_errors(blp, 401, 403)
@staff_only
def application_figures():
    """Applications by stage, median days to a decision, appeals and their outcomes (staff)"""
    return figures.figures()


@blp.route("/applications/<int:application_id>")
@blp.response(200, ReviewedApplicationSchema)
@documents_errors(blp, 401, 404)
def application(application_id):
    """An application (staff, or one of its assessors or interviewers)"""
    actor = require_actor()
    if actor.is_staff:
        return _reviewed(review.get_for_staff(actor, application_id), actor)
    found = db.session.get(Application, application_id)
    if found is None or not ({"assessor", "interviewer"} & review.roles_of(actor, found)):
        raise NotFound("No such application.")
    return _reviewed(found, actor)


@blp.route("/applications/<int:application_id>/assessors", methods=["PUT"])
@blp.arguments(AssessorsSchema)
@blp.response(200, ReviewedApplicationSchema)
@documents_errors(blp, 400, 401, 403, 404, 409, 422)
@staff_only
def appoint_assessors(values, application_id):
    """Appoint two assessors who hold the title or one above it (staff)"""
    actor = require_staff()
    application = review.appoint_assessors(actor, review.get_for_staff(actor, application_id), values["member_ids"])
    db.session.commit()
    return _reviewed(application, actor)


@blp.route("/applications/<int:application_id>/assessment", methods=["PUT"])
@blp.arguments(AssessmentChangeSchema)
@blp.response(200, AssessmentSchema)
@documents_errors(blp, 400, 401, 404, 409, 422)
def assess(values, application_id):
    """My assessment of an application I was appointed to"""
    assessment = review.assess(require_actor(), application_id, values["competences"], values["comment"],
                               values["recommendation"])
    db.session.commit()
    return assessment


@blp.route("/applications/<int:application_id>/interview", methods=["POST"])
@blp.arguments(InterviewPlanSchema)
@blp.response(200, ReviewedApplicationSchema)
@documents_errors(blp, 400, 401, 403, 404, 409, 422)
@staff_only
def schedule_interview(values, application_id):
    """Schedule the professional review interview with two interviewers (staff)"""
    actor = require_staff()
    application = interviews.schedule(actor, review.get_for_staff(actor, application_id), values)
    db.session.commit()
    return _reviewed(application, actor)


@blp.route("/applications/<int:application_id>/interview-report", methods=["PUT"])
@blp.arguments(InterviewReportChangeSchema)
@blp.response(200, InterviewReportSchema)
@documents_errors(blp, 400, 401, 404, 409, 422)
def interview_report(values, application_id):
    """My interview report, on an application I was asked to interview for"""
    found = interviews.report(require_actor(), application_id, values["competences"], values["comment"],
                              values["recommendation"])
    db.session.commit()
    return found


@blp.route("/applications/<int:application_id>/decision", methods=["POST"])
@blp.arguments(DecisionSchema)
@blp.response(200, ReviewedApplicationSchema)
@documents_errors(blp, 400, 401, 403, 404, 409, 422)
@staff_only
def decide(values, application_id):
    """The committee: ratify, decline or refer back; and decide an appeal (staff who took no part)"""
    actor = require_staff()
    application = committee.decide(actor, review.get_for_staff(actor, application_id), values["outcome"],
                                   values["comment"], values["competences"])
    db.session.commit()
    return _reviewed(application, actor)


@blp.route("/members/<int:member_id>/registrations/<int:registration_id>/reinstatement", methods=["POST"])
@blp.arguments(ReinstatementSchema)
@blp.response(201, RegistrationSchema)
@documents_errors(blp, 400, 401, 403, 404, 409, 422)
@staff_only
def reinstate(values, member_id, registration_id):
    """Reinstate a registration lapsed within the last three years, with the reason (staff)"""
    actor = require_staff()
    registration = reinstatement.reinstate(actor, get_member(member_id), registration_id, values["reason"])
    db.session.commit()
    return registration


@blp.route("/me/assessments")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, ApplicationListSchema)
@documents_errors(blp, 401, 422)
def my_assessments(args):
    """Applications I am appointed to assess"""
    return paginate(review.my_assessments(require_actor()), args["page"], args["per_page"])


@blp.route("/me/interviews")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, ApplicationListSchema)
@documents_errors(blp, 401, 422)
def my_interviews(args):
    """Applications I am asked to interview for"""
    return paginate(interviews.my_interviews(require_actor()), args["page"], args["per_page"])


# --- a mentor's view of a mentee's registration ------------------------------------------------------

@blp.route("/mentees/<int:member_id>/competence-map/<title>")
@blp.response(200, CompetenceMapSchema)
@documents_errors(blp, 401, 404, 422)
def mentee_competence_map(member_id, title):
    """A mentee's CPD records and objectives against each competence of a title (their active mentor)"""
    mentoring.active_mentorship(require_actor(), member_id)
    return titles.competence_map(member_id, titles.get_title(title))


@blp.route("/mentees/<int:member_id>/applications")
@blp.response(200, ApplicationListSchema)
@documents_errors(blp, 401, 404)
def mentee_applications(member_id):
    """A mentee's registration applications (their active mentor), to verify their statements"""
    mentoring.active_mentorship(require_actor(), member_id)
    found = db.session.scalars(applications.own_applications(get_member(member_id))).all()
    return {"items": found, "total": len(found), "page": 1, "per_page": max(len(found), 1)}


@blp.route("/mentees/<int:member_id>/applications/<int:application_id>/statements/<code>/verification",
           methods=["POST"])
@blp.response(200, StatementVerificationSchema)
@documents_errors(blp, 401, 404, 409)
def verify_statement(member_id, application_id, code):
    """Verify a mentee's competence statement: assessors see "verified by" you beside it"""
    statement = verifications.verify(require_actor(), member_id, application_id, code)
    db.session.commit()
    return statement
