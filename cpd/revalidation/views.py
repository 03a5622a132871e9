"""Revalidation as pages: my declaration and audit cases; staff's declarations, audits and cases."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cpd.web.pages import page_number, search_text, staff_required
from cpd.web.forms import ConfirmForm, commit_change
from cpd.core.models import utcnow
from cpd.core.pagination import count_rows, paginate
from cpd.extensions import db
from cpd.revalidation import audits, cases, declarations
from cpd.revalidation.api import send_frozen_evidence
from cpd.revalidation.forms import CaseAppealForm, DeclarationForm, DeferralForm, DrawForm, OutcomeForm
from cpd.revalidation.vocabulary import CASE_STATUSES, OUTCOMES

bp = Blueprint("revalidation", __name__)


@bp.route("/revalidation", methods=["GET", "POST"])
@login_required
def overview():
    year = utcnow().year
    form = DeclarationForm()
    if form.validate_on_submit():
        done, _ = commit_change(lambda: declarations.declare(current_user, year, bool(form.meets_standards.data),
                                                             form.statement.data or ""), form)
        if done:
            flash(f"Your {year} declaration is recorded.", "success")
            return redirect(url_for("revalidation.overview"))
    made = declarations.declarations_of(current_user.id)
    return render_template("revalidation/overview.html", form=form, year=year, deadline=declarations.deadline(year),
                           registrant=declarations.is_registrant(current_user.id), declarations=made,
                           declared=any(d.year == year for d in made), cases=cases.own_cases(current_user),
                           statuses=CASE_STATUSES, confirm_form=ConfirmForm(), deferral_form=DeferralForm(),
                           appeal_form=CaseAppealForm(), outcomes=OUTCOMES), 422 if form.errors else 200


@bp.route("/revalidation/cases/<int:case_id>/submit", methods=["POST"])
@login_required
def submit_case(case_id):
    case = cases.get_own(current_user, case_id)
    if ConfirmForm().validate_on_submit():
        done, _ = commit_change(lambda: cases.submit(current_user, case))
        if done:
            flash("Your CPD profile for the last 12 months is submitted.", "success")
    return redirect(url_for("revalidation.overview"))


@bp.route("/revalidation/cases/<int:case_id>/appeal", methods=["POST"])
@login_required
def appeal_case(case_id):
    case = cases.get_own(current_user, case_id)
    form = CaseAppealForm()
    if form.validate_on_submit():
        done, _ = commit_change(lambda: cases.appeal(current_user, case, form.grounds.data))
        if done:
            flash("Your appeal is lodged: you stay registered until it is decided.", "success")
    else:
        flash("Say on what grounds you appeal.", "error")
    return redirect(url_for("revalidation.overview"))


@bp.route("/revalidation/cases/<int:case_id>/deferral", methods=["POST"])
@login_required
def ask_deferral(case_id):
    case = cases.get_own(current_user, case_id)
    form = DeferralForm()
    if form.validate_on_submit():
        done, _ = commit_change(lambda: cases.ask_deferral(current_user, case, form.reason.data))
        if done:
            flash("Your request for a deferral is with the staff.", "success")
    else:
        flash("Say why you need a deferral.", "error")
    return redirect(url_for("revalidation.overview"))


@bp.route("/staff/revalidation", methods=["GET", "POST"])
@staff_required
def staff_overview():
    this_year = utcnow().year
    year = request.args.get("year", this_year, type=int) or this_year
    year = min(max(year, 2000), this_year)
    form = DrawForm()
    if form.validate_on_submit():
        done, drawn = commit_change(lambda: audits.draw(current_user, year, form.sample_percent.data, form.seed.data),
                                    form)
        if done:
            flash(f"The {year} audit is drawn: {len(drawn.cases)} of {drawn.eligible} eligible registrants.", "success")
            return redirect(url_for("revalidation.staff_audit", audit_id=drawn.id))
    name = search_text()
    page = page_number()
    listing = paginate(declarations.registrants_for(year, name or None), page, 100, rows=True)
    declared, registrants = declarations.declaration_counts(year)
    return render_template("revalidation/staff_overview.html", year=year, form=form, listing=listing, name=name,
                           declared=declared, registrant_count=registrants,
                           overdue=utcnow().date() > declarations.overdue_after(year),
                           deadline=declarations.deadline(year),
                           audits=db.session.scalars(audits.audit_search().limit(20)).all()), 422 if form.errors else 200


@bp.route("/staff/cpd-audits/<int:audit_id>")
@staff_required
def staff_audit(audit_id):
    cpd_audit = audits.get_audit(current_user, audit_id)
    name = search_text()
    page = page_number()
    listing = paginate(audits.cases_of(cpd_audit, name or None), page, 100)
    return render_template("revalidation/staff_audit.html", audit=cpd_audit, outcomes=audits.outcomes(cpd_audit),
                           names=OUTCOMES, statuses=CASE_STATUSES, listing=listing, name=name,
                           sampled=count_rows(audits.cases_of(cpd_audit)))


@bp.route("/staff/audit-cases/<int:case_id>/evidence/<int:number>")
@staff_required
def staff_case_evidence(case_id, number):
    return send_frozen_evidence(audits.get_case(current_user, case_id), number)


@bp.route("/staff/audit-cases/<int:case_id>", methods=["GET", "POST"])
@staff_required
def staff_case(case_id):
    case = audits.get_case(current_user, case_id)
    form = OutcomeForm()
    if form.validate_on_submit():
        done, _ = commit_change(lambda: audits.record_outcome(
            current_user, case, form.outcome.data, form.comment.data or "",
            "no_response" if form.no_response.data else ""), form)
        if done:
            flash(f"Outcome recorded: {OUTCOMES[form.outcome.data].lower()}.", "success")
            return redirect(url_for("revalidation.staff_audit", audit_id=case.audit_id))
    return render_template("revalidation/staff_case.html", case=case, form=form, statuses=CASE_STATUSES), \
        422 if form.errors else 200
