"""The membership's figures for a year: who holds which registration, the make-up of the membership,
fellows and ambassadors, equality answers (suppressed), applications and revalidation."""
from datetime import date

import sqlalchemy as sa

from cpd.extensions import db
from cpd.engagement.models import TechnicalSupporter
from cpd.members import equality
from cpd.members.history import grade_on, measured_on, member_of_body_on, profile_as_of, registration_held_on
from cpd.members.models import EqualityAnswers, Member, ProfessionalRegistration
from cpd.members.vocabulary import EQUALITY_QUESTIONS
from cpd.registration import figures as registration_figures
from cpd.registration.models import ApplicationStep
from cpd.revalidation.models import AuditCase, CpdAudit, Declaration
from cpd.metrics.years import year_bounds

# The make-up's key for a profile fact nobody gave.
NOT_GIVEN = "not_given"


def registrations(year):
    """Registrations of members of the body: awarded in the year, and held on its last day (or today)."""
    start, day = date(year, 1, 1), measured_on(year)
    awarded_in_year = sa.func.sum(sa.case((ProfessionalRegistration.awarded_on >= start, 1), else_=0))
    held = sa.func.sum(sa.case((registration_held_on(day), 1), else_=0))
    rows = db.session.execute(
        sa.select(ProfessionalRegistration.title, awarded_in_year, held)
        .join(Member, Member.id == ProfessionalRegistration.member_id)
        .where(ProfessionalRegistration.awarded_on <= day, member_of_body_on(day))
        .group_by(ProfessionalRegistration.title)
    ).all()
    return {"awarded": {title: int(n) for title, n, _ in rows if n},
            "held": {title: int(held) for title, _, held in rows if held}}


def member_total(day):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Member).where(member_of_body_on(day)))


def membership(year):
    """Members of the body on the year's measuring day by discipline, sector, career stage and grade:
    each combination counted once, in one reading of the members (not one per breakdown)."""
    day = measured_on(year)
    breakdowns = {"by_discipline": profile_as_of("discipline", day), "by_sector": profile_as_of("sector", day),
                  "by_career_stage": profile_as_of("career_stage", day), "by_grade": grade_on(day)}
    columns = list(breakdowns.values())
    found = {name: {} for name in breakdowns}
    for *values, n in db.session.execute(
            sa.select(*columns, sa.func.count()).where(member_of_body_on(day)).group_by(*columns)):
        for name, value in zip(breakdowns, values):
            found[name][value or NOT_GIVEN] = found[name].get(value or NOT_GIVEN, 0) + n
    return found


def recognition(year):
    day = measured_on(year)
    ambassador = sa.and_(Member.is_ambassador.is_(True), Member.ambassador_since <= day)
    row = db.session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(sa.case((grade_on(day) == "fellow", 1), else_=0)), 0),
                  sa.func.coalesce(sa.func.sum(sa.case((ambassador, 1), else_=0)), 0))
        .where(member_of_body_on(day))
    ).one()
    supporters = db.session.scalar(sa.select(sa.func.count()).select_from(TechnicalSupporter).where(
        TechnicalSupporter.since <= date(year, 12, 31),
        sa.or_(TechnicalSupporter.until.is_(None), TechnicalSupporter.until >= date(year, 1, 1))))
    return {"fellows": int(row[0]), "ambassadors": int(row[1]), "technical_supporters": supporters}


def diversity(year):
    """Members of the body who consented to equality questions (answers recorded by the year's
    measuring day, and the anonymous counts of answers since changed or withdrawn), by answer; a
    count below five is None so no one can be picked out."""
    day = measured_on(year)
    columns = [getattr(EqualityAnswers, question) for question in EQUALITY_QUESTIONS]
    # Each combination of answers counted once, in one reading of the answers (not one per
    # question); the kept anonymous counts read as combinations of one answer each.
    combinations = (sa.select(*columns, sa.func.count()).join(Member, Member.id == EqualityAnswers.member_id)
                    .where(member_of_body_on(day), EqualityAnswers.recorded_on <= day).group_by(*columns))
    past = equality.past_year_counts(year).subquery()
    kept = sa.select(*[sa.case((past.c.question == question, past.c.answer)) for question in EQUALITY_QUESTIONS],
                     past.c.n)
    found = {question: {} for question in EQUALITY_QUESTIONS}
    for *answers, n in db.session.execute(sa.union_all(combinations, kept)):
        for question, answer in zip(EQUALITY_QUESTIONS, answers):
            if answer is not None:
                found[question][answer] = found[question].get(answer, 0) + n
    return equality.suppress_small(found)


def applications(year):
    """Applications for registration submitted in the year (each once, even if sent back and
    submitted again), ratified and declined in it, the median days from first submission to the
    decision, and how many stand at each status now."""
    start, end = year_bounds(year)
    submitted = db.session.scalar(sa.select(sa.func.count(sa.distinct(ApplicationStep.application_id))).where(
        ApplicationStep.step == "submitted", ApplicationStep.at >= start, ApplicationStep.at < end))
    decided = registration_figures.decisions(start, end)
    return {"submitted": submitted, "ratified": sum(1 for status, _ in decided if status == "ratified"),
            "declined": sum(1 for status, _ in decided if status == "declined"),
            "median_days_to_decision": registration_figures.median_days(decided),
            "by_status": applications_by_status()}


def applications_by_status():
    """How many applications stand at each status today."""
    return registration_figures.by_status()


def revalidation(year):
    """The year's CPD declarations, the registrants its audit sampled, and their outcomes."""
    declared = db.session.scalar(sa.select(sa.func.count()).select_from(Declaration).where(Declaration.year == year))
    rows = db.session.execute(
        sa.select(AuditCase.outcome, sa.func.count()).join(CpdAudit, CpdAudit.id == AuditCase.audit_id)
        .where(CpdAudit.year == year).group_by(AuditCase.outcome)).all()
    return {"declared": declared, "audited": sum(n for _, n in rows),
            "outcomes": {outcome: n for outcome, n in rows if outcome is not None}}
