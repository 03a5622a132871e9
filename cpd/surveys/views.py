"""Surveys as pages: members answer the open ones; staff create them and read the results."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cpd.web.pages import staff_required
from cpd.core.errors import DomainError
from cpd.web.forms import ConfirmForm, commit_change
from cpd.extensions import db
from cpd.surveys import services
from cpd.surveys.forms import SurveyForm

bp = Blueprint("surveys", __name__)


@bp.route("/surveys")
@login_required
def survey_list():
    surveys = db.session.scalars(services.survey_search(current_user).limit(100)).all()
    results = services.results(surveys) if current_user.is_staff else {}
    return render_template("surveys/list.html", surveys=surveys, answered=services.answered_by(current_user.id),
                           results=results)


@bp.route("/surveys/<int:survey_id>", methods=["GET", "POST"])
@login_required
def answer(survey_id):
    survey = services.get_survey(current_user, survey_id)
    form, problem = ConfirmForm(), None
    if form.validate_on_submit():
        answers = {q.id: request.form.get(f"question-{q.id}", "") for q in survey.questions}
        try:
            services.respond(current_user, survey, answers)
        except DomainError as error:
            db.session.rollback()
            problem = error.page_message
        else:
            db.session.commit()
            flash("Thank you: your answers are in.", "success")
            return redirect(url_for("surveys.survey_list"))
    status = 422 if problem or form.errors else 200
    return render_template("surveys/answer.html", survey=survey, form=form, problem=problem,
                           answered=survey.id in services.answered_by(current_user.id)), status


@bp.route("/staff/surveys/new", methods=["GET", "POST"])
@staff_required
def create():
    form = SurveyForm()
    if form.validate_on_submit():
        values = {"title": form.title.data, "opens_on": form.opens_on.data, "closes_on": form.closes_on.data,
                  "questions": form.question_list()}
        done, _ = commit_change(lambda: services.create_survey(current_user, values), form)
        if done:
            flash("Survey created.", "success")
            return redirect(url_for("surveys.survey_list"))
    return render_template("surveys/form.html", form=form), 422 if form.errors else 200
