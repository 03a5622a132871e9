"""The CPD audit: staff draw a reproducible random sample of registrants for a year, review each
case, and publish the outcomes. Functions flush, never commit; the caller commits once.

As HCPC runs it (its CPD audit pages): each sampled registrant has a due date for their profile
(AUDIT_SUBMIT_DAYS, 90, from the draw, which staff may extend with a reason) and reminders before
it; one who sends nothing by then may be found `not_met` with the reason `no_response`; a profile
may be sent back for more information with a new due date; a deferral is not an audit (the member
stays eligible for the next draws). A registrant found `not_met` stays registered through an
appeal window (`lapse_pending`, APPEAL_DAYS): "If you make an appeal, you will stay on the Register
until a decision has been made". The appeal is decided by a member of staff other than the one who
found it not met: accepted, not met (the registrations lapse), or more information."""
import math
import random
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from cpd.core import audit
from cpd.core.errors import Conflict, Forbidden, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.permissions import ensure_staff
from cpd.core.queries import holds_text
from cpd.core.urls import public_url
from cpd.extensions import db
from cpd.notices import queue_notice
from cpd.members.history import lapse_registrations, member_of_body_on
from cpd.members.models import Member, ProfessionalRegistration
from cpd.revalidation.cases import SUBMITTABLE, step
from cpd.revalidation.declarations import registered_on
from cpd.revalidation.models import AuditCase, CpdAudit
from cpd.revalidation.vocabulary import CASE_STATUSES, OUTCOMES

RECENTLY_AUDITED_YEARS = 2
APPEAL_DAYS = 28
MORE_INFORMATION_DAYS = 30  # a new due date, when staff give none
AUDIT_NOT_MET = "CPD audit not met"


def eligible_ids(year):
    """Members of the body today who held a registration awarded before 1 January of `year` (and
    still hold one), and were not audited in the two years before: ids, in order."""
    today = utcnow().date()
    recently = (sa.select(AuditCase.member_id).join(CpdAudit, CpdAudit.id == AuditCase.audit_id)
                .where(CpdAudit.year.between(year - RECENTLY_AUDITED_YEARS, year - 1),
                       sa.or_(AuditCase.outcome.is_(None), AuditCase.outcome != "deferred")))
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
    due_on = utcnow().date() + timedelta(days=current_app.config["AUDIT_SUBMIT_DAYS"])
    for member_id in chosen:
        case = AuditCase(audit_id=cpd_audit.id, member_id=member_id, status="notified", due_on=due_on)
        cpd_audit.cases.append(case)
        db.session.flush()
        step(case, actor, "selected")
        queue_notice(people[member_id], "audit_selected", f"You are selected for the {year} CPD audit",
                     f"You are one of the registrants selected at random for the {year} CPD audit. Please submit "
                     f"your CPD profile for the last 12 months by {due_on:%-d %B %Y}, or ask for a deferral if "
                     "you cannot.", links=[("Revalidation", public_url("revalidation.overview"))])
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


def cases_of(cpd_audit, name=None):
    """A select() of the audit's cases, by registrant name, those whose name holds `name`."""
    statement = (sa.select(AuditCase).join(Member, Member.id == AuditCase.member_id)
                 .where(AuditCase.audit_id == cpd_audit.id).order_by(Member.full_name, AuditCase.id))
    if name:
        statement = statement.where(holds_text(Member.full_name, name))
    return statement


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


def _ready_for(case, outcome, reason, today):
    """Why `outcome` cannot be recorded on the case now, or None."""
    if case.status == "under_appeal":
        return None if outcome in ("accepted", "not_met", "more_information") else \
            "An appeal is decided as accepted, not met or more information."
    if outcome == "deferred":
        return None if case.status == "deferral_requested" else "A deferral comes after the member asks for one."
    if outcome == "not_met" and reason == "no_response":
        if case.status not in SUBMITTABLE:
            return "No response is recorded only on a case still waiting for the member's profile."
        return None if case.due_on and case.due_on < today else \
            f"The profile is due by {case.due_on:%-d %B %Y}: no response can be recorded only after that."
    return None if case.status == "submitted" else \
        f"This case is {CASE_STATUSES[case.status].split(':')[0].lower()}: {OUTCOMES[outcome].lower()} comes " \
        "after the member has submitted."


