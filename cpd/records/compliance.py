"""Many members' standing against their own policies at once, for the figures.

The same Amounts and the same measure() as one member's summary, so a figure and a member's own
page cannot disagree; only the reading is grouped: one query for the sums by member, one for the
topic hours (only when a policy asks for topics) and one for the exemptions.
"""
from datetime import datetime, time, timezone

import sqlalchemy as sa

from cpd.core.models import UTCDateTime, utcnow
from cpd.extensions import db
from cpd.members.history import profile_as_of
from cpd.members.models import Member, ProfilePeriod
from cpd.records.models import CpdExemption, CpdPolicy, CpdRecord, RecordTopic
from cpd.records.amounts import Amounts, amounts_statement, exact_hours, topic_amounts_statement, topic_start_whens
from cpd.records.periods import NEVER, counting_window, recorded_before, topic_starts
from cpd.records.policies import NO_PRACTICE, Practice, carried_forward, measure, previous_period, rules_of
from cpd.members.vocabulary import ACADEMIC_SECTORS
from cpd.records.vocabulary import AREA_TOPIC_PREFIX


def policy_followed(as_of):
    """SQL on Member: the policy each member followed on `as_of` (a policy chosen today does not
    judge last year)."""
    return profile_as_of("cpd_policy", as_of)


def _by_policy(values, default, policy):
    """A CASE on the member's policy code: {code: value}."""
    return sa.case({code: sa.literal(value) for code, value in values.items()}, value=policy,
                   else_=sa.literal(default))


def _within(earliest, latest):
    """Records that overlap [earliest, latest] at all, in terms an index can answer: every policy's
    own window lies inside, so only the rows that could count are read."""
    return CpdRecord.ended_on >= earliest, CpdRecord.started_on <= latest


def _recorded_before(policies, as_of, policy):
    """A CASE on the member's policy: the moment a record must have been made before to count; None
    while every policy's last day to record is still to come (no record can be too late: the
    current year's figures skip the test on a million rows)."""
    if all(recorded_before(rules, as_of) > utcnow() for rules in policies.values()):
        return None
    return sa.case({code: sa.literal(recorded_before(rules, as_of), UTCDateTime()) for code, rules in policies.items()},
                   value=policy, else_=sa.literal(NEVER, UTCDateTime()))


def _amounts_by_member(windows, who, made_before, policy):
    earliest, latest = min(s for s, _ in windows.values()), max(e for _, e in windows.values())
    start = _by_policy({code: s for code, (s, _) in windows.items()}, earliest, policy)
    end = _by_policy({code: e for code, (_, e) in windows.items()}, latest, policy)
    statement = (amounts_statement(start, end, made_before).join(Member, Member.id == CpdRecord.member_id)
                 .where(*who, *_within(earliest, latest))
                 .add_columns(Member.id, policy).group_by(Member.id, policy))
    by_member = {}
    for *row, member_id, code in db.session.execute(statement):
        by_member.setdefault(member_id, (code, Amounts()))[1].add_row(*row)
    return by_member


def _topics_by_member(policies, as_of, windows, who, by_member, made_before, policy):
    starts = {(code, topic): day for code, rules in policies.items()
              for topic, day in topic_starts(rules, as_of).items()}
    if not starts:
        return
    by_code = {}
    for (code, topic), day in starts.items():
        by_code.setdefault(code, {})[topic] = sa.literal(day)
    topic_start = sa.case(*[when for code, days in by_code.items() for when in topic_start_whens(days, policy == code)],
                          else_=sa.literal(max(starts.values())))
    with_areas = [code for code, days in by_code.items() if "area_of_practice" in days]
    area_rows = sa.and_(policy.in_(with_areas), RecordTopic.topic.startswith(AREA_TOPIC_PREFIX, autoescape=True))
    end = _by_policy({code: e for code, (_, e) in windows.items()}, as_of, policy)
    statement = (topic_amounts_statement(topic_start, end, made_before).join(Member, Member.id == CpdRecord.member_id)
                 .where(*who, sa.or_(sa.tuple_(policy, RecordTopic.topic).in_(list(starts)),
                                     *([area_rows] if with_areas else [])),
                        *_within(min(starts.values()), max(e for _, e in windows.values())))
                 .add_columns(Member.id, policy).group_by(Member.id, policy))
    for topic, hours, member_id, code in db.session.execute(statement):
        # A topic's window can reach past the period (RICS: ethics over three years).
        by_member.setdefault(member_id, (code, Amounts()))[1].topics[topic] = exact_hours(hours)


def _exemptions_by_member(who, policy):
    """{member id: (their policy, [exemptions])}."""
    rows = db.session.execute(sa.select(CpdExemption, policy)
                              .join(Member, Member.id == CpdExemption.member_id).where(*who))
    by_member = {}
    for exemption, code in rows:
        by_member.setdefault(exemption.member_id, (code, []))[1].append(exemption)
    return by_member


