"""The demo's revalidation: the demo member holds a registration, so their declaration for this year
is due, and they are sampled in last year's CPD audit with a profile still to send, so a newcomer can
try both from Revalidation."""
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members.models import Member, ProfessionalRegistration
from cpd.revalidation.models import AuditCase, AuditCaseStep, CpdAudit


def seed_revalidation(member_email, staff_email):
    if db.session.scalar(sa.select(sa.func.count()).select_from(CpdAudit)):
        return "revalidation: already seeded"
    member = db.session.scalar(sa.select(Member).where(Member.email == member_email))
    staff = db.session.scalar(sa.select(Member).where(Member.email == staff_email))
    today = utcnow().date()
    if not any(r.lapsed_on is None for r in member.registrations):
        member.registrations.append(ProfessionalRegistration(title="IEng", awarded_on=date(today.year - 2, 6, 1)))
    drawn_at = utcnow() - timedelta(days=30)
    cpd_audit = CpdAudit(year=today.year - 1, sample_percent=5, seed=2026, eligible=1, drawn_by_id=staff.id,
                         drawn_at=drawn_at)
    case = AuditCase(member_id=member.id, status="notified", created_at=drawn_at,
                     due_on=drawn_at.date() + timedelta(days=current_app.config["AUDIT_SUBMIT_DAYS"]))
    case.history = [AuditCaseStep(status="notified", step="selected", actor_id=staff.id, comment="", at=drawn_at)]
    cpd_audit.cases = [case]
    db.session.add(cpd_audit)
    db.session.flush()
    return (f"revalidation: {member_email} holds a registration, has a {today.year} declaration due and a "
            f"{today.year - 1} audit case due by {case.due_on:%-d %B %Y}")
