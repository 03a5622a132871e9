"""Membership over time, and the one definition of "a member of the body" the figures use.

A member of the body on a day is an account (not staff) that had joined by that day, had not left,
and held a grade on it. For a year, the day is 31 December (or today, for the year under way), so
a year's figures read only facts dated in or before it: a change made today never moves them.
"""
from datetime import date, timedelta

import sqlalchemy as sa

from cpd.core.errors import Invalid
from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members.models import GradePeriod, Member, ProfessionalRegistration, ProfilePeriod


def today():
    return utcnow().date()


def measured_on(year):
    """The day a year's membership is measured on: its last day, or today while it is under way."""
    return min(date(year, 12, 31), today())


def grade_on(day):
    """SQL: each member's grade on `day` (NULL for none)."""
    earlier = (sa.select(GradePeriod.grade)
               .where(GradePeriod.member_id == Member.id, GradePeriod.since <= day, GradePeriod.until >= day)
               .limit(1).scalar_subquery())
    return sa.case((sa.or_(Member.grade_since.is_(None), Member.grade_since <= day), Member.grade), else_=earlier)


# The profile's facts a year's figures break down by or judge by, dated like grades.
DATED_PROFILE_FIELDS = ("cpd_policy", "discipline", "sector", "career_stage", "areas_of_practice")


def profile_on(field, day):
    """SQL on Member: the value `field` held on `day` (the earliest change after it says what it was
    before; none after it: today's value)."""
    changed_later = (ProfilePeriod.member_id == Member.id, ProfilePeriod.field == field, ProfilePeriod.until >= day)
    held = (sa.select(ProfilePeriod.value).where(*changed_later)
            .order_by(ProfilePeriod.until, ProfilePeriod.id).limit(1).correlate(Member).scalar_subquery())
    # The value held may itself be empty (no discipline given then): hence EXISTS, not COALESCE.
    return sa.case((sa.exists().where(*changed_later), held), else_=getattr(Member, field))


def profile_as_of(field, day):
    """SQL on Member: `field` as it was on `day`; today (or later), the column itself."""
    return getattr(Member, field) if day >= today() else profile_on(field, day)


def value_on(member, field, day):
    """`member`'s `field` as it was on `day` (one query before today; none from today on)."""
    if day >= today():
        return getattr(member, field)
    held = db.session.execute(sa.select(ProfilePeriod.value).where(
        ProfilePeriod.member_id == member.id, ProfilePeriod.field == field, ProfilePeriod.until >= day)
        .order_by(ProfilePeriod.until, ProfilePeriod.id).limit(1)).first()
    return getattr(member, field) if held is None else held[0]


def record_profile_change(member, field, new_value):
    """`member`'s `field` changes to `new_value` today: the value before is kept as held until
    yesterday (a second change the same day corrects the first, keeping nothing for it)."""
    old = getattr(member, field)
    if field not in DATED_PROFILE_FIELDS or old == new_value or member.id is None:
        return
    yesterday = today() - timedelta(days=1)
    changed_today = db.session.scalar(sa.select(sa.exists().where(
        ProfilePeriod.member_id == member.id, ProfilePeriod.field == field, ProfilePeriod.until == yesterday)))
    if not changed_today:
        db.session.add(ProfilePeriod(member_id=member.id, field=field, value=old, until=yesterday))


def member_of_body_on(day):
    """SQL: true for a member of the body on `day`."""
    return sa.and_(Member.role == "member", Member.joined_on.is_not(None), Member.joined_on <= day,
                   sa.or_(Member.left_on.is_(None), Member.left_on > day), grade_on(day).is_not(None))


def in_membership(member, day=None):
    """Whether `member` may apply for, declare for or hold a registration on `day`: graded, and not
    left by then. The Engineering Council's registration FAQ: "In order to remain on our register
    you need to be a member of one of the appropriate institutions"."""
    day = day or today()
    return member.grade is not None and (member.left_on is None or member.left_on > day)


LEFT_THE_BODY = "left the body"


def lapse_registrations(member, day, reason):
    """Every registration `member` holds stops on `day` (one lapsed for leaving follows a corrected
    leaving date). Their credentials are revoked with them (cpd.credentials reads the lapse)."""
    for registration in member.registrations:
        if registration.lapsed_on is None or registration.lapsed_on > day or (
                registration.lapse_reason == reason == LEFT_THE_BODY):
            registration.lapsed_on, registration.lapse_reason = day, reason


def change_grade(member, grade, since=None):
    """The member holds `grade` (None: no longer graded) from `since` (default today); the grade
    before ends the day before. Changing it again on the same day corrects it."""
    since = since or today()
    if since > today():
        raise Invalid.on_field("grade_since", "Must not be in the future: record a grade once it has taken effect.")
    if member.joined_on is not None and since < member.joined_on:
        raise Invalid.on_field("grade_since", f"Must not be before the member joined ({member.joined_on:%-d %b %Y}).")
    current_since = member.grade_since or member.joined_on
    if member.grade is not None and current_since is not None and since < current_since:
        raise Invalid.on_field("grade_since", f"Must not be before the current grade took effect "
                                              f"({current_since:%-d %b %Y}).")
    if grade == member.grade:
        return member
    if member.grade is not None and current_since is not None and since > current_since:
        member.earlier_grades.append(GradePeriod(grade=member.grade, since=current_since,
                                                 until=since - timedelta(days=1)))
    if grade is not None and member.joined_on is None:
        member.joined_on = since
    member.grade, member.grade_since = grade, since
    db.session.flush()
    return member


def check_dates(joined_on, left_on):
    """Staff set when a member joined or left; 422 for a left_on before joined_on."""
    errors = {}
    if joined_on is not None and joined_on > today():
        errors["joined_on"] = ["Must not be in the future."]
    if left_on is not None and joined_on is not None and left_on < joined_on:
        errors["left_on"] = [f"Must not be before the member joined ({joined_on:%-d %b %Y})."]
    if left_on is not None and joined_on is None:
        errors["left_on"] = ["The member has not joined the body: give joined_on first."]
    if errors:
        raise Invalid.from_fields(errors)


def registration_held_on(day):
    """SQL on ProfessionalRegistration: awarded by `day` and not lapsed by then."""
    return sa.and_(ProfessionalRegistration.awarded_on <= day,
                   sa.or_(ProfessionalRegistration.lapsed_on.is_(None), ProfessionalRegistration.lapsed_on > day))


def holds_registration_on(day, titles=None):
    """SQL on Member: they hold a registration on `day` (one of `titles`, when given)."""
    held = sa.exists().where(ProfessionalRegistration.member_id == Member.id, registration_held_on(day))
    return held.where(ProfessionalRegistration.title.in_(titles)) if titles is not None else held
