"""Measuring a CPD log against a policy.

The rule for a record that spans a period boundary: its hours are spread evenly over the days
it covers, and only the days inside the period count, and never a day after `as_of`. Caps (a
type's maximum) apply before the total; minimums are checked against what counts, unrounded (29.9967
hours is short of 30). Exemptions lift a share of every amount required, pro rata.
"""
import functools
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from types import SimpleNamespace

import sqlalchemy as sa
from cpd.core.queries import days_between
from cpd.extensions import db
from cpd.records.models import CpdRecord, Evidence, RecordTopic
from cpd.members.vocabulary import label
from cpd.records.vocabulary import ACTIVITY_TYPES, TOPICS

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


def counting_window(policy, as_of):
    """The days whose activity counts on `as_of`: the period, cut at `as_of` (nothing later counts)."""
    start, end = period_for(policy, as_of)
    return start, min(end, as_of)


def topic_starts(policy, as_of):
    """{topic: the first day its hours count}: a topic with a window of its own (RICS: ethics within
    three rolling years) looks back that far; any other, over the policy's period."""
    start, _ = period_for(policy, as_of)
    return {topic: (add_months(as_of, -int(policy.topic_windows[topic])) + timedelta(days=1)
                    if topic in (policy.topic_windows or {}) else start)
            for topic in (policy.topic_minimums or {})}


def _literal(value):
    return sa.literal(value) if isinstance(value, date) else value


def _hours_inside(start, end):
    """A record's hours spread evenly over its days, only the days inside [start, end] counted."""
    overlap_start = sa.case((CpdRecord.started_on < start, start), else_=CpdRecord.started_on)
    overlap_end = sa.case((CpdRecord.ended_on > end, end), else_=CpdRecord.ended_on)
    days_inside = days_between(overlap_start, overlap_end) + 1
    days_total = days_between(CpdRecord.started_on, CpdRecord.ended_on) + 1
    # As a float: SQLite would divide whole numbers of hours as integers.
    return sa.cast(CpdRecord.hours, sa.Float) * days_inside / days_total


def _has_text(column):
    return sa.func.length(sa.func.trim(column)) > 0


_EVIDENCED = sa.select(Evidence.record_id).distinct().subquery("evidenced")
# Verifiable CPD (ACCA): recorded attendance, or a claim the member backs with evidence attached.
VERIFIABLE = sa.or_(CpdRecord.verified, sa.and_(CpdRecord.verifiable, _EVIDENCED.c.record_id.is_not(None)))
CLAIMED_WITHOUT_EVIDENCE = sa.and_(CpdRecord.verifiable, sa.not_(CpdRecord.verified),
                                   _EVIDENCED.c.record_id.is_(None))


def amounts_statement(start, end):
    """Hours inside [start, end] by activity type, verified, formal, verifiable and claimed without
    evidence, with record counts, records lacking each kind of reflection, and the earliest start.

    `start` and `end` are dates or SQL expressions (a per-member period). The caller adds its WHERE.
    """
    start, end = _literal(start), _literal(end)
    learning = _has_text(CpdRecord.learning)
    practice, users = _has_text(CpdRecord.benefit_to_practice), _has_text(CpdRecord.benefit_to_users)
    lacks_one = sa.not_(sa.and_(learning, sa.or_(practice, users)))
    lacks_both = sa.not_(sa.and_(learning, practice, users))
    return (
        sa.select(
            CpdRecord.activity_type, CpdRecord.verified, CpdRecord.formal, VERIFIABLE.label("verifiable_ok"),
            CLAIMED_WITHOUT_EVIDENCE.label("unevidenced"),
            sa.func.sum(_hours_inside(start, end)), sa.func.count(),
            sa.func.sum(sa.case((lacks_one, 1), else_=0)), sa.func.sum(sa.case((lacks_both, 1), else_=0)),
            sa.func.min(CpdRecord.started_on),
        )
        .select_from(CpdRecord)
        .outerjoin(_EVIDENCED, _EVIDENCED.c.record_id == CpdRecord.id)
        .where(CpdRecord.started_on <= end, CpdRecord.ended_on >= start)
        .group_by(CpdRecord.activity_type, CpdRecord.verified, CpdRecord.formal, VERIFIABLE.label("verifiable_ok"),
                  CLAIMED_WITHOUT_EVIDENCE.label("unevidenced"))
    )


