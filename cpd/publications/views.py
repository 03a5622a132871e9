"""The publications list (anyone), "I read this" (members) and publishing (staff), as pages."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from cpd.web.pages import page_number, staff_required
from cpd.web.forms import ConfirmForm, commit_change
from cpd.core.pagination import paginate
from cpd.publications import services
from cpd.publications.forms import PublicationForm

bp = Blueprint("publications", __name__)


@bp.route("/publications")
def publication_list():
    page = page_number()
    listing = paginate(services.publication_search(), page, 25)
    read = services.titles_read_by(current_user.id) if current_user.is_authenticated else set()
    return render_template("publications/list.html", listing=listing, read=read, confirm_form=ConfirmForm())


@bp.route("/publications/<int:publication_id>/download")
def download(publication_id):
    """Open the publication, counting the download (for education resources' reach)."""
    done, address = commit_change(lambda: services.count_download(services.get_publication(publication_id)))
    return redirect(address if done else url_for("publications.publication_list"))


@bp.route("/publications/<int:publication_id>/read", methods=["POST"])
@login_required
def read(publication_id):
    publication = services.get_publication(publication_id)
    if ConfirmForm().validate_on_submit():
        done, record = commit_change(lambda: services.read(current_user, publication))
        if done:
            flash("Logged as CPD: add what you learned and how it helps your work.", "success")
            return redirect(url_for("records.edit_record", record_id=record.id))
    return redirect(url_for("publications.publication_list"))


@bp.route("/staff/publications/new", methods=["GET", "POST"])
@staff_required
def publish():
    form = PublicationForm()
    if form.validate_on_submit():
        values = {name: form[name].data for name in ("title", "kind", "audience", "published_on", "url", "cpd_hours")}
        done, _ = commit_change(lambda: services.publish(current_user, values), form)
        if done:
            flash("Published.", "success")
            return redirect(url_for("publications.publication_list"))
    return render_template("publications/form.html", form=form), 422 if form.errors else 200
