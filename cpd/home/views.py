from flask import Blueprint, render_template
from flask_login import current_user

from cpd.events import booking as booking_service
from cpd.home import next_steps
from cpd.records import services as record_services
from cpd.sigs.leadership import sigs_led_by

bp = Blueprint("home", __name__)

NEXT_BOOKINGS = 3


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    upcoming = booking_service.bookings_page(booking_service.member_bookings(current_user.id, upcoming_only=True),
                                             1, NEXT_BOOKINGS)
    return render_template(
        "home/dashboard.html",
        member=current_user,
        cpd=record_services.summary_for(current_user),
        next_bookings=upcoming["items"],
        more_bookings=upcoming["total"] > NEXT_BOOKINGS,
        led_sigs=[] if current_user.is_staff else sigs_led_by(current_user),
        steps=next_steps.next_steps(current_user), step_date=next_steps.when,
    )