def _measured_by_member(policies, as_of, who):
    """{member id: (policy code, Measured)} for the members `who` chooses that logged anything in
    their period or have an exemption: three queries."""
    windows = {code: counting_window(rules, as_of) for code, rules in policies.items()}
    policy = policy_followed(as_of)
    made_before = _recorded_before(policies, as_of, policy)
    by_member = _amounts_by_member(windows, who, made_before, policy)
    _topics_by_member(policies, as_of, windows, who, by_member, made_before, policy)
    exemptions = _exemptions_by_member(who, policy)
    _carry_in(policies, as_of, who, by_member, policy, exemptions)
    for member_id, (code, _) in exemptions.items():
        by_member.setdefault(member_id, (code, Amounts()))
    practices = _practices_by_member(policies, as_of, who, policy)
    return {member_id: (code, measure(policies[code], amounts, as_of, exemptions.get(member_id, (code, ()))[1],
                                      practices.get(member_id, NO_PRACTICE)))
            for member_id, (code, amounts) in by_member.items()}


def _practices_by_member(policies, as_of, who, policy):
    """{member id: Practice} of the members whose practice their policy asks about (several areas of
    practice, or an academic's industry involvement), as it was on `as_of`: one query, only when
    such a policy is followed."""
    asking = [code for code, rules in policies.items()
              if "area_of_practice" in rules.topic_minimums or rules.academic_topic_minimums]
    if not asking:
        return {}
    areas, sector = profile_as_of("areas_of_practice", as_of), profile_as_of("sector", as_of)
    rows = db.session.execute(sa.select(Member.id, areas, sector).where(
        *who, policy.in_(asking), sa.or_(areas.contains(","), sector.in_(ACADEMIC_SECTORS))))
    return {member_id: Practice.of(member_areas, member_sector) for member_id, member_areas, member_sector in rows}


def _carry_in(policies, as_of, who, by_member, policy, exemptions):
    """What last year carries into this one for the policies that let it (ACCA): one more query,
    only when such a policy is followed. A member's first CPD year carries nothing."""
    carrying = {code: rules for code, rules in policies.items() if rules.carry_forward_limit}
    if not carrying:
        return
    previous = {code: previous_period(rules, as_of) for code, rules in carrying.items()}
    first_day = min(first for first, _ in previous.values())
    windows = {code: counting_window(rules, previous[code][1]) for code, rules in carrying.items()}
    made_before = _recorded_before(carrying, max(last for _, last in previous.values()), policy)
    before = _amounts_by_member(windows, [*who, policy.in_(list(carrying)),
                                          Member.created_at < datetime.combine(first_day, time(0), timezone.utc)],
                                made_before, policy)
    for member_id, (code, amounts) in before.items():
        last_day = previous[code][1]
        carried = carried_forward(carrying[code], measure(carrying[code], amounts, last_day,
                                                          exemptions.get(member_id, (code, ()))[1]))
        if carried:
            by_member.setdefault(member_id, (code, Amounts()))[1].carried = carried


def _policies():
    """The policies members follow or followed: a policy nobody follows would only widen the window read."""
    in_use = sa.union(sa.select(Member.cpd_policy), sa.select(ProfilePeriod.value).where(
        ProfilePeriod.field == "cpd_policy"))
    return {policy.code: rules_of(policy)
            for policy in db.session.scalars(sa.select(CpdPolicy).where(CpdPolicy.code.in_(in_use)))}


def members_on_track(as_of, *who):
    """How many members chosen by the conditions `who` (on Member) meet their own policy on `as_of`
    (for an advisory policy: are on track)."""
    policies = _policies()
    if not policies:
        return 0
    measured = _measured_by_member(policies, as_of, who)
    meeting = sum(1 for _, result in measured.values() if result.on_track)
    met_by_nothing = met_by_an_empty_log(policies, as_of)
    if met_by_nothing:
        on_those = db.session.scalar(sa.select(sa.func.count()).select_from(Member).where(
            *who, policy_followed(as_of).in_(met_by_nothing)))
        meeting += on_those - sum(1 for code, _ in measured.values() if code in met_by_nothing)
    return meeting


def met_by_an_empty_log(policies, as_of):
    """The codes of the `policies` ({code: rules}) that a member who logged nothing in the period and
    has no exemption meets (or is on track for) on `as_of`."""
    return [code for code, policy in policies.items() if measure(policy, Amounts(), as_of).on_track]


def measured_members(as_of, policies, *who):
    """{member id: (policy code, Measured)} of every member `who` chooses, against the `policies`
    they follow on `as_of` (those who logged nothing measured as an empty log)."""
    measured = _measured_by_member(policies, as_of, who)
    empty = {}
    for member_id, code in db.session.execute(sa.select(Member.id, policy_followed(as_of)).where(*who)):
        if member_id not in measured:
            if code not in empty:
                empty[code] = measure(policies[code], Amounts(), as_of)
            measured[member_id] = (code, empty[code])
    return measured


def members_short(as_of, *who):
    """[(member id, policy, Measured)] of the members `who` chooses who do not yet meet their own
    policy on `as_of`, those who logged nothing included."""
    policies = _policies()
    return [(member_id, policies[code], result)
            for member_id, (code, result) in measured_members(as_of, policies, *who).items() if not result.on_track]
