"""Voluntary equality answers, with explicit consent: the member's own to give, see and withdraw.

Never in staff exports, the member list or the audit log; the figures show them only as counts,
with any count below five suppressed (so no one can be picked out). Functions flush, never commit.
"""
from cpd.core.errors import Invalid
from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members.models import EqualityAnswers
from cpd.members.vocabulary import EQUALITY_QUESTIONS

SMALLEST_SHOWN = 5


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
    if not consent:
        if answers is not None:
            db.session.delete(answers)
            db.session.flush()
        return answers_of(member)
    errors = {field: [f"Must be one of: {', '.join(allowed)}."] for field, allowed in EQUALITY_QUESTIONS.items()
              if values.get(field) not in (None, "", *allowed)}
    if errors:
        raise Invalid.from_fields(errors)
    if answers is None:
        answers = EqualityAnswers(member_id=member.id)
        db.session.add(answers)
    for field in EQUALITY_QUESTIONS:
        setattr(answers, field, values.get(field) or None)
    answers.recorded_on = utcnow().date()
    db.session.flush()
    return answers_of(member)


def suppress_small(counts):
    """{value: n} with every n below five shown as None."""
    return {value: (n if n >= SMALLEST_SHOWN else None) for value, n in counts.items()}
