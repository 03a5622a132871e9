"""Approved employer schemes: staff approve an organisation's professional-development scheme for a
CPD policy over a period; a member who belongs to the organisation and shares their standing with it
meets that policy through the scheme on every day the approval, the belonging and the sharing all
cover. A lapsed approval stops counting the day after `valid_until`; a past day keeps what it was.

As the bodies run them: ACCA's approved-employer route (the employer's programme satisfies the
member's CPD), Engineers Ireland's CPD accredited employers, and the IET's accredited
professional-development schemes (three years, with an annual self-assessment)."""
from datetime import datetime, time, timedelta, timezone

import sqlalchemy as sa

from cpd.core import audit
from cpd.core.errors import Invalid
from cpd.extensions import db
from cpd.organisations import services
from cpd.organisations.models import Affiliation, Organisation, SchemeApproval, Sharing
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


def scheme_covering(member_id, policy_code, day):
    """The approved scheme through which the member meets `policy_code` on `day`, or None: one query."""
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
