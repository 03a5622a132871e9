"""An audit case as the sampled member sees it: submit a frozen CPD profile, or ask for a deferral.
Functions flush, never commit; the caller commits once."""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cpd.core import audit
from cpd.core.errors import Conflict, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.revalidation import frozen
from cpd.revalidation.models import AuditCase, AuditCaseStep, Declaration
from cpd.revalidation.vocabulary import CASE_STATUSES

SUBMITTABLE = ("notified", "more_information")


def step(case, actor, name, comment=""):
    case.history.append(AuditCaseStep(status=case.status, step=name, actor_id=getattr(actor, "id", None),
                                      comment=comment))
    audit.record(actor, f"audit_case.{name}", "audit_case", case.id, status=case.status)


def own_cases(member):
    return db.session.scalars(sa.select(AuditCase).where(AuditCase.member_id == member.id)
                              .options(selectinload(AuditCase.audit)).order_by(AuditCase.id.desc())).all()


def get_own(member, case_id):
    case = db.session.get(AuditCase, case_id)
    if case is None or case.member_id != member.id:
        raise NotFound("No such audit case.")
    return case


def submit(member, case):
    if case.status not in SUBMITTABLE:
        raise Conflict(f"This case is {CASE_STATUSES[case.status].split(':')[0].lower()}: "
                       "there is nothing to submit now.")
    now = utcnow()
    frozen.discard_copies(case.profile)  # an earlier submission, sent back for more information
    case.profile, case.submitted_at, case.status = frozen.freeze_profile(member, now), now, "submitted"
    step(case, member, "submitted")
    db.session.flush()
    return case


def ask_deferral(member, case, reason):
    if case.status not in SUBMITTABLE:
        raise Conflict("A deferral can be asked for only before you submit.")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not 1 <= len(reason) <= 5000:
        raise Invalid.on_field("reason", "Say why (1 to 5000 characters): illness, leave, a career break...")
    case.status, case.deferral_reason = "deferral_requested", reason
    step(case, member, "deferral_requested", reason)
    db.session.flush()
    return case


def appeal(member, case, grounds):
    """A case found not met is appealed, once, before its registrations lapse, with the grounds; the
    member stays registered until the appeal is decided (HCPC's appeals: "If you make an appeal, you
    will stay on the Register until a decision has been made")."""
    grounds = grounds.strip() if isinstance(grounds, str) else ""
    if not 1 <= len(grounds) <= 10_000:
        raise Invalid.on_field("grounds", "Say on what grounds you appeal (1 to 10000 characters).")
    if case.appealed_at is not None:
        raise Conflict("You have already appealed this finding: a case is appealed once.")
    if case.status != "lapse_pending":
        raise Conflict(f"Only a case found not met is appealed; this one is "
                       f"{CASE_STATUSES[case.status].split(':')[0].lower()}.")
    if utcnow().date() >= case.lapse_on:
        raise Conflict(f"The time to appeal ended on {case.lapse_on:%-d %B %Y}.")
    case.status, case.appeal_grounds, case.appealed_at = "under_appeal", grounds, utcnow()
    step(case, member, "appealed", grounds)
    db.session.flush()
    return case


# --- personal data ----------------------------------------------------------------------------

def erase_personal_data(member_id):
    """Declarations' statements and the audit cases' frozen profiles and reasons go; that the member
    declared, was sampled and the outcome stay, for the figures."""
    for declaration in db.session.scalars(sa.select(Declaration).where(Declaration.member_id == member_id)):
        declaration.statement = ""
    for case in db.session.scalars(sa.select(AuditCase).where(AuditCase.member_id == member_id)):
        frozen.discard_copies(case.profile)
        case.profile, case.deferral_reason, case.comment, case.appeal_grounds = None, "", "", ""
        for past in case.history:
            past.comment = ""
    db.session.flush()


def personal_data(member_id):
    declarations = db.session.scalars(sa.select(Declaration).where(Declaration.member_id == member_id)).all()
    cases = db.session.scalars(sa.select(AuditCase).where(AuditCase.member_id == member_id)
                               .options(selectinload(AuditCase.audit))).all()
    return {"revalidation.json": {
        "declarations": [{"year": d.year, "meets_standards": d.meets_standards, "statement": d.statement,
                          "declared_at": d.declared_at} for d in declarations],
        "audit_cases": [{"year": c.audit.year, "status": c.status, "outcome": c.outcome, "comment": c.comment,
                         "profile": c.profile} for c in cases]}}
