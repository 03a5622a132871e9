"""Outside engagement and technical supporters, as staff pages."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from cpd.web.pages import page_number, staff_required
from cpd.web.forms import commit_change
from cpd.core.pagination import paginate
from cpd.engagement import services
from cpd.engagement.forms import EngagementForm, SupporterForm

bp = Blueprint("engagement", __name__, url_prefix="/staff")



@bp.route("/engagements", methods=["GET", "POST"])
@staff_required
def engagements():
    form = EngagementForm()
    if form.validate_on_submit():
        values = {name: form[name].data for name in ("kind", "organisation", "title", "happened_on", "notes",
                                                     "topics")}
        done, _ = commit_change(lambda: services.record_engagement(current_user, values), form)
        if done:
            flash("Engagement recorded.", "success")
            return redirect(url_for("engagement.engagements"))
    listing = paginate(services.engagement_search(), page_number(), 25)
    return render_template("engagement/engagements.html", form=form, listing=listing), 422 if form.errors else 200


@bp.route("/supporters", methods=["GET", "POST"])
@staff_required
def supporters():
    form = SupporterForm()
    if form.validate_on_submit():
        values = {name: form[name].data for name in ("name", "kind", "since", "until")}
        done, _ = commit_change(lambda: services.add_supporter(current_user, values), form)
        if done:
            flash("Technical supporter added.", "success")
            return redirect(url_for("engagement.supporters"))
    listing = paginate(services.supporter_search(), page_number(), 25)
    return render_template("engagement/supporters.html", form=form, listing=listing), 422 if form.errors else 200
