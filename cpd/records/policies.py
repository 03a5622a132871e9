"""Measuring a CPD log against a policy: what the amounts (cpd.records.amounts) over the policy's
period (cpd.records.periods) come to, and the summary in words.

Never a day after `as_of` counts. Caps (a
type's maximum) apply before the total; minimums are checked against what counts, unrounded (29.9967
hours is short of 30). Exemptions lift a share of every amount required, pro rata, and the scaled
requirement is compared unrounded too (Engineers Ireland's 35 hours over 184 days of 365 are
17.6438: 17.64 logged is short) and shown rounded up (17.65). An exemption covering the whole period
(the Science Council's career break) leaves nothing required: no types of activity, no reflections.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from types import SimpleNamespace

from cpd.records.amounts import amounts_in_period
from cpd.records.periods import add_months, deadline_for, period_for, record_by_date
from cpd.members.vocabulary import ACADEMIC_SECTORS, AREAS_OF_PRACTICE, label
from cpd.records.vocabulary import ACTIVITY_TYPES, AREA_TOPIC_PREFIX, TOPICS

TWO_PLACES = Decimal("0.01")


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
    by_area_of_practice: dict
    distinct_types: int
    record_count: int
    unreflected_count: int
    advisory: bool = False
    record_by: date | None = None
    exemptions: list = field(default_factory=list)
    requirements: list = field(default_factory=list)
    shortfalls: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    # The period before, while it may still be recorded (a PolicySummary on its last day), or None.
    still_open: object = None
    # The approved employer scheme the member meets the policy through ({organisation, from, until}), or None.
    met_through_scheme: dict | None = None

    @property
    def on_track(self):
        return not self.shortfalls or self.met_through_scheme is not None

    @property
    def compliant(self):
        """Met or not; None for guidance (an advisory policy), which is never "not compliant"."""
        return None if self.advisory else self.on_track


ZERO, ONE = Decimal(0), Decimal(1)


def _round(value):
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _shown(required):
    """A requirement as people read it: to 2 places, rounded up (what they must reach, never less)."""
    return Decimal(required).quantize(TWO_PLACES, rounding=ROUND_UP)


def _number(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


RULES = ("code", "name", "unit", "period_kind", "period_months", "required_total", "type_minimums", "type_maximums",
         "weights", "formal_minimum", "verified_minimum", "verifiable_minimum", "topic_minimums", "topic_windows",
         "distinct_types_minimum", "reflection_required", "reflection", "record_by", "advisory", "continuous_record",
         "carry_forward_limit", "academic_topic_minimums")
_AMOUNTS = ("required_total", "formal_minimum", "verified_minimum", "verifiable_minimum", "carry_forward_limit")
_AMOUNT_MAPS = ("type_minimums", "type_maximums", "weights", "topic_minimums", "academic_topic_minimums")


@dataclass(frozen=True)
class Practice:
    """What of a member's own practice a policy asks about: the areas of practice they name, and
    whether they are an academic or teacher (Engineers Australia's CPD policy: "at least 50 hours
    related to each of your practising areas"; academics and teachers "at least 40 hours industry
    involvement in any three-year period")."""

    areas: tuple = ()
    academic: bool = False

    @classmethod
    def of(cls, areas, sector):
        """From the member's stored facts: areas as comma-separated codes (or None), and a sector."""
        return cls(tuple(sorted(filter(None, (areas or "").split(",")))), sector in ACADEMIC_SECTORS)


NO_PRACTICE = Practice()


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


def measure(policy, amounts, as_of, exemptions=(), practice=NO_PRACTICE):
    """The numbers of `amounts` against `policy` on `as_of`, with the member's `exemptions` applied
    and what their `practice` asks (hours in each area of practice where they name more than one,
    an academic's industry involvement). Requirements are scaled by the exempt share; sums are
    compared unrounded."""
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
    total = sum(counted.values(), ZERO) + amounts.carried
    distinct = sum(1 for a in by_type.values() if a > 0)
    unreflected = (amounts.lacking_both_benefits if policy.reflection == "learning_and_both_benefits"
                   else amounts.lacking_a_benefit)
    measured = Measured(start, end, applied, by_type, counted, total, distinct, unreflected, keep)

    def scaled(required):
        return _number(required) * keep if exempt else _number(required)

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
        checks.append((("verifiable",), scaled(policy.verifiable_minimum), amounts.verifiable + amounts.carried))
    each_area = practice.areas if len(practice.areas) > 1 else ()
    for topic, minimum in sorted((policy.topic_minimums or {}).items()):
        if topic == "area_of_practice" and each_area:
            # The same hours may count for each area where they overlap: each area is measured alone.
            checks.extend((("area", area), scaled(minimum), amounts.topics.get(AREA_TOPIC_PREFIX + area, ZERO))
                          for area in each_area)
        else:
            checks.append((("topic", topic), scaled(minimum), amounts.topics.get(topic, ZERO)))
    if practice.academic:
        for topic, minimum in sorted((policy.academic_topic_minimums or {}).items()):
            if topic not in (policy.topic_minimums or {}):
                checks.append((("topic", topic), scaled(minimum), amounts.topics.get(topic, ZERO)))
    types_minimum = min([policy.distinct_types_minimum or 0] + [e.distinct_types_minimum for e in applied
                                                                   if e.distinct_types_minimum])
    if keep == 0:  # exempt for the whole period: nothing is required at all
        return measured
    if types_minimum:
        checks.append((("types",), Decimal(types_minimum), Decimal(distinct)))
    if policy.reflection_required:
        checks.append((("reflection",), Decimal(amounts.record_count), Decimal(amounts.record_count - unreflected)))
    return measured


def carried_forward(policy, previous):
    """What a year's log carries into the next (ACCA's unit route: "If you complete more than 21
    verifiable units in any year, you can carry forward up to 21 of these additional units"; the
    year's 40 must have been exceeded too, and non-verifiable units never carry): the verifiable
    hours beyond both requirements, at most the policy's limit. `previous` is that year's Measured."""
    if not policy.carry_forward_limit:
        return ZERO
    achieved = {what: (required, done) for what, required, done in previous.checks}
    beyond = [done - required for what, (required, done) in achieved.items() if what in (("verifiable",), ("total",))]
    return max(ZERO, min([_number(policy.carry_forward_limit), *beyond]))


@dataclass
class _Wording:
    """What a shortfall's words need: the unit, when it is due, and what the policy says."""
    policy: object
    measured: object
    as_of: date
    deadline: str
    dated: str

    @property
    def unit(self):
        return self.policy.unit

    def needed(self, short, of=""):
        return f"{_amount_text(short, self.unit)}{of} needed {self.deadline}{self.dated}"


def _topic_words(w, what, short, required):
    window = (w.policy.topic_windows or {}).get(what[1])
    by_when = f"within the {window} months to {w.as_of:%-d %b %Y}" if window else w.deadline
    return f"{_amount_text(short, w.unit)} on {label(TOPICS, what[1]).lower()} needed {by_when}"


def _types_words(w, what, short, required):
    missing = int(short)
    return (f"{missing} more type{'s' if missing != 1 else ''} of activity needed {w.deadline} "
            f"(you have {w.measured.distinct} of the {int(required)} required){w.dated}")


def _reflection_words(w, what, short, required):
    count = w.measured.unreflected
    what_to_write = ("what you learned, and its benefit to your practice and to the users of your work"
                     if w.policy.reflection == "learning_and_both_benefits" else "what you learned and its benefit")
    return (f"{count} record{'s' if count != 1 else ''} need{'s' if count == 1 else ''} a reflection "
            f"({what_to_write})" + (f" {w.deadline}" if w.deadline.startswith("by") else ""))


# Each kind of check: (its name in the summary, the words of a shortfall in it).
CHECKS = {
    "total": (lambda unit, what: f"{unit} in total", lambda w, what, short, required: w.needed(short)),
    "type": (lambda unit, what: f"{unit} of {label(ACTIVITY_TYPES, what[1]).lower()}",
             lambda w, what, short, required: w.needed(short, f" of {label(ACTIVITY_TYPES, what[1]).lower()}")),
    "formal": (lambda unit, what: f"formal {unit}",
               lambda w, what, short, required: w.needed(short, " of formal learning (structured, with learning "
                                                                "outcomes)")),
    "verified": (lambda unit, what: f"verified {unit}",
                 lambda w, what, short, required: w.needed(short, " of verified activity")),
    "verifiable": (lambda unit, what: f"verifiable {unit}",
                   lambda w, what, short, required: w.needed(short, " of verifiable activity (with evidence)")),
    "topic": (lambda unit, what: f"{unit} on {label(TOPICS, what[1]).lower()}", _topic_words),
    "area": (lambda unit, what: f"{unit} in the area of practice {label(AREAS_OF_PRACTICE, what[1]).lower()}",
             lambda w, what, short, required: w.needed(
                 short, f" in your area of practice {label(AREAS_OF_PRACTICE, what[1]).lower()}")),
    "types": (lambda unit, what: "types of activity", _types_words),
    "reflection": (lambda unit, what: "records with a reflection", _reflection_words),
}


def evaluate(policy, amounts, as_of, member_since=None, exemptions=(), practice=NO_PRACTICE):
    """The summary of `amounts` (an Amounts) against `policy`, with the member's `exemptions` and
    `practice`, in words. No queries: the summary page and the figures both measure here, so they
    cannot disagree."""
    measured = measure(policy, amounts, as_of, exemptions, practice)
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
    wording = _Wording(policy, measured, as_of, deadline, dated)
    requirements, shortfalls, notes = [], [], []
    for what, required, achieved in measured.checks:
        name_of, words_of = CHECKS[what[0]]
        met = achieved >= required
        requirements.append(Requirement(name_of(unit, what), _shown(required), _round(achieved), met))
        if not met:
            shortfalls.append(words_of(wording, what, required - achieved, required))
    if policy.verifiable_minimum is not None and amounts.unevidenced > 0:
        notes.append(f"{_round(amounts.unevidenced)} {unit} claimed as verifiable have no evidence attached, "
                     "so they do not count as verifiable: attach a certificate or other proof.")
    if drops_out and not shortfalls:
        notes.append(f"On track: {drops_out}.")
    if amounts.carried:
        notes.append(f"{_round(amounts.carried)} verifiable {unit} carried forward from {start.year - 1} count "
                     "towards this year's.")

    return PolicySummary(
        policy=policy.code, policy_name=policy.name, unit=unit, period_start=start, period_end=end, as_of=as_of,
        by_activity_type={t: _round(a) for t, a in measured.by_type.items()},
        counted_by_activity_type={t: _round(a) for t, a in measured.counted.items()},
        logged_total=_round(sum(measured.by_type.values(), Decimal(0))), total=_round(measured.total),
        verified_total=_round(amounts.verified), verifiable_total=_round(amounts.verifiable + amounts.carried),
        formal_total=_round(amounts.formal),
        by_topic={t: _round(amounts.topics.get(t, 0)) for t in sorted({*amounts.topics, *(policy.topic_minimums or {})})
                  if not t.startswith(AREA_TOPIC_PREFIX)},
        by_area_of_practice={area: _round(amounts.topics.get(AREA_TOPIC_PREFIX + area, 0)) for area in practice.areas},
        required=next((_shown(required) for what, required, _ in measured.checks if what == ("total",)), None),
        distinct_types=measured.distinct, record_count=amounts.record_count, unreflected_count=measured.unreflected,
        advisory=bool(policy.advisory),
        record_by=record_by_date(policy, end) if policy.record_by else None,
        exemptions=measured.applied,
        requirements=requirements, shortfalls=shortfalls, notes=notes,
    )


def summarise(member_id, policy, as_of, member_since=None, exemptions=(), practice=NO_PRACTICE):
    """The member's standing against `policy` on `as_of`: one query (two where a year carries into the next)."""
    amounts = amounts_in_period(member_id, policy, as_of)
    amounts.carried = _carried_in(member_id, policy, as_of, member_since, exemptions)
    return evaluate(policy, amounts, as_of, member_since, exemptions, practice)


def previous_period(policy, as_of):
    """(the first day, the last day) of the period before the one `as_of` falls in."""
    start, _ = period_for(policy, as_of)
    last_day = start - timedelta(days=1)
    return period_for(policy, last_day)[0], last_day


def _carried_in(member_id, policy, as_of, member_since, exemptions):
    if not policy.carry_forward_limit:
        return ZERO
    first_day, last_day = previous_period(policy, as_of)
    if member_since is not None and member_since >= first_day:  # "not in your first year of CPD"
        return ZERO
    return carried_forward(policy, measure(policy, amounts_in_period(member_id, policy, last_day), last_day,
                                           exemptions))
