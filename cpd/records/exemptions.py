"""Exemptions from a CPD requirement, which staff grant and the summary applies.

The bodies excuse members for a career break, parental leave, illness, retirement or part-time work
(Engineers Ireland's and RICS's policies list these; the Science Council's standard 2 allows a mix of
"exceptionally two" types by agreement, recorded here as kind `other` with `distinct_types_minimum` 2).
Functions flush, never commit; the caller commits once.
"""
from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa

from cpd.core import audit
from cpd.core.errors import Invalid
from cpd.core.permissions import ensure_staff
from cpd.extensions import db
from cpd.records.models import CpdExemption
from cpd.records.vocabulary import EXEMPTION_KINDS

NOTE_LIMIT = 2000


def exemption_search(member_id):
    """A select() of the member's exemptions, earliest first."""
    return (sa.select(CpdExemption).where(CpdExemption.member_id == member_id)
            .order_by(CpdExemption.starts_on, CpdExemption.id))


def _reduction(value, errors):
    try:
        reduction = Decimal(str(1 if value is None else value))
    except (InvalidOperation, ValueError):
        reduction = None
    if reduction is None or not reduction.is_finite() or not 0 <= reduction <= 1:
        errors["reduction"] = ["Give the share of the requirement lifted, from 0 to 1 "
                               "(1: all of it; 0.5: half, as for a reduced rate; 0: none, types only)."]
        return None
    return reduction.quantize(Decimal("0.001"))


def _check(member_id, values):
    errors = {}
    kind, starts_on, ends_on = values.get("kind"), values.get("starts_on"), values.get("ends_on")
    if kind not in EXEMPTION_KINDS:
        errors["kind"] = [f"Must be one of: {', '.join(EXEMPTION_KINDS)}."]
    for field, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if not isinstance(day, date):
            errors[field] = ["Required: a date."]
        elif not date(1950, 1, 1) <= day <= date(2200, 12, 31):
            errors[field] = ["Give a date between 1950 and 2200."]
    if "starts_on" not in errors and "ends_on" not in errors and ends_on < starts_on:
        errors["ends_on"] = ["Must not be before the start date."]
    reduction = _reduction(values.get("reduction"), errors)
    types = values.get("distinct_types_minimum")
    if types is not None and (not isinstance(types, int) or isinstance(types, bool) or not 1 <= types <= 5):
        errors["distinct_types_minimum"] = ["Give a number of types from 1 to 5."]
    note = values.get("note") or ""
    if not isinstance(note, str) or len(note) > NOTE_LIMIT or "\x00" in note:
        errors["note"] = [f"Text of at most {NOTE_LIMIT} characters."]
    elif kind == "other" and not note.strip():
        errors["note"] = ["Say why: an exemption of kind other needs a note."]
    if not errors:
        overlapping = db.session.scalar(sa.select(CpdExemption).where(
            CpdExemption.member_id == member_id, CpdExemption.starts_on <= ends_on,
            CpdExemption.ends_on >= starts_on).limit(1))
        if overlapping is not None:
            errors["starts_on"] = [f"Overlaps the member's {EXEMPTION_KINDS[overlapping.kind].lower()} exemption "
                                   f"of {overlapping.starts_on:%-d %b %Y} to {overlapping.ends_on:%-d %b %Y}."]
    if errors:
        raise Invalid.from_fields(errors)
    return {"kind": kind, "starts_on": starts_on, "ends_on": ends_on, "reduction": reduction,
            "distinct_types_minimum": types, "note": note.strip()}


def grant_exemption(actor, member, values):
    """Staff excuse `member` from part of their requirement for a while; audited."""
    ensure_staff(actor, "Only staff can grant an exemption from CPD requirements.")
    cleaned = _check(member.id, values)
    exemption = CpdExemption(member_id=member.id, created_by_id=actor.id, **cleaned)
    db.session.add(exemption)
    db.session.flush()
    audit.record(actor, "cpd_exemption.granted", "member", member.id, exemption_id=exemption.id,
                 kind=exemption.kind, starts_on=exemption.starts_on.isoformat(),
                 ends_on=exemption.ends_on.isoformat(), reduction=float(exemption.reduction))
    return exemption
