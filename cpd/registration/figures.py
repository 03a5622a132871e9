"""The registration process in figures: applications by stage, the days from first submission to a
decision, and appeals with their outcomes. The KPIs (cpd.metrics) read the same functions for a
year; `GET /applications/figures` for all time."""
import statistics
from datetime import timezone

import sqlalchemy as sa

from cpd.extensions import db
from cpd.registration.models import Application, ApplicationStep
from cpd.registration.vocabulary import APPLICATION_STATUSES

APPEAL_STEPS = {"appealed": "lodged", "appeal_upheld": "upheld", "appeal_upheld_referred_back": "upheld",
                "appeal_dismissed": "dismissed"}


def by_status():
    """How many applications stand at each status today: {status: n}, only those with any."""
    return dict(db.session.execute(sa.select(Application.status, sa.func.count()).group_by(Application.status)).all())


def decisions(decided_from=None, decided_before=None):
    """[(status, whole days from the first submission to the decision)] of the applications decided
    in [decided_from, decided_before) (all of them without bounds): each counted once, however often
    it was sent back and submitted again."""
    first_submitted = (sa.select(ApplicationStep.application_id, sa.func.min(ApplicationStep.at).label("at"))
                       .where(ApplicationStep.step == "submitted").group_by(ApplicationStep.application_id).subquery())
    statement = (sa.select(Application.status, Application.decided_at, first_submitted.c.at)
                 .join(first_submitted, first_submitted.c.application_id == Application.id)
                 .where(Application.decided_at.is_not(None)))
    if decided_from is not None:
        statement = statement.where(Application.decided_at >= decided_from, Application.decided_at < decided_before)
    return [(status, (_as_aware(decided_at) - _as_aware(sent)).days)
            for status, decided_at, sent in db.session.execute(statement)]


def median_days(decided):
    days = sorted(days for _, days in decided)
    return float(statistics.median(days)) if days else None


def _as_aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def appeals(counts_by_status):
    """Appeals lodged, upheld and dismissed (from the applications' histories), and those pending."""
    steps = dict(db.session.execute(sa.select(ApplicationStep.step, sa.func.count()).where(
        ApplicationStep.step.in_(APPEAL_STEPS)).group_by(ApplicationStep.step)).all())
    found = {"lodged": 0, "upheld": 0, "dismissed": 0}
    for name, count in steps.items():
        found[APPEAL_STEPS[name]] += count
    return {**found, "pending": counts_by_status.get("under_appeal", 0)}


def figures():
    """Applications by stage, the median days to a decision, and appeals: three queries."""
    counts, decided = by_status(), decisions()
    return {"by_status": {status: counts.get(status, 0) for status in APPLICATION_STATUSES},
            "decided": len(decided), "median_days_to_decision": median_days(decided), "appeals": appeals(counts)}
