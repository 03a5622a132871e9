"""Approved employer schemes: staff approve an organisation's professional-development scheme for a
CPD policy over a period; a member who belongs to the organisation and shares their standing with it
meets that policy through the scheme on every day the approval, the belonging and the sharing all
cover. A lapsed approval stops counting the day after `valid_until`; a past day keeps what it was.

As the bodies run them: ACCA's approved-employer route (the employer's programme satisfies the
member's CPD), Engineers Ireland's CPD accredited employers, and the IET's accredited
professional-development schemes (three years, with an annual self-assessment)."""
import functools
from datetime import datetime, time, timedelta, timezone

import sqlalchemy as sa
from flask import current_app

from cpd.core import audit, files
from cpd.core.errors import Forbidden, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.organisations import services
from cpd.organisations.models import Affiliation, Organisation, SchemeApproval, SelfAssessment, Sharing
from cpd.records.models import CpdPolicy


def approve(actor, organisation_id, values):
    organisation = services.get(organisation_id)
    errors = {}
    policy = values.get("policy")
    if not policy or db.session.get(CpdPolicy, policy) is None:
        errors["policy"] = ["A CPD policy's code (GET /cpd-policies)."]
    start, end = values.get("from"), values.get("until")
    if start and end and end < start:
        errors["until"] = ["The approval ends on or after the day it starts."]
    if errors:
        raise Invalid.from_fields(errors)
    approval = SchemeApproval(organisation_id=organisation.id, policy=policy, valid_from=start, valid_until=end,
                              document_name=(values.get("document_name") or "")[:200], approved_by_id=actor.id)
    db.session.add(approval)
    db.session.flush()
    audit.record(actor, "organisation.scheme_approved", "organisation", organisation.id, policy=policy,
                 valid_from=start.isoformat(), valid_until=end.isoformat())
    return approval


def approvals_of(organisation_id):
    return db.session.scalars(sa.select(SchemeApproval).where(SchemeApproval.organisation_id == organisation_id)
                              .order_by(SchemeApproval.valid_from.desc())).all()


@functools.cache
def _belonging_statement():
    """Built once (every summary that finds something short asks): does the member belong anywhere?"""
    return sa.select(sa.exists().where(Affiliation.member_id == sa.bindparam("member_id")))


def scheme_covering(member_id, policy_code, day):
    """The approved scheme through which the member meets `policy_code` on `day`, or None: one
    query for a member who belongs to no organisation (most), two for one who does."""
    if not db.session.scalar(_belonging_statement(), {"member_id": member_id}):
        return None
    day_starts = datetime.combine(day, time.min, tzinfo=timezone.utc)
    found = db.session.execute(
        sa.select(Organisation.id, Organisation.name, SchemeApproval.valid_from, SchemeApproval.valid_until)
        .join(SchemeApproval, SchemeApproval.organisation_id == Organisation.id)
        .join(Affiliation, Affiliation.organisation_id == Organisation.id)
        .join(Sharing, sa.and_(Sharing.organisation_id == Organisation.id, Sharing.member_id == Affiliation.member_id))
        .where(Affiliation.member_id == member_id, SchemeApproval.policy == policy_code,
               SchemeApproval.valid_from <= day, SchemeApproval.valid_until >= day,
               Affiliation.since <= day, sa.or_(Affiliation.until.is_(None), Affiliation.until >= day),
               Sharing.since < day_starts + timedelta(days=1),
               sa.or_(Sharing.until.is_(None), Sharing.until >= day_starts))
        .order_by(SchemeApproval.valid_until.desc()).limit(1)).first()
    if found is None:
        return None
    organisation_id, name, start, end = found
    return {"organisation_id": organisation_id, "organisation": name, "from": start, "until": end}


# --- the annual self-assessment ------------------------------------------------------------------------

FOLDER = "self-assessments"


def file_self_assessment(actor, organisation_id, approval_id, year, filename, content):
    """The organisation's admin files the year's self-assessment (a PDF) for an approved scheme."""
    services.require_admin(actor, organisation_id)
    approval = db.session.get(SchemeApproval, approval_id)
    if approval is None or approval.organisation_id != organisation_id:
        raise NotFound("No such approval.")
    errors = {}
    if not isinstance(year, int) or not approval.valid_from.year <= year <= approval.valid_until.year:
        errors["year"] = [f"A year the approval covers ({approval.valid_from.year} to {approval.valid_until.year})."]
    limit = current_app.config["EVIDENCE_MAX_BYTES"]
    if len(content) > limit:
        raise DocumentTooLarge(f"The file is larger than the {limit // (1024 * 1024)} MB allowed.")
    if not content.startswith(b"%PDF-"):
        errors["file"] = ["The self-assessment is a PDF."]
    if errors:
        raise Invalid.from_fields(errors)
    assessment = SelfAssessment(approval=approval, year=year, filename=_pdf_name(filename),
                                stored_name=files.save_new_file(db.session, FOLDER, content), submitted_by_id=actor.id)
    db.session.add(assessment)
    db.session.flush()
    audit.record(actor, "organisation.self_assessment", "organisation", organisation_id, year=year)
    return assessment


class DocumentTooLarge(Invalid):
    status_code = 413


def _pdf_name(filename):
    stem = "".join(ch for ch in (filename or "") if ch.isalnum() or ch in " ._-").strip()[:150] or "self-assessment"
    return stem if stem.lower().endswith(".pdf") else f"{stem}.pdf"


def self_assessments_of(organisation_id):
    return db.session.scalars(sa.select(SelfAssessment).join(SchemeApproval).where(
        SchemeApproval.organisation_id == organisation_id).order_by(SelfAssessment.submitted_at.desc())).all()


def get_self_assessment(actor, assessment_id):
    """For staff, and the organisation's admins; 404 to anyone else."""
    assessment = db.session.get(SelfAssessment, assessment_id)
    if assessment is None or not (actor.is_staff or services.is_admin(actor, assessment.approval.organisation_id)):
        raise NotFound("No such self-assessment.")
    return assessment


def review(actor, assessment_id, outcome, comment):
    """Staff accept the self-assessment or return it with a comment; never the person who filed it."""
    assessment = get_self_assessment(actor, assessment_id)
    if assessment.submitted_by_id == actor.id:
        raise Forbidden("Another member of staff reviews a self-assessment you filed.")
    if outcome not in ("accepted", "returned"):
        raise Invalid.on_field("outcome", "accepted or returned.")
    comment = (comment or "").strip()
    if outcome == "returned" and not comment:
        raise Invalid.on_field("comment", "Say what the organisation should change.")
    assessment.status, assessment.comment = outcome, comment[:5000]
    assessment.reviewed_by_id, assessment.reviewed_at = actor.id, utcnow()
    audit.record(actor, "organisation.self_assessment_reviewed", "organisation",
                 assessment.approval.organisation_id, outcome=outcome)
    db.session.flush()
    return assessment


def document_path(assessment):
    return files.upload_path(FOLDER, assessment.stored_name)
