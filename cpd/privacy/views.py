"""A person's data as pages: download everything held on me, erase my account; staff erase a member's."""
from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user

from cpd.extensions import db
from cpd.members import services as member_services
from cpd.privacy import services
from cpd.web.forms import ConfirmForm, commit_change
from cpd.web.pages import staff_required

bp = Blueprint("privacy", __name__)


@bp.route("/profile/data.zip")
@login_required
def download_my_data():
    content = services.export_zip(current_user)
    db.session.commit()
    return Response(content, mimetype="application/zip",
                    headers={"Content-Disposition": 'attachment; filename="my-data.zip"'})


@bp.route("/profile/erase", methods=["GET", "POST"])
@login_required
def erase_my_account():
    form = ConfirmForm()
    if form.validate_on_submit():
        services.erase_member(current_user, current_user)
        db.session.commit()
        logout_user()
        flash("Your account is erased. Thank you for having been with us.", "success")
        return redirect(url_for("home.index"))
    return render_template("members/confirm_erase.html", member=current_user, form=form, own=True)


@bp.route("/staff/members/<int:member_id>/erase", methods=["GET", "POST"])
@staff_required
def erase_member(member_id):
    member = member_services.get_member(member_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        done, _ = commit_change(lambda: services.erase_member(current_user, member))
        if done:
            flash("The member's personal data is erased; their figures remain.", "success")
        return redirect(url_for("members.member_detail", member_id=member.id))
    return render_template("members/confirm_erase.html", member=member, form=form, own=False)
