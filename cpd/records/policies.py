"""Measuring a CPD log against a policy.

The rule for a record that spans a period boundary: its hours are spread evenly over the days
it covers, and only the days inside the period count. Caps (a type's maximum) apply before
the total; minimums are checked against what counts.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from cpd.core.queries import days_between
from cpd.extensions import db
from cpd.records.models import CpdRecord
from cpd.records.vocabulary import ACTIVITY_TYPES

TWO_PLACES = Decimal("0.01")


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30, 31, 30,
                31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(day.day, last_day))


def period_for(policy, as_of):
    """The period the policy measures on `as_of`: (first day, last day), both included."""
    if policy.period_kind == "calendar_year":
        return date(as_of.year, 1, 1), date(as_of.year, 12, 31)
    return add_months(as_of, -policy.period_months) + timedelta(days=1), as_of


def amounts_statement(start, end):
    """Hours inside [start, end] by activity type and verified, with record and unreflected counts.

    `start` and `end` are dates or SQL expressions (a per-member period). The caller adds its WHERE.
    """
    start, end = sa.literal(start) if isinstance(start, date) else start, sa.literal(end) if isinstance(end, date) else end
    overlap_start = sa.case((CpdRecord.started_on < start, start), else_=CpdRecord.started_on)
    overlap_end = sa.case((CpdRecord.ended_on > end, end), else_=CpdRecord.ended_on)
    days_inside = days_between(overlap_start, overlap_end) + 1
    days_total = days_between(CpdRecord.started_on, CpdRecord.ended_on) + 1
    # As a float: SQLite would divide whole numbers of hours as integers.
    hours_inside = sa.cast(CpdRecord.hours, sa.Float) * days_inside / days_total
    reflected = sa.and_(
        sa.func.length(sa.func.trim(CpdRecord.learning)) > 0,
        sa.or_(
            sa.func.length(sa.func.trim(CpdRecord.benefit_to_practice)) > 0,
            sa.func.length(sa.func.trim(CpdRecord.benefit_to_users)) > 0,
        ),
    )
    return (
        sa.select(
            CpdRecord.activity_type,
            CpdRecord.verified,
            sa.func.sum(hours_inside),
            sa.func.count(),
            sa.func.sum(sa.case((reflected, 0), else_=1)),
        )
        .where(CpdRecord.started_on <= end, CpdRecord.ended_on >= start)
        .group_by(CpdRecord.activity_type, CpdRecord.verified)
    )


_MEMBER_AMOUNTS = None


def _member_amounts_statement():
    """Built once: constructing the expression costs more than running it (see bench/RESULTS.md)."""
    global _MEMBER_AMOUNTS
    if _MEMBER_AMOUNTS is None:
        start, end = sa.bindparam("period_start", type_=sa.Date), sa.bindparam("period_end", type_=sa.Date)
        _MEMBER_AMOUNTS = amounts_statement(start, end).where(CpdRecord.member_id == sa.bindparam("member_id"))
    return _MEMBER_AMOUNTS


def amounts_in_period(member_id, start, end):
    """One GROUP BY query: {(activity_type, verified): (hours, records, unreflected records)}."""
    rows = db.session.execute(_member_amounts_statement(),
                              {"member_id": member_id, "period_start": start, "period_end": end})
    return {
        (activity_type, bool(verified)): (Decimal(str(hours or 0)), count, int(unreflected or 0))
        for activity_type, verified, hours, count, unreflected in rows
    }


@dataclass
class Requirement:
    name: str
    required: Decimal
    achieved: Decimal
    met: bool


@dataclass
class PolicySummary:
    policy: str
    policy_name: str
    unit: str
    period_start: date
    period_end: date
    as_of: date
    by_activity_type: dict
    counted_by_activity_type: dict
    logged_total: Decimal
    total: Decimal
    verified_total: Decimal
    required: Decimal | None
    distinct_types: int
    record_count: int
    unreflected_count: int
    requirements: list = field(default_factory=list)
    shortfalls: list = field(default_factory=list)

    @property
    def compliant(self):
        return not self.shortfalls


def _round(value):
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _number(value):
    return _round(Decimal(str(value)))


def _amount_text(amount, unit):
    return f"{amount:.1f} more {unit}"


def deadline_for(policy, as_of, member_since=None):
    """The date a shortfall is to be made up by, in words. A calendar year: its last day. A rolling
    window ends every day, so "by today" helps nobody: someone who started within the window has
    until their first full window closes; anyone else is short now."""
    start, end = period_for(policy, as_of)
    if policy.period_kind == "calendar_year":
        return f"by {end:%-d %b %Y}"
    if member_since is not None and start < member_since <= as_of:
        return f"by {add_months(member_since, policy.period_months) - timedelta(days=1):%-d %b %Y}"
    return f"within the {policy.period_months} months to {end:%-d %b %Y}"


def evaluate(policy, amounts, as_of, member_since=None):
    """The summary of `amounts` (from amounts_in_period) against `policy`. No queries."""
    start, end = period_for(policy, as_of)
    deadline = deadline_for(policy, as_of, member_since)
    weight = (lambda t: Decimal(str(policy.weights.get(t, 1)))) if policy.unit == "points" else (lambda t: Decimal(1))

    by_type = {t: Decimal(0) for t in ACTIVITY_TYPES}
    verified_total = Decimal(0)
    record_count = unreflected = 0
    for (activity_type, verified), (hours, count, not_reflected) in amounts.items():
        amount = hours * weight(activity_type)
        by_type[activity_type] = by_type.get(activity_type, Decimal(0)) + amount
        if verified:
            verified_total += amount
        record_count += count
        unreflected += not_reflected
    by_type = {t: _round(a) for t, a in by_type.items()}
    counted = {
        t: min(a, _number(policy.type_maximums[t])) if t in policy.type_maximums else a for t, a in by_type.items()
    }
    total = sum(counted.values(), Decimal(0))
    distinct = sum(1 for a in by_type.values() if a > 0)
    unit = policy.unit

    requirements, shortfalls = [], []

    def require(name, required, achieved, shortfall_text):
        met = achieved >= required
        requirements.append(Requirement(name, required, achieved, met))
        if not met:
            shortfalls.append(shortfall_text)

    if policy.required_total is not None:
        required = _number(policy.required_total)
        require(f"{unit} in total", required, total,
                f"{_amount_text(required - total, unit)} needed {deadline}")
    for activity_type, minimum in sorted(policy.type_minimums.items()):
        required = _number(minimum)
        require(f"{unit} of {activity_type}", required, counted.get(activity_type, Decimal(0)),
                f"{_amount_text(required - counted.get(activity_type, Decimal(0)), unit)} of {activity_type} needed {deadline}")
    if policy.verified_minimum is not None:
        required = _number(policy.verified_minimum)
        achieved = _round(verified_total)
        require(f"verified {unit}", required, achieved,
                f"{_amount_text(required - achieved, unit)} of verified activity needed {deadline}")
    if policy.distinct_types_minimum:
        required = Decimal(policy.distinct_types_minimum)
        missing = policy.distinct_types_minimum - distinct
        require("types of activity", required, Decimal(distinct),
                f"{missing} more type{'s' if missing != 1 else ''} of activity needed {deadline} "
                f"(you have {distinct} of the {policy.distinct_types_minimum} required)")
    if policy.reflection_required:
        reflected = record_count - unreflected
        require("records with a reflection", Decimal(record_count), Decimal(reflected),
                f"{unreflected} record{'s' if unreflected != 1 else ''} need{'s' if unreflected == 1 else ''} "
                f"a reflection (what you learned and its benefit)" + (f" {deadline}" if deadline.startswith("by") else ""))

    return PolicySummary(
        policy=policy.code,
        policy_name=policy.name,
        unit=unit,
        period_start=start,
        period_end=end,
        as_of=as_of,
        by_activity_type=by_type,
        counted_by_activity_type=counted,
        logged_total=_round(sum(by_type.values(), Decimal(0))),
        total=_round(total),
        verified_total=_round(verified_total),
        required=_number(policy.required_total) if policy.required_total is not None else None,
        distinct_types=distinct,
        record_count=record_count,
        unreflected_count=unreflected,
        requirements=requirements,
        shortfalls=shortfalls,
    )


def summarise(member_id, policy, as_of, member_since=None):
    """The member's standing against `policy` on `as_of`: one query."""
    start, end = period_for(policy, as_of)
    return evaluate(policy, amounts_in_period(member_id, start, end), as_of, member_since)
