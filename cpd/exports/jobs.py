"""Exports too large to build inside a web request (more than EXPORT_BACKGROUND_ROWS rows, when a
worker runs): the worker writes the file under UPLOAD_DIR/exports, and the staff member follows its
progress and downloads it when ready. Functions flush, never commit, except the job itself."""
import logging
import os
import secrets
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from cpd.core.background import after_commit, enqueue
from cpd.core.errors import Conflict, NotFound
from cpd.core.models import utcnow
from cpd.core.spreadsheets import csv_stream, xlsx_stream
from cpd.extensions import db
from cpd.exports import rows
from cpd.exports.models import ExportJob

FOLDER = "exports"
log = logging.getLogger("cpd.exports")
BUILD = "cpd.exports.jobs.build"
# A queued export whose job never reached the worker is handed over again after this long; one
# still running after STALE has lost its worker (a crash, a restart) and is marked failed.
REQUEUE_AFTER = timedelta(minutes=2)
STALE = timedelta(minutes=30)


def _plain(parameters):
    return {k: v.isoformat() if isinstance(v, (date, datetime)) else v for k, v in parameters.items()}


def _revived(kind, parameters):
    if kind == "attendance":
        return {k: datetime.fromisoformat(v) if k in ("date_from", "date_to") and v else v
                for k, v in parameters.items()}
    return parameters


def row_count(kind, parameters):
    """How many rows the export will have, counted by the database."""
    if kind == "attendance":
        statement = rows.attendance_statement(**parameters)
    else:
        statement = sa.select(rows.Member.id).where(rows.IN_MEMBERS_EXPORT)
    return db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))


def goes_to_the_worker(kind, parameters):
    return bool(current_app.config.get("REDIS_URL")) and \
        row_count(kind, parameters) > current_app.config["EXPORT_BACKGROUND_ROWS"]


def request_export(actor, kind, extension, parameters):
    job = ExportJob(id=secrets.token_urlsafe(16), kind=kind, extension=extension, parameters=_plain(parameters),
                    requested_by_id=actor.id)
    db.session.add(job)
    db.session.flush()
    after_commit(db.session, BUILD, job.id, job_id=f"export-{job.id}")
    return job


def _header_and_rows(job):
    parameters = _revived(job.kind, job.parameters)
    if job.kind == "attendance":
        return "attendance", rows.ATTENDANCE_HEADER, rows.attendance_rows(**parameters)
    return f"members-{parameters['year']}", rows.members_header(), rows.member_rows(parameters["year"])


def build(job_id):
    """The worker's job: write the file, then mark the export ready, or failed with why, whatever
    went wrong: an export never stays running."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.status not in ("queued", "running"):
        return "nothing to do"
    job.status, job.started_at = "running", utcnow()
    db.session.commit()
    try:
        stored_name, counted = _write(job)
    except Exception as error:  # noqa: BLE001 (any failure is the job's, recorded for the staff member)
        db.session.rollback()
        log.exception("export %s failed", job_id)
        job = db.session.get(ExportJob, job_id)
        job.status, job.error, job.finished_at = "failed", str(error)[:500] or type(error).__name__, utcnow()
        db.session.commit()
        return "failed"
    job.status, job.rows, job.stored_name, job.finished_at = "ready", counted, stored_name, utcnow()
    db.session.commit()
    return "ready"


def _write(job):
    name, header, generator = _header_and_rows(job)
    counted = {"rows": 0}

    def counting(source):
        for row in source:
            counted["rows"] += 1
            yield row

    chunks = csv_stream(header, counting(generator)) if job.extension == "csv" else \
        xlsx_stream(name, header, counting(generator))
    folder = os.path.join(current_app.config["UPLOAD_DIR"], FOLDER)
    os.makedirs(folder, exist_ok=True)
    stored_name = f"{job.id}.{job.extension}"
    with open(os.path.join(folder, stored_name), "wb") as handle:
        for chunk in chunks:
            handle.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
    return stored_name, counted["rows"]


def sweep_stranded(now, queue):
    """Exports nothing is building: queued ones handed to the worker again (their enqueue was lost),
    running ones past STALE marked failed. Returns (handed over, failed); commits."""
    queued = db.session.scalars(sa.select(ExportJob.id).where(
        ExportJob.status == "queued", ExportJob.created_at <= now - REQUEUE_AFTER)).all()
    for job_id in queued:
        enqueue(queue, BUILD, job_id, job_id=f"export-{job_id}")
    stale = db.session.execute(sa.update(ExportJob).where(
        ExportJob.status == "running",
        sa.func.coalesce(ExportJob.started_at, ExportJob.created_at) <= now - STALE)
        .values(status="failed", finished_at=now, error="The worker stopped while building it: ask for it again.")
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return len(queued), stale


def get_own(actor, job_id):
    job = db.session.get(ExportJob, job_id) if isinstance(job_id, str) else None
    if job is None or job.requested_by_id != actor.id:
        raise NotFound("No such export.")
    return job


def file_of(job):
    if job.status != "ready":
        raise Conflict(f"This export is {job.status}: download it once it is ready.")
    return os.path.join(current_app.config["UPLOAD_DIR"], FOLDER, job.stored_name)


def download_name(job):
    name = "attendance" if job.kind == "attendance" else f"members-{job.parameters.get('year')}"
    return f"{name}.{job.extension}"
