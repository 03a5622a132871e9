"""The strategy's headline measures, their targets and their trend over the years.

Each headline is one number read from the year's KPIs; staff set a target per headline per year,
and the dashboard shows the year against its target and against the years before.
"""
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa

from cpd.core import audit
from cpd.core.errors import Invalid
from cpd.core.permissions import ensure_staff
from cpd.extensions import db
from cpd.metrics.models import MeasureTarget

# {measure: (what it is, how it is read from a year's KPIs as a dict)}
HEADLINES = {
    "registrations.awarded": ("Registrations awarded", lambda k: sum(k["registrations"]["awarded"].values())),
    "registrations.held": ("Registrations held", lambda k: sum(k["registrations"]["held"].values())),
    "membership.members": ("Members of the body", lambda k: sum(k["membership"]["by_grade"].values())),
    "training.members_engaged": ("Members engaged with training", lambda k: k["training"]["members_engaged"]),
    "training.non_members_engaged": ("Non-members engaged with training",
                                     lambda k: k["training"]["non_members_engaged"]),
    "training.share_of_members": ("Share of members engaged with training", lambda k: k["training"]["share_of_members"]),
    "cpd.hours_logged": ("CPD hours logged", lambda k: k["cpd"]["hours_logged"]),
    "cpd.share_meeting_policy": ("Share of members meeting their CPD policy",
                                 lambda k: k["cpd"]["share_meeting_policy"]),
    "outreach.young_people": ("Young people reached", lambda k: k["outreach"]["young_people"]),
    "outreach.teachers": ("Teachers reached", lambda k: k["outreach"]["teachers"]),
    "engagement.conference_attendances": ("Conference attendances", lambda k: k["engagement"]["conference_attendances"]),
    "engagement.sig_members": ("Members in a SIG", lambda k: k["engagement"]["sig_members"]),
    "engagement.government": ("Engagements with government", lambda k: k["engagement"]["government"]),
    "recognition.fellows": ("Fellows", lambda k: k["recognition"]["fellows"]),
    "recognition.technical_supporters": ("Technical supporters", lambda k: k["recognition"]["technical_supporters"]),
    "satisfaction.average_rating": ("Average event rating", lambda k: k["satisfaction"]["average_rating"]),
    "satisfaction.survey_average_rating": ("Average survey rating", lambda k: k["satisfaction"]["survey"]["average_rating"]),
    "publications.members_reading": ("Members reading publications", lambda k: k["publications"]["members_reading"]),
    "training.members_with_publications": ("Members engaged with training or the Publications",
                                           lambda k: k["training"]["with_publications"]["members_engaged"]),
    "education.downloads": ("Education resources downloaded", lambda k: k["education"]["downloads"]),
}


def headline_values(kpis):
    """{measure: value} of a year's KPIs (a dict)."""
    return {measure: read(kpis) for measure, (_, read) in HEADLINES.items()}


def targets_for(year):
    rows = db.session.execute(sa.select(MeasureTarget.measure, MeasureTarget.target).where(MeasureTarget.year == year))
    return {measure: float(target) for measure, target in rows}


def set_target(actor, year, measure, target):
    """Staff set (or, with None, remove) the target of one measure for one year."""
    ensure_staff(actor, "Only staff set the strategy's targets.")
    errors = {}
    if measure not in HEADLINES:
        errors["measure"] = [f"Unknown measure. Known: {', '.join(HEADLINES)}."]
    if not isinstance(year, int) or not 2000 <= year <= 2200:
        errors["year"] = ["Give a year from 2000 to 2200."]
    if target is not None:
        try:
            target = Decimal(str(target))
        except (InvalidOperation, ValueError):
            target = Decimal(-1)
        if not target.is_finite() or not 0 <= target <= Decimal("1e9"):
            errors["target"] = ["Give a number from 0 upwards (a share as a fraction: 0.4 for 40%)."]
    if errors:
        raise Invalid.from_fields(errors)
    existing = db.session.get(MeasureTarget, (year, measure))
    old = float(existing.target) if existing else None
    if target is None:
        if existing is not None:
            db.session.delete(existing)
    elif existing is None:
        db.session.add(MeasureTarget(year=year, measure=measure, target=target))
    else:
        existing.target = target
    db.session.flush()
    new = float(target) if target is not None else None
    if new != old:
        audit.record(actor, "target.set", "measure", None, year=year, measure=measure, old=old, new=new)
