from flask import Blueprint, render_template
from flask_login import current_user

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    return render_template("home/dashboard.html", member=current_user)