def topic_amounts_statement(topic_start, end):
    """Hours by topic, each inside [its own start, end]. `topic_start` is an SQL expression of the
    topic (a CASE over RecordTopic.topic). The caller adds its WHERE."""
    end = _literal(end)
    return (
        sa.select(RecordTopic.topic, sa.func.sum(_hours_inside(topic_start, end)))
        .join(CpdRecord, CpdRecord.id == RecordTopic.record_id)
        .where(CpdRecord.started_on <= end, CpdRecord.ended_on >= topic_start)
        .group_by(RecordTopic.topic)
    )


@dataclass
class Amounts:
    """What a member's log holds for one policy's measure; measure() reads nothing else."""

    by_type: dict = field(default_factory=dict)  # hours (unrounded) by activity type
    verified: Decimal = Decimal(0)
    verifiable: Decimal = Decimal(0)
    unevidenced: Decimal = Decimal(0)
    formal: Decimal = Decimal(0)
    topics: dict = field(default_factory=dict)
    record_count: int = 0
    lacking_a_benefit: int = 0
    lacking_both_benefits: int = 0
    earliest: date | None = None

    def add_row(self, activity_type, verified, formal, verifiable, unevidenced, hours, count, lacks_one,
                lacks_both, earliest):
        hours = exact_hours(hours)
        self.by_type[activity_type] = self.by_type.get(activity_type, Decimal(0)) + hours
        self.verified += hours if verified else 0
        self.verifiable += hours if verifiable else 0
        self.unevidenced += hours if unevidenced else 0
        self.formal += hours if formal else 0
        self.record_count += count
        self.lacking_a_benefit += int(lacks_one or 0)
        self.lacking_both_benefits += int(lacks_both or 0)
        if earliest is not None:
            earliest = earliest if isinstance(earliest, date) else date.fromisoformat(str(earliest))
            self.earliest = min(self.earliest or earliest, earliest)


def exact_hours(hours):
    """Sums as they are, to a millionth of an hour: the float sum's noise gone, nothing rounded away."""
    return Decimal(str(round(float(hours or 0), 6)))


def amounts_in_period(member_id, policy, as_of):
    """The member's Amounts for `policy` on `as_of`: one query (its topics joined on by UNION ALL)."""
    start, end = counting_window(policy, as_of)
    starts = topic_starts(policy, as_of)
    topics = tuple(sorted(starts))
    values = {"start": start, "end": end, "member_id": member_id,
              **{f"topic_start_{i}": starts[topic] for i, topic in enumerate(topics)}}
    return _amounts_of(db.session.execute(_member_amounts_statement(topics), values))


def _amounts_of(rows):
    amounts = Amounts()
    for *row, kind in rows:
        if kind == "topic":
            amounts.topics[row[0]] = exact_hours(row[5])
        else:
            amounts.add_row(*row)
    return amounts


