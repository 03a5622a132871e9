"""The titles, their competences, who holds what, and a member's competence map."""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cpd.core import audit
from cpd.core.errors import Invalid
from cpd.core.permissions import ensure_staff
from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members.history import holds_registration_on
from cpd.members.models import Member
from cpd.records.models import CpdRecord, Objective, ObjectiveCompetence, RecordCompetence
from cpd.registration.models import RegistrationTitle
from cpd.registration.vocabulary import REFEREES_AT_MOST


def all_titles():
    return db.session.scalars(sa.select(RegistrationTitle).options(selectinload(RegistrationTitle.competences))
                              .order_by(RegistrationTitle.register, RegistrationTitle.level)).all()


def get_title(code):
    title = db.session.get(RegistrationTitle, code) if isinstance(code, str) else None
    if title is None:
        known = ", ".join(db.session.scalars(sa.select(RegistrationTitle.title).order_by(RegistrationTitle.title)))
        raise Invalid.on_field("title", f"Unknown title. Known: {known}.")
    return title


def configure(actor, title, changes):
    """Staff set how many referees a title needs and whether a professional review interview follows
    its assessment (the Engineering Council's default: IEng and CEng are interviewed)."""
    ensure_staff(actor, "Only staff configure the registration titles.")
    errors = {}
    referees = changes.get("referees_required", title.referees_required)
    if not isinstance(referees, int) or isinstance(referees, bool) or not 1 <= referees <= REFEREES_AT_MOST:
        errors["referees_required"] = [f"A whole number from 1 to {REFEREES_AT_MOST}."]
    interview = changes.get("interview", title.interview)
    if not isinstance(interview, bool):
        errors["interview"] = ["true or false."]
    if errors:
        raise Invalid.from_fields(errors)
    title.referees_required, title.interview = referees, interview
    audit.record_staff_action(actor, "registration_title.configured", "registration_title", None,
                              title=title.title, referees_required=referees, interview=interview)
    db.session.flush()
    return title


def titles_at_or_above(title):
    """The titles whose holders may assess for `title`: it, and those above it on its register."""
    return db.session.scalars(sa.select(RegistrationTitle.title).where(
        RegistrationTitle.register == title.register, RegistrationTitle.level >= title.level)).all()


def holds_any(member_id, titles):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Member).where(
        Member.id == member_id, holds_registration_on(utcnow().date(), titles))) > 0


def eligible_assessors(application, limit=500):
    """[(id, name)] of the members who may assess `application`: holding its title or one above it
    on its register, not the applicant, not erased (a referee or anyone else with a part is refused on appointment)."""
    title = get_title(application.title)
    return db.session.execute(
        sa.select(Member.id, Member.full_name)
        .where(holds_registration_on(utcnow().date(), titles_at_or_above(title)),
               Member.id != application.member_id, Member.erased_at.is_(None))
        .order_by(Member.full_name).limit(limit)).all()


def competence_map(member_id, title):
    """Each competence of `title` with the member's records and objectives tagged with it, and the
    competences nothing evidences yet: three queries."""
    codes = [c.code for c in title.competences]
    records = db.session.execute(
        sa.select(RecordCompetence.code, CpdRecord.id, CpdRecord.title, CpdRecord.started_on)
        .join(CpdRecord, CpdRecord.id == RecordCompetence.record_id)
        .where(CpdRecord.member_id == member_id, RecordCompetence.code.in_(codes))
        .order_by(CpdRecord.started_on.desc())).all()
    objectives = db.session.execute(
        sa.select(ObjectiveCompetence.code, Objective.id, Objective.title)
        .join(Objective, Objective.id == ObjectiveCompetence.objective_id)
        .where(Objective.member_id == member_id, ObjectiveCompetence.code.in_(codes))).all()
    rows = []
    for competence in title.competences:
        rows.append({
            "code": competence.code, "area": competence.area, "statement": competence.statement,
            "records": [{"id": i, "title": t, "started_on": d} for code, i, t, d in records if code == competence.code],
            "objectives": [{"id": i, "title": t} for code, i, t in objectives if code == competence.code],
        })
    return {"title": title.title, "name": title.name, "competences": rows,
            "gaps": [row["code"] for row in rows if not row["records"]]}
