"""An application after submission: the supporter's confirmation, two assessors, and the
decision. One function per transition. Functions flush, never commit; the caller commits once."""
import sqlalchemy as sa

from cpd.core.errors import Conflict, Forbidden, Gone, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.permissions import ensure_staff
from cpd.core.text import same_mailbox
from cpd.notices import queue_notice
from cpd.extensions import db
from cpd.members.models import Member
from cpd.registration import titles
from cpd.registration.applications import award, digest, step, with_details
from cpd.registration.models import Application, Assessment
from cpd.registration.vocabulary import APPLICATION_STATUSES, ASSESSMENT_RESULTS, RECOMMENDATIONS

COMMENT_LIMIT = 5000


def _comment(value, errors, field="comment"):
    text = value if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str) or len(text) > COMMENT_LIMIT or "\x00" in text:
        errors[field] = [f"Text of at most {COMMENT_LIMIT} characters."]
    return text.strip()


# --- the supporter --------------------------------------------------------------------------

def application_for_supporter(raw):
    """The application a supporter's link is for: 404 for a link that never was, 410 once used or expired."""
    application = db.session.scalar(sa.select(Application).where(Application.supporter_token_hash == digest(raw)))
    if application is None:
        raise NotFound("This link is not valid: check that it was copied whole.")
    if application.status != "submitted" or application.supporter_link_expires_at < utcnow():
        raise Gone("This link has expired or has already been used.")
    return application


def support(raw, confirmed, comment):
    application = application_for_supporter(raw)
    errors = {}
    comment = _comment(comment, errors)
    if not isinstance(confirmed, bool):
        errors["confirmed"] = ["Say whether you confirm the statements (true or false)."]
    if confirmed is False and not comment:
        errors["comment"] = ["Say why, so the applicant can improve the statements."]
    if errors:
        raise Invalid.from_fields(errors)
    application.supporter_link_expires_at = utcnow()  # the link works once (and then answers 410)
    if confirmed:
        application.status = "supported"
        step(application, None, "supported", comment, notify=(
            f"Your {application.title} application is supported",
            f"{application.supporter_name} confirmed your statements. Two assessors will be appointed next."))
    else:
        application.status, application.submitted_at = "draft", None
        step(application, None, "not_supported", comment, notify=(
            f"Your {application.title} application is back with you",
            f"{application.supporter_name} did not confirm your statements, and said:\n\n{comment}\n\n"
            "Your application is a draft again: improve it and submit it when ready."))
    db.session.flush()
    return application


# --- staff and assessors --------------------------------------------------------------------

def staff_search(status=None):
    statement = sa.select(Application).options(*with_details()).order_by(Application.updated_at.desc(),
                                                                         Application.id.desc())
    return statement.where(Application.status == status) if status else statement


def get_for_staff(actor, application_id):
    """The application for staff to handle; never their own (they follow it as its applicant)."""
    ensure_staff(actor)
    application = db.session.get(Application, application_id)
    if application is None:
        raise NotFound("No such application.")
    if actor.id == application.member_id:
        raise Forbidden("This is your own application: another member of staff handles it.")
    return application


def roles_of(person, application):
    """The roles `person` holds on the application: applicant, supporter, assessor."""
    roles = set()
    if person.id == application.member_id:
        roles.add("applicant")
    if same_mailbox(person.email, application.supporter_email):
        roles.add("supporter")
    if any(a.assessor_id == person.id for a in application.assessors):
        roles.add("assessor")
    return roles


def _refuse_a_second_role(actor, application, acting_as):
    """Nobody acts in two roles on one application, staff included (the design's "Conflicts of
    interest"; the Engineering Council's registration code: assessors and decision-makers declare and
    stand aside from any case they have a part in)."""
    held = roles_of(actor, application) - {acting_as}
    if held:
        raise Forbidden(f"You are this application's {' and '.join(sorted(held))}: you cannot also act as its "
                        f"{acting_as}. Another member of staff must.")


