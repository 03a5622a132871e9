"""My CPD log, its evidence, the development plan and the summary, as pages."""
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cpd.web.pages import page_number, staff_required
from cpd.core import charts
from cpd.core.errors import DomainError
from cpd.web.forms import ConfirmForm, blank_to_none, choices, commit_change
from cpd.core.pagination import paginate
from cpd.extensions import db
from cpd.members import services as member_services
from cpd.members.vocabulary import label
from cpd.records import plan as plan_service
from cpd.records import services
from cpd.records.api import send_evidence
from cpd.records.forms import (
    CpdRecordForm,
    EvidenceForm,
    ObjectiveForm,
    RecordFilterForm,
    SummaryForm,
)
from cpd.records.periods import add_months, counting_window
from cpd.records.vocabulary import ACTIVITY_TYPES

bp = Blueprint("records", __name__, url_prefix="/cpd")

REFLECTION_FIELDS = ("description", "learning", "benefit_to_practice", "benefit_to_users")
RECORD_FORM_FIELDS = ("title", "activity_type", "started_on", "ended_on", "hours", *REFLECTION_FIELDS, "formal",
                      "verifiable", "topics", "practice_areas", "competences")


def _record_values(form):
    """The form's values for the record service; a verified record's form lacks the register's fields."""
    values = {name: form[name].data for name in RECORD_FORM_FIELDS if name in form}
    if not form.practice_areas.choices:
        del values["practice_areas"]  # not asked (no areas named): a record's own stay as they are
    for name in REFLECTION_FIELDS:
        values[name] = values[name] or ""
    values["objective_id"] = int(form.objective_id.data) if blank_to_none(form.objective_id.data) else None
    return values


def _record_form(record=None):
    form = CpdRecordForm(obj=record)
    form.set_objectives(plan_service.development_plan(current_user.id))
    form.set_practice_areas(sorted({*current_user.area_codes, *(record.practice_areas if record else ())}))
    if record is not None and record.verified:
        for name in services.SET_BY_ATTENDANCE:
            delattr(form, name)
    return form


@bp.route("/")
@login_required
def record_list():
    form = RecordFilterForm(request.args)
    years = services.years_logged(current_user.id)
    form.year.choices = choices({str(y): str(y) for y in years}, blank="All years")
    filters = {}
    if request.args.get("year", "").isdigit():
        filters["year"] = int(request.args["year"])
    if request.args.get("activity_type") in ACTIVITY_TYPES:
        filters["activity_type"] = request.args["activity_type"]
    page = page_number()
    listing = paginate(services.record_search(current_user.id, **filters), page, 25)
    return render_template("records/list.html", form=form, listing=listing, filters=filters)


def _record_form_page(form, record=None, status=200):
    return render_template("records/form.html", form=form, record=record), status


