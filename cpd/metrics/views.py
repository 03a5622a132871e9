"""The staff dashboard: the year's measures with charts and their tables, and the exports."""
from datetime import datetime, timezone

from flask import Blueprint, render_template, request

from cpd.auth.decorators import staff_required
from cpd.core import charts
from cpd.core.errors import Invalid
from cpd.members.vocabulary import CAREER_STAGES, DISCIPLINES, label
from cpd.metrics import measures
from cpd.records.vocabulary import ACTIVITY_TYPES

bp = Blueprint("metrics", __name__)


def _labelled(counts, vocabulary):
    return [(label(vocabulary, code) if code != measures.NOT_GIVEN else "Not given", n) for code, n in counts.items()]


def _month_name(year_month):
    """'2026-01' as people read it: 'January 2026'."""
    return datetime.strptime(year_month, "%Y-%m").strftime("%B %Y")


@bp.route("/staff/figures")
@staff_required
def dashboard():
    this_year = datetime.now(timezone.utc).year
    asked = request.args.get("year", "").strip()
    if asked and not (asked.isdigit() and len(asked) == 4):
        return render_template("metrics/dashboard.html", year=this_year, kpis=None,
                               error=f"“{asked[:20]}” is not a year: give one as four digits, such as {this_year}."), 422
    year = int(asked) if asked else this_year
    try:
        kpis = measures.kpis(year)
    except Invalid as error:
        return render_template("metrics/dashboard.html", year=year, error=error.page_message, kpis=None), 422
    monthly = [(_month_name(month), booked, attended) for month, booked, attended in measures.monthly_activity(year)]
    by_discipline = _labelled(kpis.membership_engagement["by_discipline"], DISCIPLINES)
    by_stage = _labelled(kpis.membership_engagement["by_career_stage"], CAREER_STAGES)
    hours = [(label(ACTIVITY_TYPES, t), h) for t, h in measures.cpd_hours_by_type(year).items()]
    figures = {
        "monthly": (charts.line_chart(f"Bookings and attendances in {year}", [m[:3] for m, _, _ in monthly],
                                      [("Bookings made", [b for _, b, _ in monthly]),
                                       ("Attendances", [a for _, _, a in monthly])]), monthly),
        "discipline": (charts.bar_chart("Members who took part, by discipline", [n for n, _ in by_discipline],
                                        [("Members", [v for _, v in by_discipline])]), by_discipline),
        "stage": (charts.bar_chart("Members who took part, by career stage", [n for n, _ in by_stage],
                                   [("Members", [v for _, v in by_stage])], x_label_rotation=15), by_stage),
        "hours": (charts.bar_chart("CPD hours logged, by type of activity", [n for n, _ in hours],
                                   [("Hours", [v for _, v in hours])], x_label_rotation=15), hours),
    }
    return render_template("metrics/dashboard.html", year=year, kpis=kpis, figures=figures,
                           explanations=measures.EXPLANATIONS, error=None)
