"""Voluntary equality answers, with explicit consent: the member's own to give, see and withdraw.

Never in staff exports, the member list or the audit log; the figures show them only as counts,
with any count below five suppressed, and enough others that none can be worked out (so no one
can be picked out). Functions flush, never commit.

A past year never moves: answers changed or withdrawn today leave behind, for each past year they
counted in, anonymous counts (EqualityYearCount: year, question, answer, n; no member) that the
figures add to the answers kept. Withdrawing consent deletes the answers themselves at once, as the
UK GDPR asks (Art. 7(3): withdrawal "shall not affect the lawfulness of processing based on consent
before its withdrawal", so the counts already published stand).
"""
from datetime import date

import sqlalchemy as sa

from cpd.core.errors import Invalid
from cpd.core.models import utcnow
from cpd.core.queries import insert_or_add
from cpd.extensions import db
from cpd.members.history import member_of_body_on
from cpd.members.models import EqualityAnswers, EqualityYearCount, Member
from cpd.members.vocabulary import EQUALITY_QUESTIONS

SMALLEST_SHOWN = 5


def has_answers(member):
    return db.session.get(EqualityAnswers, member.id) is not None


def answers_of(member):
    """{consent, gender, age_band, ethnicity, disability} as the member sees them."""
    answers = db.session.get(EqualityAnswers, member.id)
    return {"consent": answers is not None,
            **{field: getattr(answers, field) if answers else None for field in EQUALITY_QUESTIONS}}


def give_answers(member, values):
    """With consent, keep the answers (None for a question left out); without, delete any kept."""
    consent = values.get("consent")
    if not isinstance(consent, bool):
        raise Invalid.on_field("consent", "Say whether you consent (true or false).")
    answers = db.session.get(EqualityAnswers, member.id)
    if not consent and answers is None and any(values.get(field) for field in EQUALITY_QUESTIONS):
        raise Invalid.on_field("consent", "Tick the consent box to have these answers kept: nothing is kept "
                                          "without your consent.")
    if not consent:
        if answers is not None:
            _keep_past_years(member, answers)
            db.session.delete(answers)
            db.session.flush()
        return answers_of(member)
    errors = {field: [f"Must be one of: {', '.join(allowed)}."] for field, allowed in EQUALITY_QUESTIONS.items()
              if values.get(field) not in (None, "", *allowed)}
    if errors:
        raise Invalid.from_fields(errors)
    given = {field: values.get(field) or None for field in EQUALITY_QUESTIONS}
    if answers is not None and all(getattr(answers, field) == value for field, value in given.items()):
        return answers_of(member)  # the same answers again: nothing changes, not even their date
    if answers is None:
        answers = EqualityAnswers(member_id=member.id)
        db.session.add(answers)
    else:
        _keep_past_years(member, answers)
    for field, value in given.items():
        setattr(answers, field, value)
    answers.recorded_on = utcnow().date()
    db.session.flush()
    return answers_of(member)


def _keep_past_years(member, answers):
    """Count `answers` anonymously in every past year whose figures they were part of (recorded by
    its last day, the member a member of the body on it), before they change or go."""
    this_year = utcnow().year
    years = [year for year in range(answers.recorded_on.year, this_year) if answers.recorded_on <= date(year, 12, 31)]
    if not years:
        return
    counted = [year for year in years if db.session.scalar(sa.select(sa.exists().where(
        Member.id == member.id, member_of_body_on(date(year, 12, 31)))))]
    table = EqualityYearCount.__table__
    for year in counted:
        for question in EQUALITY_QUESTIONS:
            answer = getattr(answers, question)
            if answer is not None:
                db.session.execute(insert_or_add(table, {"year": year, "question": question, "answer": answer, "n": 1},
                                                 ("year", "question", "answer"), "n"))


def past_year_counts(year):
    """SQL: the anonymous counts kept for `year` (question, answer, n)."""
    return sa.select(EqualityYearCount.question, EqualityYearCount.answer, EqualityYearCount.n).where(
        EqualityYearCount.year == year)


def suppress_small(breakdowns):
    """{question: {value: n}} as the figures may show it: every n below five hidden (None), and then
    enough others that no hidden count can be worked out from what is shown (secondary suppression,
    as the ONS and NHS Digital small-number rules ask), within a breakdown and across a year's.

    Assumed: whoever reads the figures knows each breakdown's total (another breakdown of the same
    people shows it), that a hidden count is 1 to 4, or at least 5 for one hidden on purpose, and
    that the smallest counts are the ones hidden. A breakdown that cannot be made safe on its own
    (one answer given by everyone) has its total hidden instead: each other breakdown of the same
    size hides cells too, so none of them gives that total away."""
    shown, unsafe_totals = {}, set()
    for question, counts in breakdowns.items():
        hidden, safe = _hide_within(counts)
        shown[question] = hidden
        if not safe:
            unsafe_totals.add(sum(counts.values()))
    for question, counts in breakdowns.items():
        hidden = shown[question]
        if sum(counts.values()) in unsafe_totals and not hidden:
            hidden.update(sorted(counts, key=lambda value: (counts[value], str(value)))[:2])
    return {question: {value: (None if value in shown[question] else n) for value, n in counts.items()}
            for question, counts in breakdowns.items()}


def _hide_within(counts):
    """(the values whose counts are hidden, whether that leaves every hidden small count unknown)."""
    hidden = {value for value, n in counts.items() if n < SMALLEST_SHOWN}
    by_size = sorted((value for value in counts if value not in hidden), key=lambda value: (counts[value], str(value)))
    while hidden and _some_count_pinned(counts, hidden, by_size):
        if not by_size:
            return hidden, False
        hidden.add(by_size.pop(0))
    return hidden, True


def _some_count_pinned(counts, hidden, still_shown):
    """True when, knowing the total, one hidden small count has a single possible value."""
    total = sum(counts[value] for value in hidden)
    ceiling = counts[still_shown[0]] if still_shown else float("inf")  # a cell hidden on purpose is no larger
    bounds = {value: (1, SMALLEST_SHOWN - 1) if counts[value] < SMALLEST_SHOWN else (SMALLEST_SHOWN, ceiling)
              for value in hidden}
    for value in hidden:
        if counts[value] >= SMALLEST_SHOWN:
            continue
        others_low = sum(low for other, (low, _) in bounds.items() if other != value)
        others_high = sum(high for other, (_, high) in bounds.items() if other != value)
        lowest = max(1, total - others_high)
        highest = min(SMALLEST_SHOWN - 1, total - others_low)
        if lowest >= highest:
            return True
    return False