def appoint_assessors(actor, application, member_ids):
    ensure_staff(actor)
    _refuse_a_second_role(actor, application, "case officer")
    if application.status != "supported":
        raise Conflict(f"Assessors are appointed to a supported application; this one is "
                       f"{APPLICATION_STATUSES[application.status].lower()}.")
    ids = list(dict.fromkeys(member_ids or []))
    if len(ids) != 2:
        raise Invalid.on_field("member_ids", "Appoint two different assessors.")
    people = {m.id: m for m in db.session.scalars(sa.select(Member).where(Member.id.in_(ids)))}
    eligible = titles.titles_at_or_above(titles.get_title(application.title))
    problems = []
    for member_id in ids:
        person = people.get(member_id)
        if person is None or not person.is_active:
            problems.append(f"{member_id}: no such member")
        elif member_id == application.member_id:
            problems.append(f"{member_id}: the applicant cannot assess their own application")
        elif same_mailbox(person.email, application.supporter_email):
            problems.append(f"{member_id}: the supporter cannot also assess")
        elif member_id == actor.id:
            problems.append(f"{member_id}: you cannot appoint yourself: the one who appoints does not assess")
        elif not titles.holds_any(member_id, eligible):
            problems.append(f"{member_id}: holds none of {', '.join(eligible)}")
    if problems:
        raise Invalid.on_field("member_ids", "; ".join(problems) + ".")
    application.assessors = [Assessment(assessor_id=i) for i in ids]
    application.status = "under_assessment"
    step(application, actor, "assessors_appointed", notify=(
        f"Your {application.title} application is being assessed",
        "Two registered members are now assessing your application."))
    for person in people.values():
        queue_notice(person, "assessment_request", f"Please assess an application for {application.title}",
                      f"Staff have asked you to assess an application for {application.title}. "
                      "It is listed under My assessments.")
    db.session.flush()
    return application


def assessment_of(actor, application_id):
    """The actor's own assessment of an application; 404 for anyone not appointed to it."""
    assessment = db.session.scalar(sa.select(Assessment).where(Assessment.application_id == application_id,
                                                               Assessment.assessor_id == actor.id))
    if assessment is None:
        raise NotFound("No such application.")
    return assessment


def my_assessments(actor):
    return (sa.select(Application).join(Assessment, Assessment.application_id == Application.id)
            .where(Assessment.assessor_id == actor.id).options(*with_details())
            .order_by(Application.updated_at.desc()))


def assess(actor, application_id, competences, comment, recommendation):
    assessment = assessment_of(actor, application_id)
    application = db.session.get(Application, application_id)
    if application.status != "under_assessment" or assessment.assessed_at is not None:
        raise Conflict("This assessment is closed.")
    codes = [c.code for c in titles.get_title(application.title).competences]
    errors = {}
    competences = competences if isinstance(competences, dict) else {}
    missing = [c for c in codes if competences.get(c) not in ASSESSMENT_RESULTS]
    unknown = sorted(set(competences) - set(codes))
    if missing or unknown:
        errors["competences"] = ["Give met or not_met for every competence"
                                 + (f"; missing or unclear: {', '.join(missing)}" if missing else "")
                                 + (f"; not of this title: {', '.join(unknown)}" if unknown else "") + "."]
    if recommendation not in RECOMMENDATIONS:
        errors["recommendation"] = [f"Must be one of: {', '.join(RECOMMENDATIONS)}."]
    comment = _comment(comment, errors)
    if errors:
        raise Invalid.from_fields(errors)
    assessment.competences, assessment.comment = {c: competences[c] for c in codes}, comment
    assessment.recommendation, assessment.assessed_at = recommendation, utcnow()
    if all(a.assessed_at is not None for a in application.assessors):
        application.status = "assessed"
        step(application, actor, "assessed")
    else:
        step(application, actor, "one_assessment_in")
    db.session.flush()
    return assessment


def decide(actor, application, outcome, comment):
    ensure_staff(actor)
    _refuse_a_second_role(actor, application, "decider")
    errors = {}
    comment = _comment(comment, errors)
    if outcome not in ("ratified", "declined"):
        errors["outcome"] = ["Must be ratified or declined."]
    if application.status != "assessed":
        errors["outcome"] = [f"A decision comes after both assessments; this application is "
                             f"{APPLICATION_STATUSES[application.status].lower()}."]
    if errors:
        raise Invalid.from_fields(errors)
    application.status, application.decided_at = outcome, utcnow()
    if outcome == "ratified":
        award(application)
    words = "ratified: you are now registered as" if outcome == "ratified" else "declined for"
    step(application, actor, outcome, comment, notify=(
        f"Your {application.title} application is {outcome}",
        f"Your application has been {words} {application.title}." + (f"\n\n{comment}" if comment else "")))
    db.session.flush()
    return application


def visible_assessments(application, actor):
    """What an assessor may see of the assessments: their own until both are in, then both."""
    both_in = all(a.assessed_at is not None for a in application.assessors)
    if both_in or (actor.is_staff and not roles_of(actor, application)):
        return application.assessors
    return [a for a in application.assessors if a.assessor_id == actor.id]


def people_named(application):
    """{member id: name} of the assessors and everyone in the application's history: one query."""
    ids = {a.assessor_id for a in application.assessors} | {s.actor_id for s in application.history}
    ids.discard(None)
    return dict(db.session.execute(sa.select(Member.id, Member.full_name).where(Member.id.in_(ids or {-1}))).all())