@functools.cache
def _member_amounts_statement(topics):
    """One member's amounts in [start, end], and hours on each of `topics` from its own start:
    built once per set of topics and run with bound values (building it cost as much as running
    it, profiled on the CPD summary)."""
    start, end = sa.bindparam("start", type_=sa.Date), sa.bindparam("end", type_=sa.Date)
    member_id = sa.bindparam("member_id")
    main = amounts_statement(start, end).where(CpdRecord.member_id == member_id).add_columns(sa.literal("type"))
    if not topics:
        return main
    topic_start = sa.case({topic: sa.bindparam(f"topic_start_{i}", type_=sa.Date) for i, topic in enumerate(topics)},
                          value=RecordTopic.topic, else_=sa.literal(date(9999, 12, 31)))
    by_topic = topic_amounts_statement(topic_start, end).where(CpdRecord.member_id == member_id)
    topic, hours = by_topic.selected_columns
    nothing = [sa.null()] * 4
    return sa.union_all(main, by_topic.with_only_columns(topic, *nothing, hours, *nothing, sa.literal("topic")))


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
    verifiable_total: Decimal
    formal_total: Decimal
    by_topic: dict
    required: Decimal | None
    distinct_types: int
    record_count: int
    unreflected_count: int
    advisory: bool = False
    record_by: date | None = None
    exemptions: list = field(default_factory=list)
    requirements: list = field(default_factory=list)
    shortfalls: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def on_track(self):
        return not self.shortfalls

    @property
    def compliant(self):
        """Met or not; None for guidance (an advisory policy), which is never "not compliant"."""
        return None if self.advisory else not self.shortfalls


ZERO, ONE = Decimal(0), Decimal(1)


