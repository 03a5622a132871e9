"""/api/v1/exports: attendance by event and members' engagement, as CSV or XLSX (staff)."""
from flask import Response, send_file, stream_with_context

from cpd.web.current import require_staff, staff_only
from cpd.core import audit
from cpd.core.api import Blueprint, documents_errors, file_response
from cpd.core.replica import reading_from_replica
from cpd.core.spreadsheets import csv_stream, xlsx_stream
from cpd.extensions import db
from cpd.exports import jobs, rows
from cpd.exports.schemas import AttendanceExportArgsSchema, ExportJobSchema, OrderExportArgsSchema, YearArgsSchema
from cpd.metrics.years import check_year

blp = Blueprint("api_exports", __name__, description="Exports for staff")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": "text/csv", "xlsx": XLSX}


def _from_replica(row_generator):
    """The rows, read from the replica when there is one (as they stream)."""
    with reading_from_replica(db.session):
        yield from row_generator


def send_rows(name, header, row_generator, extension):
    """Stream rows as a download; the rows are built apart, by cpd.exports.rows."""
    row_generator = _from_replica(row_generator)
    if extension == "csv":
        chunks = csv_stream(header, row_generator)
    else:
        chunks = xlsx_stream(name, header, row_generator)
    return Response(stream_with_context(chunks), mimetype=FORMATS[extension],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{extension}"'})


def _documented(description, extension):
    return {"200": file_response(description, FORMATS[extension]),
            "202": {"description": "too large to build now: the worker builds it; follow the Location"}}


def _to_the_worker(actor, kind, extension, parameters):
    """202 and where to follow the export the worker is building."""
    job = jobs.request_export(actor, kind, extension, parameters)
    db.session.commit()
    body = ExportJobSchema().dump(job)
    return body, 202, {"Location": body["url"]}


def _attendance(args, extension):
    actor = require_staff()
    if jobs.goes_to_the_worker("attendance", args):
        return _to_the_worker(actor, "attendance", extension, args)
    return send_rows("attendance", rows.ATTENDANCE_HEADER, rows.attendance_rows(**args), extension)


def _members(args, extension):
    actor = require_staff()
    check_year(args["year"])
    audit.record(actor, "personal_data.members_export", year=args["year"], format=extension)
    db.session.commit()
    if jobs.goes_to_the_worker("members", args):
        return _to_the_worker(actor, "members", extension, args)
    return send_rows(f"members-{args['year']}", rows.members_header(), rows.member_rows(args["year"]), extension)


@blp.route("/jobs/<job_id>")
@blp.response(200, ExportJobSchema)
@documents_errors(blp, 401, 403, 404)
@staff_only
def export_job(job_id):
    """A large export the worker is building: its progress (staff who asked for it)"""
    return jobs.get_own(require_staff(), job_id)


@blp.route("/jobs/<job_id>/download")
@blp.doc(responses={"200": file_response("the file", *FORMATS.values())})
@documents_errors(blp, 401, 403, 404, 409)
@staff_only
def export_job_download(job_id):
    """The finished export (409 until it is ready)"""
    job = jobs.get_own(require_staff(), job_id)
    return send_file(jobs.file_of(job), mimetype=FORMATS[job.extension], as_attachment=True,
                     download_name=jobs.download_name(job), max_age=0)


@blp.route("/attendance.csv")
@blp.doc(responses=_documented("one row per event", "csv"))
@blp.arguments(AttendanceExportArgsSchema, location="query")
@documents_errors(blp, 401, 403, 422)
@staff_only
def attendance_csv(args):
    return _attendance(args, "csv")


@blp.route("/attendance.xlsx")
@blp.doc(responses=_documented("one row per event", "xlsx"))
@blp.arguments(AttendanceExportArgsSchema, location="query")
@documents_errors(blp, 401, 403, 422)
@staff_only
def attendance_xlsx(args):
    return _attendance(args, "xlsx")


@blp.route("/members.csv")
@blp.doc(responses=_documented("one row per member, with the year's engagement", "csv"))
@blp.arguments(YearArgsSchema, location="query")
@documents_errors(blp, 401, 403, 422)
@staff_only
def members_csv(args):
    return _members(args, "csv")


@blp.route("/members.xlsx")
@blp.doc(responses=_documented("one row per member, with the year's engagement", "xlsx"))
@blp.arguments(YearArgsSchema, location="query")
@documents_errors(blp, 401, 403, 422)
@staff_only
def members_xlsx(args):
    return _members(args, "xlsx")


@blp.route("/orders.csv")
@blp.doc(responses={"200": file_response("one row per order line", "text/csv")})
@blp.arguments(OrderExportArgsSchema, location="query")
@documents_errors(blp, 401, 403, 422)
@staff_only
def orders_csv(args):
    """Every order line for finance (number, date, buyer, event, price, net, VAT, gross, method, reference, refunded)."""
    actor = require_staff()
    audit.record(actor, "personal_data.orders_export", event_id=args.get("event_id"))
    db.session.commit()
    return send_rows("orders", rows.ORDERS_HEADER, rows.order_rows(args.get("event_id")), "csv")
