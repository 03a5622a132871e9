"""Profile pages: my profile; for staff, the member list and a member's page."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cpd.web.pages import staff_required
from cpd.web.forms import blank_to_none, commit_change
from cpd.core.pagination import paginate
from cpd.members import equality, services
from cpd.members.forms import EqualityForm, MemberSearchForm, ProfileForm, RegistrationForm, StaffMemberForm
from cpd.members.services import SELF_FIELDS, STAFF_FIELDS
from cpd.members.vocabulary import REGISTRATION_TITLES, label

bp = Blueprint("members", __name__)


def _changes(form, fields):
    """The form's values for `fields`, with the select boxes' blank option meaning none."""
    changes = {name: blank_to_none(form[name].data) for name in fields}
    for flag in set(services.FLAGS) & set(changes):
        changes[flag] = bool(form[flag].data)
    return changes


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        done, _ = commit_change(lambda: services.update_own_profile(current_user, _changes(form, SELF_FIELDS)), form)
        if done:
            flash("Your profile is saved.", "success")
            return redirect(url_for("members.profile"))
    return render_template("members/profile.html", form=form), 422 if form.errors else 200


@bp.route("/staff/members")
@staff_required
def member_list():
    form = MemberSearchForm(request.args)
    filters = {}
    if form.validate():
        filters = {name: form[name].data for name in ("role", "grade", "discipline") if form[name].data}
        if form.q.data:
            filters["query"] = form.q.data
    page = request.args.get("page", 1, type=int)
    page = page if 1 <= page <= 1_000_000 else 1
    listing = paginate(services.member_search(**filters), page, 50)
    return render_template("members/list.html", form=form, listing=listing, filters=filters)


def _staff_member_page(member, form, registration_form, status=200):
    return (
        render_template("members/detail.html", member=member, form=form, registration_form=registration_form),
        status,
    )


@bp.route("/staff/members/<int:member_id>", methods=["GET", "POST"])
@staff_required
def member_detail(member_id):
    member = services.get_member(member_id)
    form = StaffMemberForm(obj=member, grade=member.grade or "")
    if form.validate_on_submit():
        done, _ = commit_change(
            lambda: services.update_member(current_user, member, _changes(form, STAFF_FIELDS)), form
        )
        if done:
            flash(f"{member.full_name}'s profile is saved.", "success")
            return redirect(url_for("members.member_detail", member_id=member.id))
    return _staff_member_page(member, form, RegistrationForm(formdata=None), 422 if form.errors else 200)


@bp.route("/staff/members/<int:member_id>/registrations", methods=["POST"])
@staff_required
def add_registration(member_id):
    member = services.get_member(member_id)
    registration_form = RegistrationForm()
    if registration_form.validate_on_submit():
        title, awarded_on = registration_form.title.data, registration_form.awarded_on.data
        done, _ = commit_change(
            lambda: services.add_registration(current_user, member, title, awarded_on), registration_form)
        if done:
            flash(f"{label(REGISTRATION_TITLES, title)} recorded for {member.full_name}.", "success")
            return redirect(url_for("members.member_detail", member_id=member.id))
    form = StaffMemberForm(formdata=None, obj=member, grade=member.grade or "")
    return _staff_member_page(member, form, registration_form, 422)


@bp.route("/profile/equality", methods=["GET", "POST"])
@login_required
def equality_answers():
    """Voluntary equality answers: given with consent, withdrawn (and deleted) by unticking it."""
    form = EqualityForm(data={field: "" if value is None else value
                              for field, value in equality.answers_of(current_user).items()})
    if form.validate_on_submit():
        values = {name: form[name].data for name in ("consent", "gender", "age_band", "ethnicity", "disability")}
        had_answers = equality.has_answers(current_user)
        done, answers = commit_change(lambda: equality.give_answers(current_user, values), form)
        if done:
            if answers["consent"]:
                flash("Your answers are kept, and only counted in aggregate.", "success")
            elif had_answers:
                flash("Consent withdrawn: your answers are deleted.", "success")
            else:
                flash("Nothing is kept: without your consent we hold no answers.", "success")
            return redirect(url_for("members.equality_answers"))
    return render_template("members/equality.html", form=form), 422 if form.errors else 200
