"""The progress page of an export the worker is building, and its download."""
from flask import Blueprint, render_template
from flask_login import current_user

from cpd.web.pages import staff_required
from cpd.exports import jobs

bp = Blueprint("exports", __name__)


@bp.route("/staff/exports/<job_id>")
@staff_required
def progress(job_id):
    return render_template("exports/progress.html", job=jobs.get_own(current_user, job_id))
