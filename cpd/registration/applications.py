"""An application for a title, as its applicant sees it: draft (statements, referees, qualifications,
career history, CPD records as evidence), submit, withdraw, and appeal a decline. One function per
transition: it checks the state, writes the history step, the audit entry and the notice. Functions
flush, never commit; the caller commits once.

Only a member of the body applies (the Engineering Council's registration FAQ: "to remain on our
register you need to be a member of one of the appropriate institutions"); submitting needs a
statement for every competence, the title's number of referees, and the code of conduct accepted
(UK-SPEC, 4th edition: registrants commit to their institution's code of conduct)."""
from datetime import timedelta

import sqlalchemy as sa

from cpd.core.errors import Conflict, Forbidden, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members.history import in_membership
from cpd.members.models import ProfessionalRegistration
from cpd.records.models import CpdRecord
from cpd.registration import draft_fields, referees, titles
from cpd.registration.models import Application, ApplicationEvidence, ApplicationStatement, Referee
from cpd.registration.steps import step, with_details
from cpd.registration.vocabulary import APPEAL_DAYS, APPLICATION_STATUSES, OPEN_STATUSES


def must_be_in_membership(member, doing):
    if not in_membership(member):
        raise Forbidden(f"Only a member of the body may {doing}: your membership has no grade or has ended.")


def _open_for(member_id, title):
    return db.session.scalar(sa.select(Application.id).where(
        Application.member_id == member_id, Application.title == title, Application.status.in_(OPEN_STATUSES)))


def start(member, title_code):
    title = titles.get_title(title_code)
    must_be_in_membership(member, "apply for a registration")
    if _open_for(member.id, title.title):
        raise Conflict(f"You already have an application for {title.title} under way.")
    if titles.holds_any(member.id, [title.title]):
        raise Conflict(f"You already hold {title.title}.")
    application = Application(member_id=member.id, member=member, title=title.title, status="draft",
                              qualifications=[], career_history=[])
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


def _own_records(member, record_ids, errors):
    own = set(db.session.scalars(sa.select(CpdRecord.id).where(CpdRecord.member_id == member.id,
                                                               CpdRecord.id.in_(record_ids or [-1]))))
    strangers = sorted(set(record_ids) - own)
    if strangers:
        errors["record_ids"] = [f"Not records in your CPD log: {', '.join(map(str, strangers))}."]


def update_draft(member, application, changes):
    """Statements (merged by competence; an empty text removes one), referees, qualifications, career
    history, the evidence, and the code of conduct's acceptance. All or nothing."""
    _must_be_draft(application)
    errors = {}
    codes = [c.code for c in titles.get_title(application.title).competences]
    statements = draft_fields.statements(codes, changes["statements"], errors) if "statements" in changes else None
    named = draft_fields.referees(changes["referees"], member.email, errors) if "referees" in changes else None
    qualifications = (draft_fields.qualifications(changes["qualifications"], errors)
                      if "qualifications" in changes else None)
    roles = draft_fields.career_history(changes["career_history"], errors) if "career_history" in changes else None
    if changes.get("record_ids") is not None:
        _own_records(member, changes["record_ids"], errors)
    if "code_of_conduct_accepted" in changes and not isinstance(changes["code_of_conduct_accepted"], bool):
        errors["code_of_conduct_accepted"] = ["true or false."]
    if errors:
        raise Invalid.from_fields(errors)
    if statements is not None:
        _merge_statements(application, statements)
    if named is not None:
        _name_referees(application, named)
    if qualifications is not None:
        application.qualifications = qualifications
    if roles is not None:
        application.career_history = roles
    if changes.get("record_ids") is not None:
        application.evidence.clear()
        db.session.flush()
        application.evidence = [ApplicationEvidence(record_id=i) for i in sorted(set(changes["record_ids"]))]
    if "code_of_conduct_accepted" in changes:
        accepted = changes["code_of_conduct_accepted"]
        application.code_of_conduct_accepted_at = (application.code_of_conduct_accepted_at or utcnow()) \
            if accepted else None
    application.updated_at = utcnow()
    db.session.flush()
    return application


def _merge_statements(application, statements):
    kept = {s.code: s for s in application.statements}
    for code, text in statements.items():
        if not text and code in kept:
            application.statements.remove(kept[code])
        elif text and code in kept:
            if kept[code].text != text:  # what a mentor verified was the text before
                kept[code].verified_by, kept[code].verified_at = "", None
            kept[code].text = text
        elif text:
            application.statements.append(ApplicationStatement(code=code, text=text))


def _name_referees(application, named):
    """The list as given: a referee kept by address keeps what they said before."""
    earlier = {r.email: r for r in application.referees}
    application.referees = [earlier.get(email) or Referee(name=name, email=email, status="named", comment="")
                            for name, email in named]
    for position, (referee, (name, _)) in enumerate(zip(application.referees, named)):
        referee.position, referee.name = position, name


