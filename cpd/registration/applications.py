"""An application for a title, as its applicant sees it: draft, statements, evidence, supporter,
submit, withdraw. One function per transition: it checks the state, writes the history step,
the audit entry and the notice. Functions flush, never commit; the caller commits once."""
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cpd.core import audit
from cpd.core.errors import Conflict, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.tokens import digest
from cpd.core.text import same_mailbox
from cpd.core.urls import public_url
from cpd.notices import queue_notice
from cpd.extensions import db
from cpd.members.models import ProfessionalRegistration
from cpd.records.models import CpdRecord
from cpd.registration import titles
from cpd.registration.models import Application, ApplicationEvidence, ApplicationStatement, ApplicationStep
from cpd.registration.vocabulary import APPLICATION_STATUSES, OPEN_STATUSES, STATEMENT_LIMIT

SUPPORTER_LINK_LIFETIME = timedelta(days=14)
EMAIL_LIMIT = 254



def with_details():
    return (selectinload(Application.statements), selectinload(Application.evidence),
            selectinload(Application.assessors), selectinload(Application.history))


def step(application, actor, name, comment="", notify=None):
    """A transition's history step and audit entry, and the applicant's notice."""
    application.history.append(ApplicationStep(status=application.status, step=name,
                                               actor_id=getattr(actor, "id", None), comment=comment))
    audit.record(actor, f"application.{name}", "application", application.id, status=application.status)
    if notify:
        queue_notice(application.member, f"application_{name}", notify[0], notify[1])


def _open_for(member_id, title):
    return db.session.scalar(sa.select(Application.id).where(
        Application.member_id == member_id, Application.title == title, Application.status.in_(OPEN_STATUSES)))


def start(member, title_code):
    title = titles.get_title(title_code)
    if _open_for(member.id, title.title):
        raise Conflict(f"You already have an application for {title.title} under way.")
    if titles.holds_any(member.id, [title.title]):
        raise Conflict(f"You already hold {title.title}.")
    application = Application(member_id=member.id, member=member, title=title.title, status="draft")
    db.session.add(application)
    db.session.flush()
    step(application, member, "started")
    db.session.flush()
    return application


def get_own(member, application_id):
    application = db.session.get(Application, application_id)
    if application is None or application.member_id != member.id:
        raise NotFound("No such application.")
    return application


def own_applications(member):
    return (sa.select(Application).where(Application.member_id == member.id).options(*with_details())
            .order_by(Application.created_at.desc(), Application.id.desc()))


def _must_be_draft(application):
    if application.status != "draft":
        raise Conflict(f"This application is {APPLICATION_STATUSES[application.status].lower()}: "
                       "it can be changed only as a draft.")


def _clean_statements(application, statements, errors):
    codes = {c.code for c in titles.get_title(application.title).competences}
    if not isinstance(statements, dict):
        errors["statements"] = ["Give the statements as {competence code: text}."]
        return {}
    unknown = sorted(set(statements) - codes)
    if unknown:
        errors["statements"] = [f"Not a competence of {application.title}: {', '.join(unknown)}. "
                                f"Allowed: {', '.join(sorted(codes))}."]
    too_long = sorted(code for code, text in statements.items()
                      if not isinstance(text, str) or len(text) > STATEMENT_LIMIT or "\x00" in text)
    if too_long:
        errors.setdefault("statements", []).append(
            f"Each statement is text of at most {STATEMENT_LIMIT} characters: {', '.join(too_long)}.")
    return {code: text.strip() for code, text in statements.items() if isinstance(text, str)}


def _clean_supporter(supporter, errors):
    if not isinstance(supporter, dict):
        errors["supporter"] = ["Give the supporter as {name, email}."]
        return None
    name = " ".join(str(supporter.get("name") or "").split())
    email = str(supporter.get("email") or "").strip().lower()
    if not 1 <= len(name) <= 200:
        errors["supporter"] = ["Give your supporter's name (1 to 200 characters)."]
    elif not ("@" in email and "." in email.rsplit("@", 1)[-1] and len(email) <= EMAIL_LIMIT and " " not in email):
        errors["supporter"] = ["Give your supporter's email address."]
    return name, email


