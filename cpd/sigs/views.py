"""SIG pages: the list, a SIG's page, join and leave; for leads, their room; for staff, leads."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cpd.auth import services as auth_services
from cpd.web.pages import page_number, staff_required
from cpd.core.errors import DomainError
from cpd.web.forms import ConfirmForm, blank_to_none, commit_change
from cpd.web.redirects import safe_next
from cpd.core.pagination import paginate
from cpd.events import catalogue
from cpd.extensions import db
from cpd.sigs import services
from cpd.sigs.forms import AppointLeadForm, ReachForm, SigForm
from cpd.sigs.leadership import leads_sig

bp = Blueprint("sigs", __name__)


def _actor():
    return current_user if current_user.is_authenticated else None


@bp.route("/sigs")
def sig_list():
    page = page_number()
    listing = services.with_member_counts(paginate(services.sig_search(), page, 50))
    mine = {sig.id for sig in services.sigs_of(_actor())}
    return render_template("sigs/list.html", listing=listing, mine=mine)


@bp.route("/sigs/<int:sig_id>")
def sig_detail(sig_id):
    sig = services.get_sig(sig_id)
    actor = _actor()
    return render_template(
        "sigs/detail.html", sig=sig, form=ConfirmForm(),
        upcoming=services.sessions_of(sig.id, actor, upcoming=True),
        past=services.sessions_of(sig.id, actor, upcoming=False, limit=20),
        is_member=services.is_member(actor, sig),
        is_lead=leads_sig(actor, sig.id),
    )


@bp.route("/sigs/<int:sig_id>/join", methods=["POST"])
@login_required
def join(sig_id):
    sig = services.get_sig(sig_id)
    if ConfirmForm().validate_on_submit():
        done, _ = commit_change(lambda: services.join(current_user, sig))
        if done:
            flash(f"Welcome to {sig.name}.", "success")
    return redirect(safe_next(request.form.get("next")) or url_for("sigs.sig_detail", sig_id=sig.id))


@bp.route("/sigs/<int:sig_id>/leave", methods=["POST"])
@login_required
def leave(sig_id):
    sig = services.get_sig(sig_id)
    if ConfirmForm().validate_on_submit():
        done, _ = commit_change(lambda: services.leave(current_user, sig))
        if done:
            flash(f"You have left {sig.name}.", "success")
    return redirect(url_for("sigs.sig_detail", sig_id=sig.id))


@bp.route("/my-sigs")
@login_required
def my_sigs():
    """The groups I belong to, and the lead's room: each SIG they lead, its sessions with fill and
    attendance rates."""
    return render_template("sigs/my_sigs.html", report=services.led_sigs(current_user),
                           memberships=services.sigs_of(current_user))


@bp.route("/sigs/new", methods=["GET", "POST"])
@bp.route("/sigs/<int:sig_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_sig(sig_id=None):
    sig = services.get_sig(sig_id) if sig_id else None
    form = SigForm(obj=sig)
    if form.validate_on_submit():
        values = {"name": form.name.data, "discipline": blank_to_none(form.discipline.data),
                  "description": form.description.data or ""}
        done, saved = commit_change(
            lambda: services.create_sig(current_user, values) if sig is None
            else services.update_sig(current_user, sig, values), form)
        if done:
            flash("The SIG is saved.", "success")
            return redirect(url_for("sigs.sig_detail", sig_id=saved.id))
    return render_template("sigs/form.html", form=form, sig=sig), 422 if form.errors else 200


@bp.route("/sigs/<int:sig_id>/leads", methods=["GET", "POST"])
@staff_required
def leads(sig_id):
    sig = services.get_sig(sig_id)
    form = AppointLeadForm()
    if form.validate_on_submit():
        member = auth_services.find_by_email(form.email.data)
        try:
            if member is None:
                raise services.NotFound("No account has that email.")
            services.appoint_lead(current_user, sig, member.id)
        except DomainError as error:
            db.session.rollback()
            form.email.errors = [error.message]
        else:
            db.session.commit()
            flash(f"{member.full_name} now leads {sig.name}.", "success")
            return redirect(url_for("sigs.leads", sig_id=sig.id))
    return render_template("sigs/leads.html", sig=sig, form=form, confirm_form=ConfirmForm()), \
        422 if form.errors else 200


@bp.route("/sigs/<int:sig_id>/leads/<int:member_id>/remove", methods=["POST"])
@staff_required
def remove_lead(sig_id, member_id):
    sig = services.get_sig(sig_id)
    if ConfirmForm().validate_on_submit():
        services.remove_lead(current_user, sig, member_id)
        db.session.commit()
        flash("Lead removed.", "success")
    return redirect(url_for("sigs.leads", sig_id=sig.id))


@bp.route("/events/<int:event_id>/reach", methods=["GET", "POST"])
@login_required
def reach(event_id):
    event = catalogue.get_managed_event(current_user, event_id)
    if event.kind != "outreach":
        abort(404)
    form = ReachForm(obj=services.get_reach(event.id))
    if form.validate_on_submit():
        counts = (form.young_people.data, form.parents.data, form.teachers.data)
        done, _ = commit_change(lambda: services.record_reach(current_user, event, *counts), form)
        if done:
            flash("Reach recorded.", "success")
            return redirect(url_for("events.event_detail", event_id=event.id))
    return render_template("sigs/reach.html", form=form, event=event), 422 if form.errors else 200
