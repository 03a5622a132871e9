"""The committee's decision on an application, and on an appeal against one.

- `ratified` only when every assessor's and every interviewer's recommendation is `register`: a
  licensed body registers on its reviewers' recommendation (UK-SPEC, 4th edition; the IMechE: "your
  assessors will make one of two recommendations"), so the committee cannot ratify against it.
- `declined`, with the reasons; the applicant may appeal within APPEAL_DAYS.
- `referred_back`: the application returns to its applicant as a draft with the comment (and any
  comment per competence) shown on it; the round's assessments and reports are kept in its history
  and a new round begins when it is submitted again.
- An appeal (`under_appeal`) is decided with the same call, by a member of staff other than the one
  who declined it: ratified (as above), declined (the appeal dismissed) or referred back (upheld:
  reviewed again).

Nobody decides an application they acted in. The application's row is locked first, so two staff
deciding at once make one decision. Functions flush, never commit."""
from cpd.core import limits
from cpd.core.errors import Conflict, Forbidden, Invalid
from cpd.core.models import utcnow
from cpd.core.permissions import ensure_staff
from cpd.events.seats import lock_row
from cpd.extensions import db
from cpd.members.history import in_membership
from cpd.registration import applications, referees, review, titles
from cpd.registration.models import Application
from cpd.registration.steps import step
from cpd.registration.vocabulary import APPEAL_DAYS, APPLICATION_STATUSES, DECIDABLE, OUTCOMES


def _recommendations(application):
    return [a.recommendation for a in application.assessors] + [i.recommendation for i in application.interviewers]


def decision_refusal(application, title):
    """Why the committee cannot decide the application now, or None when it can."""
    if application.status not in DECIDABLE:
        after = "the interview" if title.interview else "both assessments"
        return (f"A decision comes after {after}; this application is "
                f"{APPLICATION_STATUSES[application.status].lower()}.")
    if application.status == "assessed" and title.interview:
        return f"{title.title} has a professional review interview before the committee decides: schedule it first."
    return None


def decide(actor, application, outcome, comment, competence_comments=None):
    ensure_staff(actor)
    application = lock_row(Application, application.id)
    db.session.refresh(application)
    review.refuse_a_second_role(actor, application, "decider")
    if application.status == "under_appeal" and application.decided_by_id == actor.id:
        raise Forbidden("You declined this application: another member of staff decides the appeal.")
    title = titles.get_title(application.title)
    errors = {}
    comment = limits.check_text({"comment": comment}, "comment", limits.COMMENT, errors, one_line=False)
    notes = _competence_comments(competence_comments, title, errors)
    if outcome not in OUTCOMES:
        errors["outcome"] = [f"Must be one of: {', '.join(OUTCOMES)}."]
    elif outcome == "ratified" and any(r != "register" for r in _recommendations(application)):
        errors["outcome"] = ["Ratification needs every assessor's and interviewer's recommendation to be "
                             f"register; here they are: {', '.join(r or 'none' for r in _recommendations(application))}."]
    elif outcome in ("declined", "referred_back") and not comment:
        errors["comment"] = ["Say why: the applicant reads it."]
    if errors:
        raise Invalid.from_fields(errors)
    problem = decision_refusal(application, title)
    if problem:  # the second wave's contract: 422 before the application is ready for the committee
        raise Invalid.on_field("outcome", problem)
    {"ratified": _ratify, "declined": _decline, "referred_back": _refer_back}[outcome](
        actor, application, title, comment, notes)
    db.session.flush()
    return application


def _competence_comments(given, title, errors):
    if not given:
        return {}
    codes = {c.code for c in title.competences}
    if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
        errors["competences"] = ["Give comments as {competence code: text}."]
        return {}
    unknown = sorted(set(given) - codes)
    if unknown:
        errors["competences"] = [f"Not a competence of {title.title}: {', '.join(unknown)}."]
    return {code: text.strip() for code, text in given.items() if text.strip()}


def _ratify(actor, application, title, comment, notes):
    if not in_membership(application.member):
        raise Conflict("The applicant is no longer a member of the body: only a member may hold a registration.")
    appeal = application.status == "under_appeal"
    application.status, application.decided_at, application.decided_by_id = "ratified", utcnow(), actor.id
    applications.award(application)
    step(application, actor, "appeal_upheld" if appeal else "ratified", comment, notify=(
        f"Your {application.title} application is ratified",
        f"Your application has been ratified: you are now registered as {title.name} ({title.title})."
        + (f"\n\n{comment}" if comment else "")))


def _decline(actor, application, title, comment, notes):
    appeal = application.status == "under_appeal"
    application.status, application.decided_at = "declined", utcnow()
    if not appeal:
        application.decided_by_id = actor.id
        words = (f"Your application for {title.title} has been declined:\n\n{comment}\n\nYou may appeal within "
                 f"{APPEAL_DAYS} days, giving your grounds, from your application's page.")
    else:
        words = f"Your appeal is dismissed, and the decision to decline stands:\n\n{comment}"
    step(application, actor, "appeal_dismissed" if appeal else "declined", comment, notify=(
        f"Your {application.title} application is declined", words))


def _refer_back(actor, application, title, comment, notes):
    """Back to the applicant as a draft; the round's assessments and reports go into the history."""
    appeal = application.status == "under_appeal"
    closed = {"assessments": [_kept(a, "assessor_id", a.assessed_at) for a in application.assessors],
              "interview_reports": [_kept(r, "interviewer_id", r.reported_at) for r in application.interviewers]}
    application.assessors.clear()
    application.interviewers.clear()
    application.interview = None
    referees.close_links(application)
    application.status, application.submitted_at, application.decided_at = "draft", None, None
    application.decided_by_id, application.appealed_at, application.appeal_grounds = None, None, ""
    application.feedback = {"by": "the registration committee", "comment": comment, "competences": notes,
                            "at": utcnow().isoformat()}
    step(application, actor, "appeal_upheld_referred_back" if appeal else "referred_back", comment, details=closed,
         notify=(f"Your {application.title} application is referred back to you",
                 f"The committee has referred your application back to you:\n\n{comment}\n\n"
                 + "".join(f"{code}: {text}\n" for code, text in notes.items())
                 + "\nIt is a draft again: improve it and submit it when ready."))


def _kept(entry, who, at):
    return {"by": getattr(entry, who), "competences": entry.competences, "recommendation": entry.recommendation,
            "comment": entry.comment, "at": at.isoformat() if at else None}
