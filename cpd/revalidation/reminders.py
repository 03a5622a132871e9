"""Reminders through the outbox, each sent once (ReminderSent) and never to an erased member; the
day is passed in, so a test moves the clock rather than waiting. Run daily: `flask reminders send`."""
import math
from datetime import date, timedelta

import sqlalchemy as sa

from cpd.core.urls import public_url
from cpd.notices import queue_notice
from cpd.extensions import db
from cpd.members.history import member_of_body_on
from cpd.members.models import Member
from cpd.records.compliance import members_short
from cpd.records.models import CpdPolicy
from cpd.revalidation.declarations import deadline, registered_on
from cpd.revalidation.models import AuditCase, Declaration, ReminderSent

CPD_WARNING = timedelta(weeks=6)
AMOUNTS = ("total", "type", "formal", "verified", "verifiable", "topic")


def _not_yet(occasion):
    """SQL: the member has not had the reminder for `occasion`."""
    return ~sa.exists().where(ReminderSent.member_id == Member.id, ReminderSent.occasion == occasion)


def _send(members, occasion, subject, body_for, link=("Revalidation", "revalidation.overview")):
    words, endpoint = link
    for member in members:
        queue_notice(member, "reminder_" + occasion.split(":", 1)[0], subject, body_for(member),
                     links=[(words, public_url(endpoint))])
        db.session.add(ReminderSent(member_id=member.id, occasion=occasion))
    return len(members)


def _which_reminder(today, due):
    """"30d" from 30 days before `due`, "7d" from 7 days before, through the day itself; else None."""
    if due - timedelta(days=30) <= today < due - timedelta(days=7):
        return "30d"
    if due - timedelta(days=7) <= today <= due:
        return "7d"
    return None


def declaration_reminders(today):
    year = today.year
    due = deadline(year)
    which = _which_reminder(today, due)
    if which is None:
        return 0
    occasion = f"declaration:{year}:{which}"
    declared = sa.exists().where(Declaration.member_id == Member.id, Declaration.year == year)
    members = db.session.scalars(sa.select(Member).where(
        Member.role == "member", Member.erased_at.is_(None), registered_on(today), ~declared, _not_yet(occasion))).all()
    days = (due - today).days
    return _send(members, occasion, f"Your {year} CPD declaration is due by {due:%-d %B}",
                 lambda m: f"As a registrant you declare each year that you meet the CPD standards. Yours for {year} "
                           f"is due in {days} day{'s' if days != 1 else ''}, by {due:%-d %B %Y}: declare from "
                           "Revalidation on the platform.")


def cpd_reminders(today):
    """Members of the body whose calendar-year policy they do not yet meet, six weeks before it ends."""
    period_end = date(today.year, 12, 31)
    if not period_end - CPD_WARNING <= today <= period_end:
        return 0
    occasion = f"cpd_short:{today.year}"
    calendar_policies = sa.select(CpdPolicy.code).where(CpdPolicy.period_kind == "calendar_year")
    short = members_short(today, member_of_body_on(today), Member.erased_at.is_(None),
                          Member.cpd_policy.in_(calendar_policies), _not_yet(occasion))
    people = {m.id: m for m in db.session.scalars(sa.select(Member).where(Member.id.in_([i for i, *_ in short] or [-1])))}
    weeks = max(1, (period_end - today).days // 7)
    sent = 0
    for member_id, policy, measured in short:
        what, required, achieved = next(c for c in measured.checks if c[2] < c[1])
        if what[0] in AMOUNTS:
            summary = f"{math.ceil(required - achieved)} {'h' if policy.unit == 'hours' else policy.unit} short"
        else:
            summary = "not yet meeting it"
        sent += _send([people[member_id]], occasion, f"Your CPD: {summary} with {weeks} weeks left",
                      lambda m: f"Against the {policy.name} policy you are {summary}, with {weeks} weeks of "
                                f"{today.year} left. Your CPD summary on the platform shows what is still to do.",
                      link=("Your CPD summary", "records.summary"))
    return sent


def audit_case_reminders(today):
    """Audit cases still waiting for the member's profile, 30 and 7 days before it is due."""
    waiting = sa.select(AuditCase).join(Member, Member.id == AuditCase.member_id).where(
        AuditCase.status.in_(("notified", "more_information")), AuditCase.due_on.is_not(None),
        AuditCase.due_on.between(today, today + timedelta(days=30)), Member.erased_at.is_(None))
    sent = 0
    for case in db.session.scalars(waiting).all():
        which = _which_reminder(today, case.due_on)
        occasion = f"audit_case:{case.id}:{case.due_on.isoformat()}:{which}"
        if which is None or db.session.scalar(sa.select(ReminderSent.id).where(
                ReminderSent.member_id == case.member_id, ReminderSent.occasion == occasion)):
            continue
        days = (case.due_on - today).days
        sent += _send([case.member], occasion, f"Your {case.audit.year} CPD audit: due by {case.due_on:%-d %B}",
                      lambda m: f"Your CPD profile for the audit is due in {days} day{'s' if days != 1 else ''}, by "
                                f"{case.due_on:%-d %B %Y}. Submit it, or ask for a deferral, from Revalidation.")
    return sent


def send_reminders(today):
    """{kind: reminders queued} for `today`."""
    return {"declaration": declaration_reminders(today), "cpd": cpd_reminders(today),
            "audit_case": audit_case_reminders(today)}
