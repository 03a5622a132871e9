"""Mentoring pages: the member's mentors (invite, end) and comments; a member mentor's mentees
(accept, open); and the mentee's log as a mentor sees it (through the private link, no account
needed, or signed in as their mentor), where the mentor comments on a record."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from cpd.core.errors import DomainError
from cpd.core.pagination import paginate
from cpd.extensions import db
from cpd.mentoring import services
from cpd.web.forms import ConfirmForm, attach_errors, commit_change
from cpd.web.pages import page_number

bp = Blueprint("mentoring", __name__)


class CommentForm(FlaskForm):
    record_id = HiddenField()
    text = TextAreaField("Your comment", validators=[DataRequired(), Length(max=5000)])


class InviteForm(FlaskForm):
    email = EmailField("Your mentor's or line manager's email", validators=[DataRequired(), Length(max=254)])


@bp.route("/mentoring", methods=["GET", "POST"])
@login_required
def mine():
    form = InviteForm()
    if form.validate_on_submit():
        done, made = commit_change(lambda: services.invite(current_user, form.email.data), form)
        if done:
            flash(f"{made.email} is invited: they have a private link by email.", "success")
            return redirect(url_for("mentoring.mine"))
    return render_template("mentoring/mine.html", form=form, confirm=ConfirmForm(),
                           mentors=services.mentors_of(current_user),
                           comments=services.comments_on(current_user.id),
                           mentees=services.invitations_and_mentees(current_user)), 422 if form.errors else 200


@bp.route("/mentoring/mentors/<int:mentorship_id>/end", methods=["POST"])
@login_required
def end(mentorship_id):
    done, _ = commit_change(lambda: services.end(current_user, mentorship_id))
    if done:
        flash("The mentoring has ended: your mentor no longer sees your log.", "success")
    return redirect(url_for("mentoring.mine"))


@bp.route("/mentoring/mentees/<int:mentorship_id>/accept", methods=["POST"])
@login_required
def accept(mentorship_id):
    done, mentorship = commit_change(lambda: services.accept(current_user, mentorship_id))
    if done:
        return redirect(url_for("mentoring.mentee_as_member", member_id=mentorship.mentee_id))
    return redirect(url_for("mentoring.mine"))


@bp.route("/mentees/<int:member_id>", methods=["GET", "POST"])
@login_required
def mentee_as_member(member_id):
    return _mentee_page(services.active_mentorship(current_user, member_id))


@bp.route("/mentoring/<token>", methods=["GET", "POST"])
def mentee_page(token):
    mentorship = services.for_link(token)
    db.session.commit()  # opening the link accepts the invitation
    return _mentee_page(mentorship)


def _mentee_page(mentorship):
    form = CommentForm()
    if form.validate_on_submit():
        record_id = int(form.record_id.data) if (form.record_id.data or "").isdigit() else None
        try:
            services.comment(mentorship, form.text.data, record_id)
        except DomainError as error:
            db.session.rollback()
            attach_errors(form, error)
        else:
            db.session.commit()
            flash("Your comment is saved: the member sees it with their log.", "success")
            return redirect(request.path)
    listing = paginate(services.shared_records(mentorship), page_number(), 25)
    return render_template("mentoring/mentee.html", mentorship=mentorship, listing=listing, form=form,
                           comments=mentorship.comments), 422 if form.errors else 200
