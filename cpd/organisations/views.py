"""Joining an organisation by the link its admin passed on."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from cpd.extensions import db
from cpd.organisations import services
from cpd.web.forms import ConfirmForm, commit_change

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
            return redirect(url_for("home.index"))
    already = services.belongs(organisation.id, current_user.id)
    db.session.rollback()
    return render_template("organisations/join.html", organisation=organisation, form=form, already=already)
