"""The development plan: a member's objectives, the competences they work towards, and the
activity logged against each. Functions flush, never commit; the caller commits once."""
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cpd.core.errors import Invalid, NotFound
from cpd.extensions import db
from cpd.records.models import CpdRecord, Objective, ObjectiveCompetence
from cpd.records.services import EARLIEST_DATE, TEXT_LIMIT, check_codes, check_text
from cpd.records.vocabulary import COMPETENCE_CODES, OBJECTIVE_STATUSES

OBJECTIVE_FIELDS = ("title", "why", "target_date", "status", "competences")


def _clean_objective(values):
    errors = {}
    cleaned = dict(values)
    cleaned["competences"] = check_codes("competences", values.get("competences") or [], COMPETENCE_CODES, errors)
    for field, limit, required in (("title", 200, True), ("why", TEXT_LIMIT, False)):
        try:
            cleaned[field] = check_text(field, values.get(field), limit, required=required)
        except Invalid as error:
            errors.update(error.errors)
    if values.get("status") not in OBJECTIVE_STATUSES:
        errors["status"] = [f"Must be one of: {', '.join(OBJECTIVE_STATUSES)}."]
    target = values.get("target_date")
    if target is not None and (target < EARLIEST_DATE or target.year > 2200):
        errors["target_date"] = ["Give a date between 1950 and 2200."]
    if errors:
        raise Invalid.from_fields(errors)
    return cleaned


def add_objective(member, values):
    values = {"status": "planned", **{f: values.get(f) for f in OBJECTIVE_FIELDS if f in values}}
    cleaned = _clean_objective({"why": "", **values})
    codes = cleaned.pop("competences")
    objective = Objective(member_id=member.id, competence_rows=[ObjectiveCompetence(code=c) for c in codes], **cleaned)
    db.session.add(objective)
    db.session.flush()
    return objective


def get_objective_for(actor, objective_id):
    objective = db.session.get(Objective, objective_id)
    if objective is None or objective.member_id != actor.id:
        raise NotFound("No such objective.")
    return objective


def update_objective(actor, objective, changes):
    if objective.member_id != actor.id:
        raise NotFound("No such objective.")
    current = {f: getattr(objective, f) for f in OBJECTIVE_FIELDS}
    cleaned = _clean_objective({**current, **changes})
    for field in changes:
        if field == "competences":
            objective.competence_rows.clear()
            db.session.flush()
            objective.competence_rows = [ObjectiveCompetence(code=c) for c in cleaned[field]]
        else:
            setattr(objective, field, cleaned[field])
    db.session.flush()
    return objective


def delete_objective(actor, objective):
    if objective.member_id != actor.id:
        raise NotFound("No such objective.")
    db.session.delete(objective)
    db.session.flush()


def objective_search(member_id):
    """A select() of the member's objectives, soonest target first, with their records."""
    return (
        sa.select(Objective)
        .where(Objective.member_id == member_id)
        .options(selectinload(Objective.records), selectinload(Objective.competence_rows))
        .order_by(Objective.target_date.is_(None), Objective.target_date, Objective.id)
    )


def development_plan(member_id):
    """The member's objectives with the activity logged against each: two queries."""
    return db.session.scalars(objective_search(member_id)).all()


def hours_by_objective(member_id):
    rows = db.session.execute(
        sa.select(CpdRecord.objective_id, sa.func.sum(CpdRecord.hours))
        .where(CpdRecord.member_id == member_id, CpdRecord.objective_id.is_not(None))
        .group_by(CpdRecord.objective_id)
    )
    return {objective_id: Decimal(str(hours)) for objective_id, hours in rows}