@bp.route("/members/<int:member_id>")
@staff_required
def member_records(member_id):
    """Staff read a member's CPD log and where it stands (read only)."""
    member = member_services.get_member(member_id)
    services.ensure_may_read_member_records(current_user, member)
    db.session.commit()  # the audit entry of a staff read
    page = page_number()
    listing = paginate(services.record_search(member.id), page, 25)
    return render_template(
        "records/member_records.html", member=member, listing=listing, summary=services.summary_for(member)
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def add_record():
    form = _record_form()
    if request.method == "GET" and not form.started_on.data:
        form.started_on.data = services.today()
    if form.validate_on_submit():
        done, record = commit_change(lambda: services.add_record(current_user, _record_values(form)), form)
        if done:
            flash("Activity logged.", "success")
            return redirect(url_for("records.record_detail", record_id=record.id))
    return _record_form_page(form, status=422 if form.errors else 200)


@bp.route("/<int:record_id>")
@login_required
def record_detail(record_id):
    record = services.get_record_for(current_user, record_id, to_change=True)
    return render_template(
        "records/detail.html", record=record, evidence_form=EvidenceForm(), confirm_form=ConfirmForm()
    )


@bp.route("/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
def edit_record(record_id):
    record = services.get_record_for(current_user, record_id, to_change=True)
    form = _record_form(record)
    if request.method == "GET":
        form.objective_id.data = str(record.objective_id or "")
    if form.validate_on_submit():
        done, _ = commit_change(lambda: services.update_record(current_user, record, _record_values(form)), form)
        if done:
            flash("Changes saved.", "success")
            return redirect(url_for("records.record_detail", record_id=record.id))
    return _record_form_page(form, record, status=422 if form.errors else 200)


@bp.route("/<int:record_id>/delete", methods=["GET", "POST"])
@login_required
def delete_record(record_id):
    record = services.get_record_for(current_user, record_id, to_change=True)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.delete_record(current_user, record)
        except DomainError as error:
            db.session.rollback()
            flash(error.page_message, "error")
            return redirect(url_for("records.record_detail", record_id=record_id))
        db.session.commit()
        flash("The activity is deleted, with its evidence.", "success")
        return redirect(url_for("records.record_list"))
    return render_template("records/confirm_delete.html", record=record, form=form)


@bp.route("/<int:record_id>/evidence", methods=["POST"])
@login_required
def upload_evidence(record_id):
    record = services.get_record_for(current_user, record_id, to_change=True)
    form = EvidenceForm()
    if form.validate_on_submit():
        upload = form.file.data
        done, _ = commit_change(
            lambda: services.add_evidence(current_user, record, upload.filename, upload.read()), form
        )
        if done:
            flash("Evidence added.", "success")
            return redirect(url_for("records.record_detail", record_id=record.id))
    status = 413 if any("larger than" in e for e in form.file.errors) else 422
    return render_template("records/detail.html", record=record, evidence_form=form, confirm_form=ConfirmForm()), status


@bp.route("/<int:record_id>/evidence/<int:evidence_id>")
@login_required
def download_evidence(record_id, evidence_id):
    item = services.get_evidence_for(current_user, record_id, evidence_id)
    db.session.commit()  # the audit entry of a staff read
    return send_evidence(item)


@bp.route("/<int:record_id>/evidence/<int:evidence_id>/delete", methods=["GET", "POST"])
@login_required
def delete_evidence(record_id, evidence_id):
    item = services.get_evidence_for(current_user, record_id, evidence_id, to_change=True)
    form = ConfirmForm()
    back = url_for("records.record_detail", record_id=record_id)
    if form.validate_on_submit():
        services.delete_evidence(current_user, item)
        db.session.commit()
        flash("Evidence removed.", "success")
        return redirect(back)
    return render_template("confirm.html", form=form, back=back, title=f"Remove {item.filename}?",
                           message="The file will be deleted for good; the activity stays in your log.",
                           action="Remove the file")


# --- summary --------------------------------------------------------------------------------

def _months(start, end):
    months, cursor = [], date(start.year, start.month, 1)
    while cursor <= end:
        months.append(cursor)
        cursor = add_months(cursor, 1)
    return months


def summary_charts(summary, monthly):
    labels = [label(ACTIVITY_TYPES, t) for t in summary.by_activity_type]
    minimums = [services.get_policy(summary.policy).type_minimums.get(t) for t in summary.by_activity_type]
    series = [("Logged", list(summary.by_activity_type.values()))]
    if any(m is not None for m in minimums):
        series.append(("Minimum required", minimums))
    by_type = charts.bar_chart(f"{summary.unit.capitalize()} by type of activity", labels, series,
                               x_label_rotation=15)

    months = _months(summary.period_start, summary.period_end)
    running, cumulative = 0, []
    for month in months:
        running += monthly.get(month.strftime("%Y-%m"), 0)
        cumulative.append(running if month <= summary.as_of else None)  # nothing drawn for months to come
    progress_series = [("Logged so far", cumulative)]
    if summary.required is not None:
        progress_series.append(("Required", [summary.required] * len(months)))
    progress = charts.line_chart(
        "Progress over the period", [m.strftime("%b %y") for m in months], progress_series
    )
    rows = [(m.strftime("%B %Y"), amount) for m, amount in zip(months, cumulative) if amount is not None]
    return by_type, progress, rows


@bp.route("/summary")
@login_required
def summary():
    form = SummaryForm(request.args)
    form.policy.choices = choices({p.code: p.name for p in db.session.scalars(services.policy_search())}, blank=None)
    policy_code = request.args.get("policy") or current_user.cpd_policy
    form.policy.data = policy_code
    as_of = form.as_of.data if form.validate() and form.as_of.data else services.today()
    result = services.summary_for(current_user, policy_code, as_of)
    start, end = counting_window(services.get_policy(result.policy), as_of)
    monthly = services.monthly_hours(current_user.id, start, end)
    by_type_chart, progress_chart, progress_rows = summary_charts(result, monthly)
    return render_template(
        "records/summary.html", form=form, summary=result, by_type_chart=by_type_chart,
        progress_chart=progress_chart, progress_rows=progress_rows,
    )


# --- the development plan -------------------------------------------------------------------

@bp.route("/plan")
@login_required
def plan():
    return render_template(
        "records/plan.html",
        objectives=plan_service.development_plan(current_user.id),
        hours=plan_service.hours_by_objective(current_user.id),
        confirm_form=ConfirmForm(),
    )


def _objective_values(form):
    return {"title": form.title.data, "why": form.why.data or "", "target_date": form.target_date.data,
            "status": form.status.data}


@bp.route("/plan/new", methods=["GET", "POST"])
@bp.route("/plan/<int:objective_id>/edit", methods=["GET", "POST"])
@login_required
def edit_objective(objective_id=None):
    objective = plan_service.get_objective_for(current_user, objective_id) if objective_id else None
    form = ObjectiveForm(obj=objective)
    if form.validate_on_submit():
        values = _objective_values(form)
        done, _ = commit_change(
            lambda: plan_service.add_objective(current_user, values) if objective is None
            else plan_service.update_objective(current_user, objective, values), form)
        if done:
            flash("Development plan saved.", "success")
            return redirect(url_for("records.plan"))
    return render_template("records/objective_form.html", form=form, objective=objective), 422 if form.errors else 200


@bp.route("/plan/<int:objective_id>/delete", methods=["GET", "POST"])
@login_required
def delete_objective(objective_id):
    objective = plan_service.get_objective_for(current_user, objective_id)
    form = ConfirmForm()
    back = url_for("records.plan")
    if form.validate_on_submit():
        plan_service.delete_objective(current_user, objective)
        db.session.commit()
        flash("Objective removed; its activities stay in your log.", "success")
        return redirect(back)
    return render_template("confirm.html", form=form, back=back, title=f"Remove the objective {objective.title}?",
                           message="Activities logged against it stay in your log.", action="Remove the objective")
