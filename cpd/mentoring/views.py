"""The mentor's page: the private link opens the mentee's log (no account needed), where the mentor
comments on a record or on the whole."""
from flask import Blueprint, flash, redirect, render_template, request
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from cpd.core.errors import DomainError
from cpd.core.pagination import paginate
from cpd.extensions import db
from cpd.mentoring import services
from cpd.web.forms import attach_errors
from cpd.web.pages import page_number

bp = Blueprint("mentoring", __name__)


class CommentForm(FlaskForm):
    record_id = HiddenField()
    text = TextAreaField("Your comment", validators=[DataRequired(), Length(max=5000)])


@bp.route("/mentoring/<token>", methods=["GET", "POST"])
def mentee_page(token):
    mentorship = services.for_link(token)
    db.session.commit()  # opening the link accepts the invitation
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