def submit(member, application):
    """Every competence has a statement, the title's referees are named and the code of conduct is
    accepted: each referee is asked by their own link."""
    _must_be_draft(application)
    must_be_in_membership(member, "apply for a registration")
    title = titles.get_title(application.title)
    written = {s.code for s in application.statements if s.text.strip()}
    missing = [c.code for c in title.competences if c.code not in written]
    errors = {}
    if missing:
        errors["statements"] = [f"Write a statement for each competence: missing {', '.join(missing)}."]
    if len(application.referees) < title.referees_required:
        errors["referees"] = [f"{title.title} needs {title.referees_required} referee"
                              f"{'s' if title.referees_required > 1 else ''} who can confirm your statements; "
                              f"{len(application.referees)} named."]
    if application.code_of_conduct_accepted_at is None:
        errors["code_of_conduct_accepted"] = ["Accept the code of conduct to submit: registrants commit to it."]
    if errors:
        raise Invalid.from_fields(errors)
    application.status, application.submitted_at, application.feedback = "submitted", utcnow(), None
    referees.ask_each(member, application, title)
    names = " and ".join(r.name for r in application.referees)
    step(application, member, "submitted", notify=(
        f"Your {title.title} application is submitted",
        f"We have asked {names} to confirm your statements. We will tell you at each step."))
    db.session.flush()
    return application


def withdraw(member, application):
    if application.status not in OPEN_STATUSES:
        raise Conflict(f"This application is {APPLICATION_STATUSES[application.status].lower()}: it cannot be withdrawn.")
    application.status = "withdrawn"
    referees.close_links(application)
    step(application, member, "withdrawn")
    db.session.flush()
    return application


def appeal_deadline(application):
    return application.decided_at + timedelta(days=APPEAL_DAYS) if application.decided_at else None


def appeal_refusal(application, now=None):
    """Why the application cannot be appealed now, or None while it can: once, while declined,
    within APPEAL_DAYS of the decision."""
    if application.appealed_at is not None:
        return "You have already appealed this decision: an application is appealed once."
    if application.status != "declined":
        return f"Only a declined application is appealed; this one is {APPLICATION_STATUSES[application.status].lower()}."
    if (now or utcnow()) > appeal_deadline(application):
        return f"The {APPEAL_DAYS} days to appeal ended on {appeal_deadline(application):%-d %B %Y}."
    return None


def appeal(member, application, grounds):
    """A declined applicant appeals within APPEAL_DAYS of the decision, once, with their grounds; a
    member of staff other than the one who declined decides it (cpd.registration.committee)."""
    errors = {}
    grounds = draft_fields.comment(grounds, errors, "grounds")
    if not errors and not grounds:
        errors["grounds"] = ["Say on what grounds you appeal: what the decision missed or got wrong."]
    if errors:
        raise Invalid.from_fields(errors)
    refusal = appeal_refusal(application)
    if refusal:
        raise Conflict(refusal)
    application.status, application.appeal_grounds, application.appealed_at = "under_appeal", grounds, utcnow()
    step(application, member, "appealed", grounds, notify=(
        f"Your appeal on {application.title} is received",
        "A member of staff who took no part in the decision will decide your appeal. We will tell you the outcome."))
    db.session.flush()
    return application


def award(application):
    """Ratification: the member holds the title from today (the figures count it)."""
    db.session.add(ProfessionalRegistration(member_id=application.member_id, title=application.title,
                                            awarded_on=utcnow().date()))


# --- personal data ----------------------------------------------------------------------------

def erase_personal_data(member_id):
    """What the applicant wrote goes (statements, referees' names and addresses, qualifications,
    career, comments and grounds); the applications' titles, statuses and dates stay, for the figures."""
    applications = db.session.scalars(sa.select(Application).where(Application.member_id == member_id)).all()
    for application in applications:
        application.statements.clear()
        application.referees.clear()
        application.qualifications, application.career_history = [], []
        application.feedback, application.appeal_grounds = None, ""
        for past in application.history:
            past.comment, past.details = "", None
    db.session.flush()


def personal_data(member_id):
    applications = db.session.scalars(sa.select(Application).where(Application.member_id == member_id)
                                      .options(*with_details())).all()
    return {"registration-applications.json": [
        {"id": a.id, "title": a.title, "status": a.status,
         "referees": [{"name": r.name, "email": r.email, "status": r.status} for r in a.referees],
         "qualifications": a.qualifications, "career_history": a.career_history,
         "code_of_conduct_accepted_at": a.code_of_conduct_accepted_at, "appeal_grounds": a.appeal_grounds,
         "statements": {s.code: s.text for s in a.statements}, "record_ids": [e.record_id for e in a.evidence],
         "history": [{"step": h.step, "at": h.at, "comment": h.comment} for h in a.history]}
        for a in applications]}
