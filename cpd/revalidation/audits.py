"""The CPD audit: staff draw a reproducible random sample of registrants for a year, review each
case, and publish the outcomes. Functions flush, never commit; the caller commits once."""
import math
import random
from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cpd.core import audit
from cpd.core.errors import Conflict, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.permissions import ensure_staff
from cpd.notices import queue_notice
from cpd.extensions import db
from cpd.members.history import member_of_body_on
from cpd.members.models import Member, ProfessionalRegistration
from cpd.revalidation.cases import step
from cpd.revalidation.declarations import registered_on
from cpd.revalidation.models import AuditCase, CpdAudit
from cpd.revalidation.vocabulary import CASE_STATUSES, OUTCOMES

RECENTLY_AUDITED_YEARS = 2


def eligible_ids(year):
    """Members of the body today who held a registration awarded before 1 January of `year` (and
    still hold one), and were not audited in the two years before: ids, in order."""
    today = utcnow().date()
    recently = (sa.select(AuditCase.member_id).join(CpdAudit, CpdAudit.id == AuditCase.audit_id)
                .where(CpdAudit.year.between(year - RECENTLY_AUDITED_YEARS, year - 1)))
    registered_before = sa.exists().where(ProfessionalRegistration.member_id == Member.id,
                                          ProfessionalRegistration.awarded_on < date(year, 1, 1))
    return db.session.scalars(sa.select(Member.id).where(
        member_of_body_on(today), Member.erased_at.is_(None), registered_before, registered_on(today),
        Member.id.not_in(recently)).order_by(Member.id)).all()


def choose(eligible, percent, seed):
    """ceil(percent × eligible / 100) of `eligible` (ids in order), drawn by a generator seeded with
    `seed`: the same seed and the same eligible list give the same people."""
    size = math.ceil(Decimal(str(percent)) * len(eligible) / 100)
    return sorted(random.Random(seed).sample(list(eligible), size))


def draw(actor, year, sample_percent, seed):
    ensure_staff(actor, "Only staff run the CPD audit.")
    errors = {}
    this_year = utcnow().year
    if not isinstance(year, int) or not 2000 <= year <= this_year:
        errors["year"] = [f"Give a year from 2000 to {this_year}: not one still to come."]
    try:
        percent = Decimal(str(sample_percent))
    except (InvalidOperation, ValueError):
        percent = Decimal(-1)
    if not percent.is_finite() or not 0 < percent <= 100:
        errors["sample_percent"] = ["Give a percentage more than 0 and at most 100."]
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**62:
        errors["seed"] = ["Give a whole number from 0 (the same seed draws the same sample)."]
    if errors:
        raise Invalid.from_fields(errors)
    if db.session.scalar(sa.select(CpdAudit.id).where(CpdAudit.year == year)):
        raise Conflict(f"The {year} audit has been drawn already.")
    eligible = eligible_ids(year)
    chosen = choose(eligible, percent, seed)
    cpd_audit = CpdAudit(year=year, sample_percent=percent, seed=seed, eligible=len(eligible), drawn_by_id=actor.id)
    db.session.add(cpd_audit)
    db.session.flush()
    people = {m.id: m for m in db.session.scalars(sa.select(Member).where(Member.id.in_(chosen or [-1])))}
    for member_id in chosen:
        case = AuditCase(audit_id=cpd_audit.id, member_id=member_id, status="notified")
        cpd_audit.cases.append(case)
        db.session.flush()
        step(case, actor, "selected")
        queue_notice(people[member_id], "audit_selected", f"You are selected for the {year} CPD audit",
                      f"You are one of the registrants selected at random for the {year} CPD audit. Please submit "
                      "your CPD profile for the last 12 months from Revalidation on the platform within 3 weeks, "
                      "or ask for a deferral if you cannot.")
    audit.record(actor, "cpd_audit.drawn", "cpd_audit", cpd_audit.id, year=year, seed=seed,
                 sample_percent=float(percent), eligible=len(eligible), sampled=len(chosen))
    db.session.flush()
    return cpd_audit


def audit_search():
    return sa.select(CpdAudit).options(selectinload(CpdAudit.cases)).order_by(CpdAudit.year.desc())


def get_audit(actor, audit_id):
    ensure_staff(actor, "Only staff run the CPD audit.")
    found = db.session.get(CpdAudit, audit_id)
    if found is None:
        raise NotFound("No such audit.")
    return found


def outcomes(cpd_audit):
    """{outcome: n} for the audit, every outcome named (the table a regulator publishes)."""
    counts = dict(db.session.execute(sa.select(AuditCase.outcome, sa.func.count()).where(
        AuditCase.audit_id == cpd_audit.id, AuditCase.outcome.is_not(None)).group_by(AuditCase.outcome)).all())
    return {outcome: counts.get(outcome, 0) for outcome in OUTCOMES}


def get_case(actor, case_id):
    ensure_staff(actor, "Only staff run the CPD audit.")
    case = db.session.get(AuditCase, case_id)
    if case is None:
        raise NotFound("No such audit case.")
    return case


def record_outcome(actor, case, outcome, comment):
    ensure_staff(actor, "Only staff run the CPD audit.")
    errors = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = [f"Must be one of: {', '.join(OUTCOMES)}."]
    comment = comment.strip() if isinstance(comment, str) else ""
    if len(comment) > 5000:
        errors["comment"] = ["At most 5000 characters."]
    ready = "deferral_requested" if outcome == "deferred" else "submitted"
    if outcome in OUTCOMES and case.status not in (ready, "submitted"):
        errors["outcome"] = [f"This case is {CASE_STATUSES[case.status].split(':')[0].lower()}: "
                             f"{OUTCOMES[outcome].lower()} comes after the member has "
                             f"{'asked for a deferral' if outcome == 'deferred' else 'submitted'}."]
    if errors:
        raise Invalid.from_fields(errors)
    case.outcome, case.comment, case.status = outcome, comment, outcome  # the latest outcome, for the table
    if outcome == "not_met":
        _lapse_registrations(case.member_id)
    step(case, actor, outcome, comment)
    words = {"accepted": "has been accepted: thank you", "deferred": "is deferred to a later audit",
             "more_information": "needs more information: please add to it and submit again",
             "not_met": "did not meet the CPD standards, so your registration has lapsed"}[outcome]
    queue_notice(case.member, f"audit_{outcome}", f"Your {case.audit.year} CPD audit",
                  f"Your CPD audit case {words}." + (f"\n\n{comment}" if comment else ""))
    db.session.flush()
    return case


def _lapse_registrations(member_id):
    """Not met: every registration the member holds lapses today (the figures' `held` drops)."""
    today = utcnow().date()
    db.session.execute(sa.update(ProfessionalRegistration).where(
        ProfessionalRegistration.member_id == member_id, ProfessionalRegistration.lapsed_on.is_(None))
        .values(lapsed_on=today).execution_options(synchronize_session=False))
