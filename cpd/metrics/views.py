"""The staff dashboard: the year's measures with charts and their tables, and the exports."""
from datetime import datetime, timezone

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cpd.web.pages import staff_required
from cpd.core import charts
from cpd.core.errors import Invalid
from cpd.web.forms import ConfirmForm
from cpd.extensions import db
from cpd.members.vocabulary import CAREER_STAGES, DISCIPLINES, label
from cpd.metrics import measures, people_figures, targets
from cpd.records.vocabulary import ACTIVITY_TYPES

bp = Blueprint("metrics", __name__)


def _labelled(counts, vocabulary):
    return [(label(vocabulary, code) if code != people_figures.NOT_GIVEN else "Not given", n) for code, n in counts.items()]


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
    against, trend = _against_targets_and_trend(year, kpis)
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
    return render_template("metrics/dashboard.html", year=year, kpis=kpis, figures=figures, against=against,
                           trend=trend, explanations=measures.EXPLANATIONS, error=None)


TREND = ("membership.members", "training.members_engaged", "registrations.awarded", "engagement.sig_members")


def _headlines_of(year):
    try:
        return targets.headline_values(measures.kpis(year).as_dict())
    except Invalid:
        return None  # before the first year we hold figures for


def _against_targets_and_trend(year, kpis):
    """Rows (name, this year, target, last year) for every headline, and a chart of the main counts
    over three years with its table."""
    this_year = targets.headline_values(kpis.as_dict())
    earlier = {y: _headlines_of(y) for y in (year - 2, year - 1)}
    goals = targets.targets_for(year)
    last_year = earlier[year - 1] or {}
    rows = [(name, this_year[measure], goals.get(measure), last_year.get(measure))
            for measure, (name, _) in targets.HEADLINES.items()]
    years = [y for y in (year - 2, year - 1) if earlier[y] is not None] + [year]
    values = {**{y: earlier[y] for y in years[:-1]}, year: this_year}
    names = [targets.HEADLINES[m][0] for m in TREND]
    chart = charts.line_chart(f"The main counts, {years[0]} to {year}", [str(y) for y in years],
                              [(name, [values[y][m] or 0 for y in years]) for name, m in zip(names, TREND)])
    table = [(str(y), *[values[y][m] for m in TREND]) for y in years]
    return rows, {"chart": chart, "table": table, "columns": ["Year", *names]}


@bp.route("/staff/figures/targets", methods=["GET", "POST"])
@staff_required
def set_targets():
    """One number per measure for the year; blank removes a target."""
    this_year = datetime.now(timezone.utc).year
    year = request.args.get("year", this_year, type=int) or this_year
    form, problems = ConfirmForm(), {}
    if form.validate_on_submit():
        for measure in targets.HEADLINES:
            given = request.form.get(measure, "").strip()
            try:
                targets.set_target(current_user, year, measure, given or None)
            except Invalid as error:
                problems[measure] = " ".join(" ".join(m) for m in error.errors.values()) or error.message
        if not problems:
            db.session.commit()
            flash(f"Targets for {year} saved.", "success")
            return redirect(url_for("metrics.dashboard", year=year))
        db.session.rollback()
    values = {m: request.form.get(m, "") for m in targets.HEADLINES} if problems else targets.targets_for(year)
    return render_template("metrics/targets.html", year=year, form=form, headlines=targets.HEADLINES,
                           values=values, problems=problems), 422 if problems else 200
