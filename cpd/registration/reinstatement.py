"""A lapsed registration reinstated.

The Engineering Council's registration FAQ: "The process for reinstatement will depend on how long
it has been since the last payment of registration fees, but if the lapse has been longer than
three years, the individual will be required to undertake a Professional Review" (the IOP for CEng:
"the submission of a new application ... assessed in the same way (including interviews)"). So
within REINSTATE_WITHIN_YEARS of the lapse staff reinstate with a recorded reason (a new period of
registration from today: the lapsed one stays as history, so past figures do not move); after it,
only a new application."""
from datetime import date


from cpd.core import audit
from cpd.core.errors import Conflict, Forbidden, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.permissions import ensure_staff
from cpd.extensions import db
from cpd.members.history import in_membership
from cpd.members.models import ProfessionalRegistration
from cpd.registration.vocabulary import REINSTATE_WITHIN_YEARS


def _years_after(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)


def reinstate(actor, member, registration_id, reason):
    ensure_staff(actor)
    if actor.id == member.id:
        raise Forbidden("This is your own registration: another member of staff reinstates it.")
    registration = db.session.get(ProfessionalRegistration, registration_id)
    if registration is None or registration.member_id != member.id:
        raise NotFound("No such registration.")
    reason = " ".join(reason.split()) if isinstance(reason, str) else ""
    if not 1 <= len(reason) <= 2000:
        raise Invalid.on_field("reason", "Record why it is reinstated (1 to 2000 characters).")
    today = utcnow().date()
    if registration.lapsed_on is None or registration.lapsed_on > today:
        raise Conflict(f"{member.full_name}'s {registration.title} has not lapsed.")
    if any(r.title == registration.title and r.lapsed_on is None for r in member.registrations):
        raise Conflict(f"{member.full_name} holds {registration.title} again already.")
    if _years_after(registration.lapsed_on, REINSTATE_WITHIN_YEARS) < today:
        raise Invalid.on_field("registration_id", f"{registration.title} lapsed on {registration.lapsed_on:%-d %B %Y}, "
                               f"more than {REINSTATE_WITHIN_YEARS} years ago: it needs a new application and "
                               "professional review, not reinstatement.")
    if not in_membership(member):
        raise Invalid.on_field("registration_id", f"{member.full_name} is not a member of the body (graded, not "
                                                  "left): only a member may hold a registration.")
    renewed = ProfessionalRegistration(member=member, title=registration.title, awarded_on=today,
                                       reinstatement_reason=reason)
    db.session.add(renewed)
    audit.record_staff_action(actor, "registration.reinstated", "member", member.id, title=registration.title,
                              lapsed_on=registration.lapsed_on.isoformat())
    db.session.flush()
    return renewed