def record_outcome(actor, case, outcome, comment, reason="", due_on=None):
    """An outcome on a case (or on its appeal). `reason` is "no_response" for a profile never sent;
    `due_on` the new due date when more information is asked for."""
    ensure_staff(actor, "Only staff run the CPD audit.")
    today = utcnow().date()
    errors = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = [f"Must be one of: {', '.join(OUTCOMES)}."]
    comment = comment.strip() if isinstance(comment, str) else ""
    if len(comment) > 5000:
        errors["comment"] = ["At most 5000 characters."]
    if reason not in ("", "no_response") or (reason and outcome != "not_met"):
        errors["reason"] = ["The only reason recorded is no_response, with not_met."]
    if outcome == "more_information":
        due_on = due_on or today + timedelta(days=MORE_INFORMATION_DAYS)
        if due_on <= today:
            errors["due_on"] = ["The new due date is in the future."]
    problem = _ready_for(case, outcome, reason, today) if outcome in OUTCOMES and not errors else None
    if problem:
        errors["outcome"] = [problem]
    if errors:
        raise Invalid.from_fields(errors)
    if case.status == "under_appeal" and case.outcome_by_id == actor.id:
        raise Forbidden("You found this case not met: another member of staff decides the appeal.")
    appeal = case.status == "under_appeal"
    _apply(case, actor, outcome, comment, reason, due_on, today, appeal)
    db.session.flush()
    return case


def _apply(case, actor, outcome, comment, reason, due_on, today, appeal):
    case.outcome, case.comment, case.outcome_reason = outcome, comment, reason
    if not appeal:
        case.outcome_by_id = actor.id
    if outcome == "not_met" and not appeal:
        case.status, case.lapse_on = "lapse_pending", today + timedelta(days=APPEAL_DAYS)
        words = (f"did not meet the CPD standards{' (no profile was sent)' if reason else ''}. Your registration "
                 f"lapses on {case.lapse_on:%-d %B %Y} unless you appeal before then, giving your grounds, from "
                 "Revalidation; while an appeal is decided you stay registered")
    elif outcome == "not_met":
        case.status, case.lapse_on = "not_met", today
        _lapse(case)
        words = "appeal is dismissed: the finding stands and your registration has lapsed"
    else:
        case.status, case.lapse_on = outcome, None
        if outcome == "more_information":
            case.due_on = due_on
        words = {"accepted": "has been accepted: thank you", "deferred": "is deferred to a later audit",
                 "more_information": f"needs more information: please add to it and submit again by "
                                     f"{case.due_on:%-d %B %Y}"}[outcome]
    step(case, actor, ("appeal_" if appeal else "") + outcome, comment)
    queue_notice(case.member, f"audit_{outcome}", f"Your {case.audit.year} CPD audit",
                 f"Your CPD audit case {words}." + (f"\n\n{comment}" if comment else ""),
                 links=[("Revalidation", public_url("revalidation.overview"))])


def extend(actor, case, due_on, reason):
    """Staff give a sampled registrant more time, with a reason."""
    ensure_staff(actor, "Only staff run the CPD audit.")
    errors = {}
    reason = " ".join(reason.split()) if isinstance(reason, str) else ""
    if not 1 <= len(reason) <= 2000:
        errors["reason"] = ["Record why more time is given (1 to 2000 characters)."]
    if not isinstance(due_on, date) or (case.due_on and due_on <= case.due_on) or due_on <= utcnow().date():
        errors["due_on"] = [f"A later day than the current due date ({case.due_on:%-d %B %Y})." if case.due_on
                            else "A day in the future."]
    if errors:
        raise Invalid.from_fields(errors)
    if case.status not in (*SUBMITTABLE, "deferral_requested"):
        raise Conflict("Only a case still waiting for the member's profile is extended.")
    case.due_on = due_on
    step(case, actor, "extended", f"Due {due_on:%-d %B %Y}: {reason}")
    queue_notice(case.member, "audit_extended", f"Your {case.audit.year} CPD audit: more time",
                 f"Your CPD profile for the audit is now due by {due_on:%-d %B %Y}.",
                 links=[("Revalidation", public_url("revalidation.overview"))])
    db.session.flush()
    return case


def lapse_when_the_window_closes(today):
    """The daily round's part: cases found not met whose appeal window has closed without an appeal
    lapse their registrations. Returns how many."""
    due = db.session.scalars(sa.select(AuditCase).where(AuditCase.status == "lapse_pending",
                                                        AuditCase.lapse_on <= today)).all()
    for case in due:
        case.status = "not_met"
        _lapse(case)
        step(case, None, "lapsed", f"No appeal by {case.lapse_on:%-d %B %Y}: the registrations lapsed.")
    db.session.flush()
    return len(due)


def _lapse(case):
    """Not met: every registration the member holds lapses (the figures' `held` drops)."""
    member = db.session.get(Member, case.member_id)
    lapse_registrations(member, case.lapse_on or utcnow().date(), AUDIT_NOT_MET)