def _round(value):
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _number(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


RULES = ("code", "name", "unit", "period_kind", "period_months", "required_total", "type_minimums", "type_maximums",
         "weights", "formal_minimum", "verified_minimum", "verifiable_minimum", "topic_minimums", "topic_windows",
         "distinct_types_minimum", "reflection_required", "reflection", "record_by", "advisory")
_AMOUNTS = ("required_total", "formal_minimum", "verified_minimum", "verifiable_minimum")
_AMOUNT_MAPS = ("type_minimums", "type_maximums", "weights", "topic_minimums")


def rules_of(policy):
    """The policy's rules as plain values, numbers as Decimals: for measuring many members against
    it without reading the ORM object (and converting its numbers) once per member."""
    rules = {name: getattr(policy, name) for name in RULES}
    for name in _AMOUNTS:
        if rules[name] is not None:
            rules[name] = _number(rules[name])
    for name in _AMOUNT_MAPS:
        rules[name] = {key: _number(value) for key, value in (rules[name] or {}).items()}
    return SimpleNamespace(**rules)


def _amount_text(amount, unit):
    """What is missing, to 2 decimals and rounded up: 0.0033 short is "0.01 more", never "0.00"."""
    return f"{amount.quantize(TWO_PLACES, rounding=ROUND_UP)} more {unit}"


def deadline_for(policy, as_of, member_since=None):
    """The date a shortfall is to be made up by, in words. A calendar year: its last day (or the
    last day to record it, where the body allows days of grace). A rolling window ends every day, so
    "by today" helps nobody: someone who started within the window has until their first full
    window closes; anyone else is short now."""
    start, end = period_for(policy, as_of)
    if policy.period_kind == "calendar_year":
        return f"by {record_by_date(policy, end):%-d %b %Y}"
    if member_since is not None and start < member_since <= as_of:
        return f"by {add_months(member_since, policy.period_months) - timedelta(days=1):%-d %b %Y}"
    return f"within the {policy.period_months} months to {end:%-d %b %Y}"


def record_by_date(policy, period_end):
    return period_end + timedelta(days=policy.record_by or 0)


def exempt_share(exemptions, start, end):
    """The share of the requirement lifted by exemptions over [start, end]: each one's reduction
    times the part of the period it covers."""
    period_days = Decimal((end - start).days + 1)
    share = Decimal(0)
    for exemption in exemptions:
        overlap = (min(exemption.ends_on, end) - max(exemption.starts_on, start)).days + 1
        if overlap > 0:
            share += _number(exemption.reduction) * Decimal(overlap) / period_days
    return min(share, Decimal(1))


@dataclass
class Measured:
    """A log's numbers against a policy, before any words: what the summary and the figures share."""

    start: date
    end: date
    applied: list
    by_type: dict
    counted: dict
    total: Decimal
    distinct: int
    unreflected: int
    keep: Decimal
    # (what, required, achieved): what is ("total",), ("type", t), ("formal",), ("verified",),
    # ("verifiable",), ("topic", t), ("types",) or ("reflection",)
    checks: list = field(default_factory=list)

    @property
    def on_track(self):
        return all(achieved >= required for _, required, achieved in self.checks)


def measure(policy, amounts, as_of, exemptions=()):
    """The numbers of `amounts` against `policy` on `as_of`, with the member's `exemptions` applied.
    Requirements are scaled by the exempt share; sums are compared unrounded."""
    start, end = period_for(policy, as_of)
    applied = [e for e in exemptions if e.starts_on <= end and e.ends_on >= start]
    keep = 1 - exempt_share(applied, start, end) if applied else ONE
    exempt = keep != ONE  # decided once: the figures measure tens of thousands of members
    logged = amounts.by_type
    if policy.unit == "points":
        by_type = {t: logged.get(t, ZERO) * _number(policy.weights.get(t, 1)) for t in ACTIVITY_TYPES}
    else:
        by_type = {t: logged.get(t, ZERO) for t in ACTIVITY_TYPES}
    maximums = policy.type_maximums
    counted = ({t: min(a, _number(maximums[t])) if t in maximums else a for t, a in by_type.items()}
               if maximums else dict(by_type))
    total = sum(counted.values(), ZERO)
    distinct = sum(1 for a in by_type.values() if a > 0)
    unreflected = (amounts.lacking_both_benefits if policy.reflection == "learning_and_both_benefits"
                   else amounts.lacking_a_benefit)
    measured = Measured(start, end, applied, by_type, counted, total, distinct, unreflected, keep)

    def scaled(required):
        return _round(_number(required) * keep) if exempt else _number(required)

    checks = measured.checks
    if policy.required_total is not None:
        checks.append((("total",), scaled(policy.required_total), total))
    for activity_type, minimum in sorted((policy.type_minimums or {}).items()):
        checks.append((("type", activity_type), scaled(minimum), counted.get(activity_type, Decimal(0))))
    if policy.formal_minimum is not None:
        checks.append((("formal",), scaled(policy.formal_minimum), amounts.formal))
    if policy.verified_minimum is not None:
        checks.append((("verified",), scaled(policy.verified_minimum), amounts.verified))
    if policy.verifiable_minimum is not None:
        checks.append((("verifiable",), scaled(policy.verifiable_minimum), amounts.verifiable))
    for topic, minimum in sorted((policy.topic_minimums or {}).items()):
        checks.append((("topic", topic), scaled(minimum), amounts.topics.get(topic, Decimal(0))))
    types_minimum = min([policy.distinct_types_minimum or 0] + [e.distinct_types_minimum for e in applied
                                                                   if e.distinct_types_minimum])
    if types_minimum:
        checks.append((("types",), Decimal(types_minimum), Decimal(distinct)))
    if policy.reflection_required:
        checks.append((("reflection",), Decimal(amounts.record_count), Decimal(amounts.record_count - unreflected)))
    return measured


def evaluate(policy, amounts, as_of, member_since=None, exemptions=()):
    """The summary of `amounts` (an Amounts) against `policy`, with the member's `exemptions`, in
    words. No queries: the summary page and the figures both measure here, so they cannot disagree."""
    measured = measure(policy, amounts, as_of, exemptions)
    start, end, unit = measured.start, measured.end, policy.unit
    deadline = deadline_for(policy, as_of, member_since)
    rolling = policy.period_kind != "calendar_year"
    drops_out = None
    if rolling and amounts.earliest is not None:
        oldest = max(amounts.earliest, start)
        drops_out = f"your activity of {oldest:%-d %b %Y} stops counting on " \
                    f"{add_months(oldest, policy.period_months):%-d %b %Y}"
    # In a rolling window "by today" helps nobody: say when the oldest activity drops out.
    dated = f"; {drops_out}" if drops_out and deadline.startswith("within") else ""
    both = policy.reflection == "learning_and_both_benefits"

    def words(what, short, required):
        kind = what[0]
        if kind == "total":
            return f"{_amount_text(short, unit)} needed {deadline}{dated}"
        if kind == "type":
            return f"{_amount_text(short, unit)} of {label(ACTIVITY_TYPES, what[1]).lower()} needed {deadline}{dated}"
        if kind == "formal":
            return (f"{_amount_text(short, unit)} of formal learning (structured, with learning outcomes) "
                    f"needed {deadline}{dated}")
        if kind == "verified":
            return f"{_amount_text(short, unit)} of verified activity needed {deadline}{dated}"
        if kind == "verifiable":
            return f"{_amount_text(short, unit)} of verifiable activity (with evidence) needed {deadline}{dated}"
        if kind == "topic":
            window = (policy.topic_windows or {}).get(what[1])
            by_when = f"within the {window} months to {as_of:%-d %b %Y}" if window else deadline
            return f"{_amount_text(short, unit)} on {label(TOPICS, what[1]).lower()} needed {by_when}"
        if kind == "types":
            missing = int(short)
            return (f"{missing} more type{'s' if missing != 1 else ''} of activity needed {deadline} "
                    f"(you have {measured.distinct} of the {int(required)} required){dated}")
        count = measured.unreflected
        what_to_write = ("what you learned, and its benefit to your practice and to the users of your work" if both
                         else "what you learned and its benefit")
        return (f"{count} record{'s' if count != 1 else ''} need{'s' if count == 1 else ''} a reflection "
                f"({what_to_write})" + (f" {deadline}" if deadline.startswith("by") else ""))

    names = {"total": f"{unit} in total", "formal": f"formal {unit}", "verified": f"verified {unit}",
             "verifiable": f"verifiable {unit}", "types": "types of activity", "reflection": "records with a reflection"}
    requirements, shortfalls, notes = [], [], []
    for what, required, achieved in measured.checks:
        if what[0] == "type":
            name = f"{unit} of {label(ACTIVITY_TYPES, what[1]).lower()}"
        elif what[0] == "topic":
            name = f"{unit} on {label(TOPICS, what[1]).lower()}"
        else:
            name = names[what[0]]
        met = achieved >= required
        requirements.append(Requirement(name, required, _round(achieved), met))
        if not met:
            shortfalls.append(words(what, required - achieved, required))
    if policy.verifiable_minimum is not None and amounts.unevidenced > 0:
        notes.append(f"{_round(amounts.unevidenced)} {unit} claimed as verifiable have no evidence attached, "
                     "so they do not count as verifiable: attach a certificate or other proof.")
    if drops_out and not shortfalls:
        notes.append(f"On track: {drops_out}.")

    return PolicySummary(
        policy=policy.code, policy_name=policy.name, unit=unit, period_start=start, period_end=end, as_of=as_of,
        by_activity_type={t: _round(a) for t, a in measured.by_type.items()},
        counted_by_activity_type={t: _round(a) for t, a in measured.counted.items()},
        logged_total=_round(sum(measured.by_type.values(), Decimal(0))), total=_round(measured.total),
        verified_total=_round(amounts.verified), verifiable_total=_round(amounts.verifiable),
        formal_total=_round(amounts.formal), by_topic={t: _round(amounts.topics.get(t, 0))
                                                for t in sorted({*amounts.topics, *(policy.topic_minimums or {})})},
        required=next((_round(required) for what, required, _ in measured.checks if what == ("total",)), None),
        distinct_types=measured.distinct, record_count=amounts.record_count, unreflected_count=measured.unreflected,
        advisory=bool(policy.advisory),
        record_by=record_by_date(policy, end) if policy.record_by else None,
        exemptions=measured.applied,
        requirements=requirements, shortfalls=shortfalls, notes=notes,
    )


def summarise(member_id, policy, as_of, member_since=None, exemptions=()):
    """The member's standing against `policy` on `as_of`: one query."""
    return evaluate(policy, amounts_in_period(member_id, policy, as_of), as_of, member_since, exemptions)
