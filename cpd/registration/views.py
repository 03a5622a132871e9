"""Professional registration as pages: titles and my competence map, my application (and its
appeal), the referee's page (no account), staff's review and the committee, the assessor's and the
interviewer's pages."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cpd.web.pages import page_number, search_text, staff_required
from cpd.core.errors import DomainError, NotFound
from cpd.web.forms import choices, commit_change
from cpd.core.pagination import paginate
from cpd.extensions import db
from cpd.records import services as record_services
from cpd.registration import applications, committee, interviews, referees, review, titles
from cpd.registration.forms import (AppealForm, AssessorsForm, DecisionForm, InterviewForm, StartForm,
                                     SupporterForm, assessment_form, draft_form)
from cpd.registration.models import Application
from cpd.registration.vocabulary import (APPLICATION_STATUSES, ASSESSMENT_RESULTS, OPEN_STATUSES,
                                         RECOMMENDATIONS, REFEREE_STATUSES, STATEMENT_WORD_GUIDE)

bp = Blueprint("registration", __name__)


def _words(text):
    return len((text or "").split())


@bp.route("/registration", methods=["GET", "POST"])
@login_required
def overview():
    form = StartForm()
    known = titles.all_titles()
    form.title.choices = choices({t.title: f"{t.name} ({t.title})" for t in known}, blank=None)
    if form.validate_on_submit():
        done, application = commit_change(lambda: applications.start(current_user, form.title.data), form)
        if done:
            flash("Your application is started: write a statement for each competence.", "success")
            return redirect(url_for("registration.my_application", application_id=application.id))
    mine = db.session.scalars(applications.own_applications(current_user)).all()
    return render_template("registration/overview.html", titles=known, form=form, applications=mine,
                           statuses=APPLICATION_STATUSES), 422 if form.errors else 200


@bp.route("/registration/titles/<title>")
@login_required
def competence_map(title):
    try:
        found = titles.get_title(title)
    except DomainError:
        raise NotFound("No such title.") from None
    return render_template("registration/map.html", map=titles.competence_map(current_user.id, found))


ACTIONS = {"save": "Saved.", "submit": "Submitted: your referees have been asked.", "withdraw": "Withdrawn.",
           "appeal": "Your appeal is lodged."}


def _act(application, action, form):
    """Save the draft (and submit it), or withdraw: one transaction, whose error goes beside the form."""
    if action in ("save", "submit") and application.status == "draft":
        applications.update_draft(current_user, application, form.changes())
    if action == "submit":
        applications.submit(current_user, application)
    elif action == "withdraw":
        applications.withdraw(current_user, application)
    elif action == "appeal":
        applications.appeal(current_user, application, AppealForm().grounds.data or "")


def _application_page(application_id, action):
    application = applications.get_own(current_user, application_id)
    title = titles.get_title(application.title)
    codes = [c.code for c in title.competences]
    form = draft_form(codes) if request.method == "POST" else draft_form(codes, application, title.referees_required)
    problem = None
    if form.validate_on_submit():
        try:
            _act(application, action, form)
        except DomainError as error:
            db.session.rollback()
            problem = error.page_message
        else:
            db.session.commit()
            flash(ACTIONS[action], "success")
            return redirect(url_for("registration.my_application", application_id=application.id))
        application = applications.get_own(current_user, application_id)
    records = db.session.scalars(record_services.record_search(current_user.id).limit(100)).all()
    statements = {s.code: s.text for s in application.statements}
    return render_template(
        "registration/application.html", application=application, title=title, form=form, problem=problem,
        statements=statements, words={c: _words(t) for c, t in statements.items()},
        guide=STATEMENT_WORD_GUIDE[title.level], records=records, referee_statuses=REFEREE_STATUSES,
        attached={e.record_id for e in application.evidence}, statuses=APPLICATION_STATUSES, open=OPEN_STATUSES,
        appeal_form=AppealForm(), may_appeal=applications.appeal_refusal(application) is None,
        appeal_deadline=applications.appeal_deadline(application),
        posted=request.form if problem else None), 422 if problem else 200


@bp.route("/registration/applications/<int:application_id>", methods=["GET", "POST"])
@login_required
def my_application(application_id):
    """The applicant's application; a POST saves the draft."""
    return _application_page(application_id, "save")


@bp.route("/registration/applications/<int:application_id>/submit", methods=["POST"])
@login_required
def submit_application(application_id):
    return _application_page(application_id, "submit")


@bp.route("/registration/applications/<int:application_id>/withdraw", methods=["POST"])
@login_required
def withdraw_application(application_id):
    return _application_page(application_id, "withdraw")


@bp.route("/registration/applications/<int:application_id>/appeal", methods=["POST"])
@login_required
def appeal_application(application_id):
    return _application_page(application_id, "appeal")


@bp.route("/supporters/<token>", methods=["GET", "POST"])
def supporter_page(token):
    """A referee's private page: no account, the link works once."""
    try:
        referee = referees.referee_for_link(token)
    except DomainError as error:
        return render_template("registration/supporter_gone.html", message=error.page_message), error.status_code
    form = SupporterForm()
    if form.validate_on_submit():
        done, _ = commit_change(lambda: referees.answer(token, form.decision.data == "confirm", form.comment.data),
                                form)
        if done:
            return render_template("registration/supporter_done.html", confirmed=form.decision.data == "confirm")
    application = referee.application
    title = titles.get_title(application.title)
    return render_template("registration/supporter.html", application=application, referee=referee, title=title,
                           form=form, statements={s.code: s.text for s in application.statements}), \
        422 if form.errors else 200


