"""Publishing, and "I read this". Functions flush, never commit; the caller commits once."""
from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa

from cpd.core import audit
from cpd.core.errors import Conflict, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.permissions import ensure_staff
from cpd.extensions import db
from cpd.members.vocabulary import label
from cpd.core.queries import insert_or_add
from cpd.publications.models import Publication, PublicationDownload, PublicationRead
from cpd.publications.vocabulary import PUBLICATION_AUDIENCES, PUBLICATION_KINDS
from cpd.records import services as record_services

# A reading with no hours set by the publication is logged as one hour, for the reader to adjust.
DEFAULT_READING_HOURS = Decimal(1)


def publication_search(kind=None):
    statement = sa.select(Publication).order_by(Publication.published_on.desc(), Publication.id.desc())
    return statement.where(Publication.kind == kind) if kind else statement


def get_publication(publication_id):
    publication = db.session.get(Publication, publication_id)
    if publication is None:
        raise NotFound("No such publication.")
    return publication


def _clean(values):
    errors = {}
    title = " ".join(str(values.get("title") or "").split())
    if not 1 <= len(title) <= 300:
        errors["title"] = ["Give a title of 1 to 300 characters."]
    if values.get("kind") not in PUBLICATION_KINDS:
        errors["kind"] = [f"Must be one of: {', '.join(PUBLICATION_KINDS)}."]
    published_on = values.get("published_on")
    if not isinstance(published_on, date) or not date(1900, 1, 1) <= published_on <= date(2200, 12, 31):
        errors["published_on"] = ["Give the date it was published."]
    url = (values.get("url") or "").strip()
    if url and (len(url) > 500 or not url.startswith(("https://", "http://"))):
        errors["url"] = ["Must be a web address starting https:// (at most 500 characters)."]
    hours = values.get("cpd_hours")
    if hours is not None:
        try:
            hours = Decimal(str(hours)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            hours = Decimal(-1)
        if not (hours.is_finite() and 0 < hours <= 100):
            errors["cpd_hours"] = ["Give the hours a reading is worth, more than 0 and at most 100."]
    audience = values.get("audience") or "professionals"
    if audience not in PUBLICATION_AUDIENCES:
        errors["audience"] = [f"Must be one of: {', '.join(PUBLICATION_AUDIENCES)}."]
    if errors:
        raise Invalid.from_fields(errors)
    return {"title": title, "kind": values["kind"], "published_on": published_on, "url": url, "cpd_hours": hours,
            "audience": audience}


def publish(actor, values):
    ensure_staff(actor, "Only staff publish.")
    publication = Publication(**_clean(values))
    db.session.add(publication)
    db.session.flush()
    audit.record(actor, "publication.publish", "publication", publication.id, title=publication.title)
    return publication


def read(member, publication):
    """The member read it: a draft self-directed record, unverified and without a reflection yet
    (theirs to write), and a dated reading the figures count. Once per publication."""
    if db.session.scalar(sa.select(PublicationRead.id).where(PublicationRead.publication_id == publication.id,
                                                             PublicationRead.member_id == member.id)):
        raise Conflict(f"You have already logged reading {publication.title}.")
    today = utcnow().date()
    record = record_services.add_record(member, {
        "title": f"Read: {publication.title}"[:200], "activity_type": "self_directed", "started_on": today,
        "hours": publication.cpd_hours or DEFAULT_READING_HOURS,
        "description": f"{label(PUBLICATION_KINDS, publication.kind)} published {publication.published_on:%-d %B %Y}"
                       + (f": {publication.url}" if publication.url else "."),
    })
    db.session.add(PublicationRead(publication_id=publication.id, member_id=member.id, read_on=today,
                                   record_id=record.id))
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:
        raise Conflict(f"You have already logged reading {publication.title}.") from None
    return record


def count_download(publication):
    """Someone opened the publication through its download link: counted for the day, nobody named.
    Returns the web address to send them to."""
    if not publication.url:
        raise NotFound("This publication has no copy to download.")
    db.session.execute(insert_or_add(PublicationDownload.__table__, {
        "publication_id": publication.id, "downloaded_on": utcnow().date(), "n": 1},
        ("publication_id", "downloaded_on"), "n"))
    return publication.url


def titles_read_by(member_id):
    """The ids of the publications the member has logged reading."""
    return set(db.session.scalars(sa.select(PublicationRead.publication_id)
                                  .where(PublicationRead.member_id == member_id)))
