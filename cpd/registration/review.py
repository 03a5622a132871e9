"""An application after its referees: two assessors, appointed by staff and assessing each
competence; who holds which role on an application, and the rule that nobody holds two. One
function per transition. Functions flush, never commit; the caller commits once."""
import sqlalchemy as sa

from cpd.core.errors import Conflict, Forbidden, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.permissions import ensure_staff
from cpd.core.queries import holds_text
from cpd.core.text import same_mailbox
from cpd.core.urls import public_url
from cpd.notices import queue_notice
from cpd.extensions import db
from cpd.members.models import Member
from cpd.registration import titles
from cpd.registration.models import Application, Assessment
from cpd.registration.steps import step, with_details
from cpd.registration.vocabulary import APPLICATION_STATUSES, ASSESSMENT_RESULTS, RECOMMENDATIONS

COMMENT_LIMIT = 5000


def _comment(value, errors, field="comment"):
    text = value if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str) or len(text) > COMMENT_LIMIT or "\x00" in text:
        errors[field] = [f"Text of at most {COMMENT_LIMIT} characters."]
    return text.strip()


# --- staff and assessors --------------------------------------------------------------------

def staff_search(status=None, name=None):
    """Applications, latest first: of one status, and of applicants whose name holds `name`."""
    statement = sa.select(Application).options(*with_details()).order_by(Application.updated_at.desc(),
                                                                         Application.id.desc())
    if name:
        statement = statement.join(Member, Member.id == Application.member_id).where(
            holds_text(Member.full_name, name))
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
    """The roles `person` holds on the application: applicant, referee, assessor, interviewer, decider."""
    roles = set()
    if person.id == application.member_id:
        roles.add("applicant")
    if any(same_mailbox(person.email, r.email) for r in application.referees):
        roles.add("referee")
    if any(a.assessor_id == person.id for a in application.assessors):
        roles.add("assessor")
    if any(i.interviewer_id == person.id for i in application.interviewers):
        roles.add("interviewer")
    if application.decided_by_id == person.id:
        roles.add("decider")
    return roles


def refuse_a_role(application, person, acting_as, actor):
    """Why `person` may not be appointed `acting_as` on the application by `actor`, or None."""
    held = roles_of(person, application)
    if person.id == actor.id:
        return "you cannot appoint yourself: the one who appoints does not also act"
    if held:
        return f"is this application's {' and '.join(sorted(held))}, so cannot also be its {acting_as}"
    return None


def refuse_a_second_role(actor, application, acting_as):
    """Nobody acts in two roles on one application, staff included (the design's "Conflicts of
    interest"; the Engineering Council's registration code: assessors and decision-makers declare and
    stand aside from any case they have a part in)."""
    held = roles_of(actor, application) - {acting_as}
    if held:
        raise Forbidden(f"You are this application's {' and '.join(sorted(held))}: you cannot also act as its "
                        f"{acting_as}. Another member of staff must.")


def appoint_assessors(actor, application, member_ids):
    ensure_staff(actor)
    refuse_a_second_role(actor, application, "case officer")
    if application.status != "supported":
        raise Conflict(f"Assessors are appointed to a supported application; this one is "
                       f"{APPLICATION_STATUSES[application.status].lower()}.")
    ids = list(dict.fromkeys(member_ids or []))
    if len(ids) != 2:
        raise Invalid.on_field("member_ids", "Appoint two different assessors.")
    people = {m.id: m for m in db.session.scalars(sa.select(Member).where(Member.id.in_(ids)))}
    problems = appointment_problems(actor, application, ids, people, "assessor")
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
                     "It is listed under My assessments.",
                     links=[("Assess it", public_url("registration.assess", application_id=application.id))])
    db.session.flush()
    return application


def appointment_problems(actor, application, ids, people, acting_as):
    """What bars each of `ids` from acting as `acting_as`: not a member, a role held already, not
    holding the title (or one above it on its register)."""
    eligible = titles.titles_at_or_above(titles.get_title(application.title))
    problems = []
    for member_id in ids:
        person = people.get(member_id)
        refusal = refuse_a_role(application, person, acting_as, actor) if person is not None else None
        if person is None or not person.is_active:
            problems.append(f"{member_id}: no such member")
        elif refusal:
            problems.append(f"{member_id} ({person.full_name}): {refusal}")
        elif not titles.holds_any(member_id, eligible):
            problems.append(f"{member_id} ({person.full_name}): holds none of {', '.join(eligible)}")
    return problems


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
    competences, comment = checked_verdict(codes, competences, comment, recommendation)
    assessment.competences, assessment.comment = competences, comment
    assessment.recommendation, assessment.assessed_at = recommendation, utcnow()
    if all(a.assessed_at is not None for a in application.assessors):
        application.status = "assessed"
        step(application, actor, "assessed")
    else:
        step(application, actor, "one_assessment_in")
    db.session.flush()
    return assessment


def checked_verdict(codes, competences, comment, recommendation):
    """An assessor's or interviewer's verdict, checked: met or not_met for every competence of the
    title (and none other), a recommendation that agrees with them, a comment within its limit.
    Returns ({code: result} in the title's order, the comment); raises Invalid naming each problem."""
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
    refuse_register_with_unmet(recommendation, competences, errors)
    if errors:
        raise Invalid.from_fields(errors)
    return {c: competences[c] for c in codes}, comment


def refuse_register_with_unmet(recommendation, competences, errors):
    """A recommendation to register says every competence is met: one not met cannot stand with it."""
    unmet = sorted(code for code, result in competences.items() if result == "not_met")
    if recommendation == "register" and unmet:
        errors["recommendation"] = [f"Register cannot be recommended with competences not met "
                                    f"({', '.join(unmet)}): recommend not_yet, or mark them met."]


def visible_verdicts(application, actor, verdicts, person, sent):
    """What one of two reviewers sees of the pair's verdicts (assessments, interview reports): their
    own until both are in, then both; staff with no part in the application, all of them."""
    if all(getattr(v, sent) is not None for v in verdicts) or (actor.is_staff and not roles_of(actor, application)):
        return verdicts
    return [v for v in verdicts if getattr(v, person) == actor.id]


def visible_assessments(application, actor):
    return visible_verdicts(application, actor, application.assessors, "assessor_id", "assessed_at")


def people_named(application):
    """{member id: name} of the assessors, interviewers and everyone in the history: one query."""
    ids = ({a.assessor_id for a in application.assessors} | {i.interviewer_id for i in application.interviewers}
           | {s.actor_id for s in application.history})
    ids.discard(None)
    return dict(db.session.execute(sa.select(Member.id, Member.full_name).where(Member.id.in_(ids or {-1}))).all())