@bp.route("/staff/applications")
@staff_required
def staff_list():
    status = request.args.get("status") if request.args.get("status") in APPLICATION_STATUSES else None
    name = search_text()
    page = page_number()
    listing = paginate(review.staff_search(status, name or None), page, 25)
    return render_template("registration/staff_list.html", listing=listing, status=status, name=name,
                           statuses=APPLICATION_STATUSES)


def _staff_forms(application):
    forms = {"assessors": AssessorsForm(prefix="assessors"), "decision": DecisionForm(prefix="decision"),
             "interview": InterviewForm(prefix="interview")}
    eligible = choices({str(i): name for i, name in titles.eligible_assessors(application)}, blank=None)
    for name in ("assessors", "interview"):
        forms[name].first.choices = forms[name].second.choices = eligible
        if request.method == "GET" and len(eligible) > 1:
            forms[name].first.data, forms[name].second.data = eligible[0].value, eligible[1].value  # two people
    return forms


def _staff_page(application, forms):
    failed = any(form.errors for form in forms.values())
    title = titles.get_title(application.title)
    return render_template("registration/staff_application.html", application=application, title=title,
                           assessors_form=forms["assessors"], decision_form=forms["decision"],
                           interview_form=forms["interview"], statuses=APPLICATION_STATUSES,
                           referee_statuses=REFEREE_STATUSES, results=ASSESSMENT_RESULTS,
                           recommendations=RECOMMENDATIONS, names=review.people_named(application),
                           decidable=committee.decision_refusal(application, title) is None), 422 if failed else 200


def _staff_action(application_id, form_name, service, done_message):
    application = review.get_for_staff(current_user, application_id)
    forms = _staff_forms(application)
    form = forms[form_name]
    if form.validate():
        done, _ = commit_change(lambda: service(application, form), form)
        if done:
            flash(done_message(form), "success")
            return redirect(url_for("registration.staff_application", application_id=application_id))
    return _staff_page(application, forms)


@bp.route("/staff/applications/<int:application_id>")
@staff_required
def staff_application(application_id):
    application = review.get_for_staff(current_user, application_id)
    return _staff_page(application, _staff_forms(application))


@bp.route("/staff/applications/<int:application_id>/assessors", methods=["POST"])
@staff_required
def appoint_assessors(application_id):
    return _staff_action(application_id, "assessors", lambda application, form: review.appoint_assessors(
        current_user, application, [int(form.first.data), int(form.second.data)]), lambda form: "Assessors appointed.")


@bp.route("/staff/applications/<int:application_id>/interview", methods=["POST"])
@staff_required
def schedule_interview(application_id):
    return _staff_action(application_id, "interview", lambda application, form: interviews.schedule(
        current_user, application, form.details()), lambda form: "Interview scheduled: the invitations are sent.")


@bp.route("/staff/applications/<int:application_id>/decision", methods=["POST"])
@staff_required
def decide(application_id):
    return _staff_action(application_id, "decision", lambda application, form: committee.decide(
        current_user, application, form.outcome.data, form.comment.data),
        lambda form: f"Decision recorded: {form.outcome.data.replace('_', ' ')}.")


@bp.route("/assessments")
@login_required
def my_assessments():
    mine = db.session.scalars(review.my_assessments(current_user).limit(200)).all()
    return render_template("registration/assessments.html", applications=mine, statuses=APPLICATION_STATUSES)


def _verdict_page(application_id, own, send, others, **page):
    """An assessor's or an interviewer's page: the statements, and a verdict on every competence with
    a recommendation (`send` records it); `own` is (when it was sent, what it recommended)."""
    application = db.session.get(Application, application_id)
    title = titles.get_title(application.title)
    form = assessment_form(c.code for c in title.competences)
    if form.validate_on_submit():
        results = form.results()
        done, _ = commit_change(lambda: send(results, form.comment.data, form.recommendation.data), form)
        if done:
            flash(page["sent"], "success")
            return redirect(url_for(page["back"][0]))
    return render_template("registration/assess.html", application=application, title=title, form=form,
                           assessment={"assessed_at": own[0], "recommendation": own[1]}, results=ASSESSMENT_RESULTS,
                           statements={s.code: s.text for s in application.statements},
                           others=others(application), **page), 422 if form.errors else 200


@bp.route("/assessments/<int:application_id>", methods=["GET", "POST"])
@login_required
def assess(application_id):
    assessment = review.assessment_of(current_user, application_id)
    return _verdict_page(
        application_id, (assessment.assessed_at, assessment.recommendation),
        lambda results, comment, recommendation: review.assess(current_user, application_id, results, comment,
                                                               recommendation),
        lambda application: [a for a in review.visible_assessments(application, current_user)
                             if a.assessor_id != current_user.id],
        heading="Assess", back=("registration.my_assessments", "My assessments"),
        sent="Your assessment is in. Thank you.")


@bp.route("/interviews")
@login_required
def my_interviews():
    mine = db.session.scalars(interviews.my_interviews(current_user).limit(200)).all()
    return render_template("registration/interviews.html", applications=mine, statuses=APPLICATION_STATUSES)


@bp.route("/interviews/<int:application_id>", methods=["GET", "POST"])
@login_required
def interview_report_page(application_id):
    """The interviewer's report: the same verdicts as an assessment, after the interview."""
    found = interviews.report_of(current_user, application_id)
    return _verdict_page(
        application_id, (found.reported_at, found.recommendation),
        lambda results, comment, recommendation: interviews.report(current_user, application_id, results, comment,
                                                                   recommendation),
        lambda application: [r for r in interviews.visible_reports(application, current_user)
                             if r.interviewer_id != current_user.id],
        heading="Interview report", back=("registration.my_interviews", "My interviews"),
        sent="Your interview report is in. Thank you.", interview=db.session.get(Application, application_id).interview)
