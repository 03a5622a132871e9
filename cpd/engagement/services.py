"""Recording outside engagement and technical supporters (staff). Functions flush, never commit."""
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cpd.core import audit
from cpd.core.errors import Invalid
from cpd.core.permissions import ensure_staff
from cpd.engagement.models import Engagement, EngagementTopic, TechnicalSupporter
from cpd.engagement.vocabulary import ENGAGEMENT_KINDS, ENGAGEMENT_TOPICS, SUPPORTER_KINDS
from cpd.extensions import db

EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)


def _text(errors, values, field, limit, required=True):
    text = " ".join(str(values.get(field) or "").split()) if field != "notes" else str(values.get(field) or "").strip()
    if (required and not text) or len(text) > limit or "\x00" in text:
        errors[field] = [f"Give {'1 to ' if required else 'at most '}{limit} characters."]
    return text


def _day(errors, values, field, required=True):
    day = values.get(field)
    if day is None and not required:
        return None
    if not isinstance(day, date) or not EARLIEST <= day <= LATEST:
        errors[field] = ["Give a date."]
    return day


def engagement_search(kind=None):
    statement = (sa.select(Engagement).options(selectinload(Engagement.topic_rows))
                 .order_by(Engagement.happened_on.desc(), Engagement.id.desc()))
    return statement.where(Engagement.kind == kind) if kind else statement


def record_engagement(actor, values):
    ensure_staff(actor, "Only staff record the body's outside engagement.")
    errors = {}
    if values.get("kind") not in ENGAGEMENT_KINDS:
        errors["kind"] = [f"Must be one of: {', '.join(ENGAGEMENT_KINDS)}."]
    cleaned = {"kind": values.get("kind"), "organisation": _text(errors, values, "organisation", 200),
               "title": _text(errors, values, "title", 300), "happened_on": _day(errors, values, "happened_on"),
               "notes": _text(errors, values, "notes", 10_000, required=False)}
    topics = values.get("topics") or []
    unknown = [topic for topic in topics if topic not in ENGAGEMENT_TOPICS] if isinstance(topics, list) else [topics]
    if unknown:
        errors["topics"] = [f"Unknown topic {', '.join(map(str, unknown))}. Allowed: {', '.join(ENGAGEMENT_TOPICS)}."]
    if errors:
        raise Invalid.from_fields(errors)
    engagement = Engagement(created_by_id=actor.id, **cleaned,
                            topic_rows=[EngagementTopic(topic=topic) for topic in sorted(set(topics))])
    db.session.add(engagement)
    db.session.flush()
    audit.record(actor, "engagement.record", "engagement", engagement.id, kind=engagement.kind,
                 topics=engagement.topics)
    return engagement


def supporter_search():
    return sa.select(TechnicalSupporter).order_by(TechnicalSupporter.name, TechnicalSupporter.id)


def add_supporter(actor, values):
    ensure_staff(actor, "Only staff record the body's outside engagement.")
    errors = {}
    if values.get("kind") not in SUPPORTER_KINDS:
        errors["kind"] = [f"Must be one of: {', '.join(SUPPORTER_KINDS)}."]
    cleaned = {"name": _text(errors, values, "name", 200), "kind": values.get("kind"),
               "since": _day(errors, values, "since"), "until": _day(errors, values, "until", required=False)}
    if "since" not in errors and cleaned["until"] is not None and "until" not in errors \
            and cleaned["until"] < cleaned["since"]:
        errors["until"] = ["Must not be before the date they became a supporter."]
    if errors:
        raise Invalid.from_fields(errors)
    supporter = TechnicalSupporter(**cleaned)
    db.session.add(supporter)
    db.session.flush()
    audit.record(actor, "technical_supporter.add", "technical_supporter", supporter.id, name=supporter.name)
    return supporter
