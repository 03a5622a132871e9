from flask import Blueprint, render_template
from flask_login import current_user

from cpd.records import services as record_services

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    return render_template(
        "home/dashboard.html",
        member=current_user,
        cpd=record_services.summary_for(current_user),
    )
