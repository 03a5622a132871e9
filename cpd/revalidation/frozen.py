"""The CPD profile an audited member submits, frozen: their records of the 12 months before, as plain
data, and a copy of each evidence file, so a later edit, a swapped file or a deleted record never
changes what the assessor reads (HCPC's audit assesses "the CPD profile you sent us").
Functions flush, never commit; files follow the transaction (cpd.core.files)."""
import hashlib
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cpd.core import files
from cpd.core.errors import NotFound
from cpd.extensions import db
from cpd.records.models import CpdRecord
from cpd.records import services as record_services
from cpd.records.services import evidence_file_path

FOLDER = "audit-evidence"


def standing(member, as_of):
    """The member's standing against their own policy on `as_of`, as plain data kept with the profile:
    the assessor reads it as it was when the profile was sent."""
    summary = record_services.summary_for(member, as_of=as_of)
    return {"policy": summary.policy, "policy_name": summary.policy_name, "unit": summary.unit,
            "period_start": summary.period_start.isoformat(), "period_end": summary.period_end.isoformat(),
            "compliant": not summary.shortfalls, "shortfalls": list(summary.shortfalls),
            "requirements": [{"name": r.name, "required": float(r.required), "achieved": float(r.achieved),
                              "met": r.met} for r in summary.requirements]}


def freeze_profile(member, submitted_at):
    """The member's CPD in the 12 months before `submitted_at`, with copies of its evidence files,
    and their standing against their policy that day."""
    member_id = member.id
    start = (submitted_at - timedelta(days=365)).date()
    records = db.session.scalars(
        sa.select(CpdRecord).where(CpdRecord.member_id == member_id, CpdRecord.ended_on >= start,
                                   CpdRecord.started_on <= submitted_at.date())
        .options(selectinload(CpdRecord.evidence)).order_by(CpdRecord.started_on, CpdRecord.id)).all()
    numbers = iter(range(1, 100_000))
    return {
        "from": start.isoformat(), "to": submitted_at.date().isoformat(),
        "total_hours": float(sum((r.hours for r in records), 0)),
        "standing": standing(member, submitted_at.date()),
        "records": [{"id": r.id, "title": r.title, "activity_type": r.activity_type,
                     "started_on": r.started_on.isoformat(), "ended_on": r.ended_on.isoformat(),
                     "hours": float(r.hours), "verified": r.verified, "description": r.description,
                     "learning": r.learning, "benefit_to_practice": r.benefit_to_practice,
                     "benefit_to_users": r.benefit_to_users,
                     "evidence": [_copy(item, next(numbers)) for item in r.evidence]}
                    for r in records],
    }


def _copy(item, number):
    try:
        with open(evidence_file_path(item), "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return {"number": number, "filename": item.filename, "missing": True}
    return {"number": number, "filename": item.filename, "content_type": item.content_type,
            "size_bytes": len(content), "sha256": hashlib.sha256(content).hexdigest(),
            "stored_name": files.save_new_file(db.session, FOLDER, content)}


def copies_in(profile):
    return [entry for record in (profile or {}).get("records", []) for entry in record.get("evidence", [])
            if isinstance(entry, dict) and entry.get("stored_name")]


def frozen_file(profile, number):
    """(path, the entry) of the frozen copy numbered `number`; NotFound when there is none."""
    for entry in copies_in(profile):
        if entry["number"] == number:
            return files.upload_path(FOLDER, entry["stored_name"]), entry
    raise NotFound("No such evidence file in the profile as submitted.")


def discard_copies(profile):
    """The copies go once the transaction that drops the profile commits."""
    for entry in copies_in(profile):
        files.discard_after_commit(db.session, FOLDER, entry["stored_name"])
