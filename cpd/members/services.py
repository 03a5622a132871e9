"""Rules for member profiles. Functions flush, never commit; the caller commits once."""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cpd.core import audit
from cpd.core.errors import Conflict, Forbidden, Invalid, NotFound
from cpd.core.queries import contains_pattern
from cpd.extensions import db
from cpd.members import history, permissions
from cpd.members.models import Member, ProfessionalRegistration
from cpd.members.vocabulary import (
    CAREER_STAGES,
    DISCIPLINES,
    GRADES,
    AREAS_OF_PRACTICE,
    REGISTRATION_TITLES,
    ROLES,
    SECTORS,
)
from cpd.members import policy_catalogue

# The member's own to set, and, on top of those, staff's.
SELF_FIELDS = ("full_name", "discipline", "sector", "career_stage", "cpd_policy", "areas_of_practice",
               "name_on_credentials")
FLAGS = ("is_ambassador", "name_on_credentials")
STAFF_FIELDS = SELF_FIELDS + ("grade", "role", "is_ambassador", "grade_since", "joined_on", "left_on")
DATED_FIELDS = ("grade", "grade_since", "joined_on", "left_on")

_VOCABULARIES = {
    "discipline": DISCIPLINES,
    "sector": SECTORS,
    "career_stage": CAREER_STAGES,
    "grade": GRADES,
    "role": ROLES,
}
_REQUIRED = {"full_name", "role", "cpd_policy"}


def known_policy_codes():
    return policy_catalogue.policy_codes()


def get_member(member_id):
    member = db.session.get(Member, member_id)
    if member is None:
        raise NotFound("No such member.")
    return member


def check_profile_value(field, value):
    """Raise Invalid unless `value` is allowed for `field`; returns the cleaned value."""
    if field == "areas_of_practice":
        return _area_codes(value)
    if value is None or value == "":
        if field in _REQUIRED:
            raise Invalid.on_field(field, "Required.")
        return None
    if field == "full_name":
        value = " ".join(str(value).split())
        if not value or len(value) > 200:
            raise Invalid.on_field(field, "Give a name of 1 to 200 characters.")
        return value
    if field in FLAGS:
        if not isinstance(value, bool):
            raise Invalid.on_field(field, "Must be true or false.")
        return value
    if field == "cpd_policy":
        allowed = known_policy_codes()
    else:
        allowed = _VOCABULARIES[field]
    if value not in allowed:
        raise Invalid.on_field(field, f"Must be one of: {', '.join(allowed)}.")
    return value


def _area_codes(value):
    """A list of areas of practice as stored: known codes, sorted, comma-separated (None for none)."""
    if value is None:
        return None
    unknown = [code for code in value if code not in AREAS_OF_PRACTICE] if isinstance(value, (list, tuple)) else [value]
    if unknown:
        raise Invalid.on_field("areas_of_practice", f"Unknown area {', '.join(map(str, unknown))}. "
                                                    f"Allowed: {', '.join(AREAS_OF_PRACTICE)}.")
    return ",".join(sorted(set(value))) or None


def _apply(member, changes, allowed_fields):
    errors = {}
    cleaned = {}
    for field, value in changes.items():
        if field not in allowed_fields:
            raise Forbidden(f"{field} is set by staff.", {field: ["Set by staff only."]})
        try:
            cleaned[field] = check_profile_value(field, value)
        except Invalid as error:
            errors.update(error.errors)
    if errors:
        raise Invalid.from_fields(errors)
    for field, value in cleaned.items():
        history.record_profile_change(member, field, value)
        setattr(member, field, value)
    db.session.flush()
    return member


def update_own_profile(actor, changes):
    """A member changes the parts of their profile that are theirs to set."""
    return _apply(actor, changes, SELF_FIELDS)


def update_member(actor, member, changes):
    """Staff change any profile, grade and role included."""
    if not permissions.can_manage_members(actor):
        raise Forbidden("Only staff can change another member's profile.")
    before = {field: getattr(member, field) for field in changes if field in STAFF_FIELDS}
    _apply(member, {f: v for f, v in changes.items() if f not in DATED_FIELDS}, STAFF_FIELDS)
    _apply_history(member, changes)
    changed = {field: (old, getattr(member, field)) for field, old in before.items() if old != getattr(member, field)}
    audit.record_staff_action(actor, "member.update", "member", member.id, fields=sorted(changes),
                              changes=audit.changes_of(changed))
    return member


def _apply_history(member, changes):
    """Grades, joining and leaving are dated facts: the figures of past years read them."""
    if "grade_since" in changes and "grade" not in changes:
        raise Invalid.on_field("grade_since", "Give the grade it applies to as well.")
    joined_on, left_on = changes.get("joined_on", member.joined_on), changes.get("left_on", member.left_on)
    history.check_dates(joined_on, left_on)
    member.joined_on, member.left_on = joined_on, left_on
    if left_on is not None and "left_on" in changes:
        history.lapse_registrations(member, left_on, history.LEFT_THE_BODY)
    if "grade" in changes:
        history.change_grade(member, check_profile_value("grade", changes["grade"]), changes.get("grade_since"))
    if "is_ambassador" in changes:
        member.ambassador_since = (member.ambassador_since or history.today()) if member.is_ambassador else None
    db.session.flush()


def add_registration(actor, member, title, awarded_on):
    if not permissions.can_manage_members(actor):
        raise Forbidden("Only staff record professional registrations.")
    if title not in REGISTRATION_TITLES:
        raise Invalid.on_field("title", f"Must be one of: {', '.join(REGISTRATION_TITLES)}.")
    if awarded_on is None:
        raise Invalid.on_field("awarded_on", "Required.")
    if any(r.title == title and r.lapsed_on is None for r in member.registrations):
        raise Conflict(f"{member.full_name} already holds {title}.")
    if not history.in_membership(member, awarded_on):
        raise Invalid.on_field("title", f"{member.full_name} is not a member of the body (graded, not left): "
                                        "only a member may hold a registration.")
    registration = ProfessionalRegistration(member=member, title=title, awarded_on=awarded_on)
    audit.record_staff_action(actor, "member.registration", "member", member.id, title=title)
    db.session.add(registration)
    db.session.flush()
    return registration


def member_search(query=None, role=None, grade=None, discipline=None):
    """A select() of members matching the staff list's search, in order of name."""
    statement = (
        sa.select(Member)
        .where(Member.erased_at.is_(None))
        .options(selectinload(Member.registrations))
        .order_by(Member.full_name, Member.id)
    )
    if query:
        pattern = contains_pattern(query)
        statement = statement.where(
            sa.or_(
                sa.func.lower(Member.full_name).like(pattern, escape="\\"),
                Member.email.like(pattern, escape="\\"),
            )
        )
    if role:
        statement = statement.where(Member.role == role)
    if grade == "none":
        statement = statement.where(Member.grade.is_(None))
    elif grade:
        statement = statement.where(Member.grade == grade)
    if discipline:
        statement = statement.where(Member.discipline == discipline)
    return statement
