"""The organisation pages: joining by the admin's link; a member's organisations with the sharing
switch; an admin's people (standing only for those who share), invitation link, group booking and
orders; and the staff list of organisations with their scheme approvals."""
import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from cpd.core.errors import DomainError
from cpd.core.models import utcnow
from cpd.core.pagination import paginate
from cpd.extensions import db
from cpd.organisations import schemes, services, sponsored
from cpd.records.models import CpdPolicy
from cpd.web.forms import ConfirmForm, attach_errors, choices, commit_change
from cpd.web.pages import page_number, staff_required

bp = Blueprint("organisations", __name__)


@bp.route("/organisations/join/<token>", methods=["GET", "POST"])
@login_required
def join_page(token):
    organisation = services.organisation_for_invitation(token)
    form = ConfirmForm()
    if form.validate_on_submit():
        done, _ = commit_change(lambda: services.join_by_invitation(current_user, token), form)
        if done:
            flash(f"You belong to {organisation.name} now. You choose whether it sees your CPD standing.", "success")
            return redirect(url_for("organisations.mine"))
    already = services.belongs(organisation.id, current_user.id)
    db.session.rollback()
    return render_template("organisations/join.html", organisation=organisation, form=form, already=already)


# --- a member's organisations --------------------------------------------------------------------

@bp.route("/organisations")
@login_required
def mine():
    return render_template("organisations/mine.html", rows=services.organisations_of(current_user.id),
                           invitations=services.invitations_for(current_user.id), form=ConfirmForm())


@bp.route("/organisations/<int:organisation_id>/confirm", methods=["POST"])
@login_required
def confirm(organisation_id):
    done, affiliation = commit_change(lambda: services.confirm_invitation(current_user, organisation_id))
    if done:
        flash(f"You belong to {affiliation.organisation.name} now.", "success")
    return redirect(url_for("organisations.mine"))


@bp.route("/organisations/<int:organisation_id>/sharing", methods=["POST"])
@login_required
def sharing(organisation_id):
    share = request.form.get("share") == "on"
    done, _ = commit_change(lambda: services.set_sharing(current_user, organisation_id, share))
    if done:
        flash("You now share your CPD standing with it." if share else "You no longer share your CPD standing: "
              "its admins see nothing of it from now.", "success")
    return redirect(url_for("organisations.mine"))


# --- an admin's page ----------------------------------------------------------------------------

class GroupBookingForm(FlaskForm):
    event_id = SelectField("Event", coerce=int, validators=[DataRequired()])
    price_id = SelectField("Price", coerce=int, validators=[DataRequired()])
    purchase_order = StringField("Purchase order number", validators=[Optional(), Length(max=64)])


@bp.route("/organisations/<int:organisation_id>/admin", methods=["GET", "POST"])
@login_required
def admin_page(organisation_id):
    organisation = services.require_admin(current_user, organisation_id)
    events = sponsored.bookable_events(utcnow())
    form = GroupBookingForm()
    form.event_id.choices = choices({str(event.id): f"{event.title} ({event.starts_at:%-d %b %Y})"
                                     for event in events}, blank=None)
    form.price_id.choices = choices({str(price.id): f"{event.title}: {price.name}, £{price.amount}"
                                     for event in events for price in event.prices}, blank=None)
    invitation = None
    if request.method == "POST" and request.form.get("action") == "invite":
        if ConfirmForm().validate_on_submit():
            invitation = services.invitation_link(current_user, organisation.id)
            db.session.commit()
    elif form.validate_on_submit():
        chosen = [int(value) for value in request.form.getlist("member_ids") if value.isdigit()]
        try:
            order = sponsored.book_people(current_user, organisation.id, {
                "event_id": form.event_id.data, "member_ids": chosen, "price_id": form.price_id.data,
                "purchase_order": form.purchase_order.data})
        except DomainError as error:
            db.session.rollback()
            attach_errors(form, error)
            form.event_id.errors = list(form.event_id.errors) + [error.page_message]
        else:
            db.session.commit()
            flash(f"Booked {len(chosen)} people: order {order.number}, invoice sent.", "success")
            return redirect(url_for("organisations.admin_page", organisation_id=organisation.id))
    people = services.people(current_user, organisation.id, page_number(), 100)
    db.session.commit()  # the audit entry of this look
    return render_template("organisations/admin.html", organisation=organisation, people=people, form=form,
                           invite_form=ConfirmForm(), invitation=invitation, orders=sponsored.orders_of(organisation.id)), \
        422 if form.errors else 200


# --- staff ---------------------------------------------------------------------------------------

class OrganisationForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=choices({kind: kind.capitalize() for kind in services.KINDS}, blank=None))
    billing_name = StringField("Invoices to (name)", validators=[Optional(), Length(max=500)])
    billing_address = StringField("Billing address", validators=[Optional(), Length(max=500)])


class ApprovalForm(FlaskForm):
    policy = SelectField("CPD policy")
    valid_from = DateField("Approved from", validators=[DataRequired()])
    until = DateField("Approved until", validators=[DataRequired()])
    document_name = StringField("The scheme's document", validators=[Optional(), Length(max=200)])


@bp.route("/staff/organisations", methods=["GET", "POST"])
@staff_required
def staff_list():
    form = OrganisationForm()
    if form.validate_on_submit():
        done, made = commit_change(lambda: services.create(current_user, {
            "name": form.name.data, "kind": form.kind.data,
            "billing": {"name": form.billing_name.data or "", "address": form.billing_address.data or ""}}), form)
        if done:
            flash(f"{made.name} is added.", "success")
            return redirect(url_for("organisations.staff_organisation", organisation_id=made.id))
    listing = paginate(services.search(request.args.get("q", "").strip()[:100]), page_number(), 25)
    return render_template("organisations/staff_list.html", form=form, listing=listing), 422 if form.errors else 200


@bp.route("/staff/organisations/<int:organisation_id>", methods=["GET", "POST"])
@staff_required
def staff_organisation(organisation_id):
    organisation = services.get(organisation_id)
    form = ApprovalForm()
    form.policy.choices = choices({p.code: p.name for p in db.session.scalars(sa.select(CpdPolicy)
                                                                              .order_by(CpdPolicy.name))}, blank=None)
    if form.validate_on_submit():
        done, _ = commit_change(lambda: schemes.approve(current_user, organisation.id, {
            "policy": form.policy.data, "from": form.valid_from.data, "until": form.until.data,
            "document_name": form.document_name.data}), form)
        if done:
            flash("The scheme is approved.", "success")
            return redirect(request.path)
    return render_template("organisations/staff_organisation.html", organisation=organisation, form=form,
                           approvals=schemes.approvals_of(organisation.id)), 422 if form.errors else 200
