"""Verified CPD records that other domains make for a member: from recorded attendance at an event
(the events domain's register) and from learning completed in another of the body's systems (the
integrations domain's xAPI statements). The member may write their reflection; the dates and hours
stay as the source set them (cpd.records.services.update_record)."""
import sqlalchemy as sa

from cpd.core import files
from cpd.extensions import db
from cpd.records.models import CpdRecord
from cpd.records.services import EVIDENCE_FOLDER, _check_hours
from cpd.records.vocabulary import ACTIVITY_TYPES


def record_attendance(member_id, event_id, title, activity_type, started_on, ended_on, hours, formal=False):
    """The one verified record of a member's attendance at an event; made once, kept up to date.
    Attendance the register recorded is always verifiable (ACCA)."""
    record = db.session.scalar(
        sa.select(CpdRecord).where(CpdRecord.member_id == member_id, CpdRecord.source_event_id == event_id)
    )
    values = {
        "title": title[:200],
        "activity_type": activity_type if activity_type in ACTIVITY_TYPES else "formal_educational",
        "started_on": started_on,
        "ended_on": max(ended_on, started_on),
        "hours": _check_hours(hours),
        "formal": bool(formal),
        "verifiable": True,
    }
    if record is None:
        record = CpdRecord(member_id=member_id, source_event_id=event_id, verified=True, **values)
        db.session.add(record)
    else:
        for field, value in values.items():
            setattr(record, field, value)
        record.verified = True
    db.session.flush()
    return record


def remove_attendance_record(member_id, event_id):
    record = db.session.scalar(
        sa.select(CpdRecord).where(CpdRecord.member_id == member_id, CpdRecord.source_event_id == event_id)
    )
    if record is not None:
        for item in record.evidence:
            files.discard_after_commit(db.session, EVIDENCE_FOLDER, item.stored_name)
        db.session.delete(record)
        db.session.flush()


# --- records of learning done in the body's other systems (called by the integrations domain) -------

def record_learning_elsewhere(member_id, statement_id, system, title, happened_on, hours):
    """The one verified record of an activity completed in another of the body's systems (its
    learning system, through xAPI), for a statement not yet recorded (`already_recorded`; the unique
    statement id stands behind it): the member may add a reflection. Completed, assessed e-learning is
    formal and verifiable (the system holds the evidence)."""
    record = CpdRecord(member_id=member_id, source_statement_id=statement_id, source_system=system[:120],
                       title=title[:200], activity_type="formal_educational", started_on=happened_on,
                       ended_on=happened_on, hours=_check_hours(hours), verified=True, formal=True, verifiable=True)
    db.session.add(record)
    return record


def already_recorded(statement_ids):
    """Of these statement ids, those a record was made from (one query)."""
    return set(db.session.scalars(sa.select(CpdRecord.source_statement_id)
                                  .where(CpdRecord.source_statement_id.in_(list(statement_ids)))))


def remove_learning_elsewhere(statement_ids):
    """Remove the records made from these statements (voided in the system that sent them)."""
    records = db.session.scalars(sa.select(CpdRecord).where(CpdRecord.source_statement_id.in_(statement_ids)))
    for record in records:
        for item in record.evidence:
            files.discard_after_commit(db.session, EVIDENCE_FOLDER, item.stored_name)
        db.session.delete(record)