def update_draft(member, application, changes):
    """Statements (merged by competence; an empty text removes one), the supporter, the evidence."""
    _must_be_draft(application)
    errors = {}
    statements = _clean_statements(application, changes["statements"], errors) if "statements" in changes else None
    supporter = _clean_supporter(changes["supporter"], errors) if "supporter" in changes else None
    record_ids = changes.get("record_ids")
    if record_ids is not None:
        own = set(db.session.scalars(sa.select(CpdRecord.id).where(CpdRecord.member_id == member.id,
                                                                   CpdRecord.id.in_(record_ids or [-1]))))
        strangers = sorted(set(record_ids) - own)
        if strangers:
            errors["record_ids"] = [f"Not records in your CPD log: {', '.join(map(str, strangers))}."]
    if errors:
        raise Invalid.from_fields(errors)
    if statements is not None:
        kept = {s.code: s for s in application.statements}
        for code, text in statements.items():
            if not text and code in kept:
                application.statements.remove(kept[code])
            elif text and code in kept:
                kept[code].text = text
            elif text:
                application.statements.append(ApplicationStatement(code=code, text=text))
    if supporter is not None:
        application.supporter_name, application.supporter_email = supporter
        if same_mailbox(application.supporter_email, application.member.email):
            raise Invalid.on_field("supporter", "Your supporter must be someone other than you.")
    if record_ids is not None:
        application.evidence.clear()
        db.session.flush()
        application.evidence = [ApplicationEvidence(record_id=i) for i in sorted(set(record_ids))]
    application.updated_at = utcnow()
    db.session.flush()
    return application


def submit(member, application):
    """Every competence has a statement and there is a supporter: the supporter is asked."""
    _must_be_draft(application)
    title = titles.get_title(application.title)
    written = {s.code for s in application.statements if s.text.strip()}
    missing = [c.code for c in title.competences if c.code not in written]
    errors = {}
    if missing:
        errors["statements"] = [f"Write a statement for each competence: missing {', '.join(missing)}."]
    if not application.supporter_email:
        errors["supporter"] = ["Name a supporter who can confirm your statements."]
    if errors:
        raise Invalid.from_fields(errors)
    raw = secrets.token_urlsafe(32)
    application.supporter_token_hash = digest(raw)
    application.supporter_link_expires_at = utcnow() + SUPPORTER_LINK_LIFETIME
    application.status, application.submitted_at = "submitted", utcnow()
    link = public_url("registration.supporter_page", token=raw)
    queue_notice(application.member, "supporter_request",
                  f"{member.full_name} asks you to support their {title.name} application",
                  f"{member.full_name} has applied for registration as {title.name} ({title.title}) and named you "
                  f"as their supporter. Please read their statements and confirm them, or decline with a comment, "
                  f"here (no account needed; the link works once and for {SUPPORTER_LINK_LIFETIME.days} days):\n\n"
                  f"{link}\n", to_address=application.supporter_email, greeting=application.supporter_name)
    step(application, member, "submitted", notify=(
        f"Your {title.title} application is submitted",
        f"We have asked {application.supporter_name} to confirm your statements. We will tell you at each step."))
    db.session.flush()
    return application


def withdraw(member, application):
    if application.status not in OPEN_STATUSES:
        raise Conflict(f"This application is {APPLICATION_STATUSES[application.status].lower()}: it cannot be withdrawn.")
    application.status, application.supporter_token_hash = "withdrawn", None
    step(application, member, "withdrawn")
    db.session.flush()
    return application


def award(application):
    """Ratification: the member holds the title from today (the figures count it)."""
    db.session.add(ProfessionalRegistration(member_id=application.member_id, title=application.title,
                                            awarded_on=utcnow().date()))


# --- personal data ----------------------------------------------------------------------------

def erase_personal_data(member_id):
    """What the applicant wrote goes (statements, the supporter's name and address, comments);
    the applications' titles, statuses and dates stay, for the figures."""
    applications = db.session.scalars(sa.select(Application).where(Application.member_id == member_id)).all()
    for application in applications:
        application.statements.clear()
        application.supporter_name, application.supporter_email = "", ""
        application.supporter_token_hash = None
        for past in application.history:
            past.comment = ""
    db.session.flush()


def personal_data(member_id):
    applications = db.session.scalars(sa.select(Application).where(Application.member_id == member_id)
                                      .options(*with_details())).all()
    return {"registration-applications.json": [
        {"id": a.id, "title": a.title, "status": a.status, "supporter": {"name": a.supporter_name,
                                                                          "email": a.supporter_email},
         "statements": {s.code: s.text for s in a.statements}, "record_ids": [e.record_id for e in a.evidence],
         "history": [{"step": h.step, "at": h.at, "comment": h.comment} for h in a.history]}
        for a in applications]}
