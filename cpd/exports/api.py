"""/api/v1/exports: attendance by event and members' engagement, as CSV or XLSX (staff)."""
from flask import Response, stream_with_context

from cpd.auth.current import require_staff
from cpd.core import audit
from cpd.core.api import BEARER, Blueprint, documents_errors
from cpd.core.replica import reading_from_replica
from cpd.core.spreadsheets import csv_stream, xlsx_stream
from cpd.extensions import db
from cpd.exports import rows
from cpd.exports.schemas import AttendanceExportArgsSchema, YearArgsSchema
from cpd.metrics.measures import check_year

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
    return {"200": {"description": description, "content": {FORMATS[extension]: {}}}}


def _attendance(args, extension):
    require_staff()
    return send_rows("attendance", rows.ATTENDANCE_HEADER, rows.attendance_rows(**args), extension)


def _members(args, extension):
    actor = require_staff()
    check_year(args["year"])
    audit.record(actor, "personal_data.members_export", year=args["year"], format=extension)
    db.session.commit()
    return send_rows(f"members-{args['year']}", rows.MEMBERS_HEADER, rows.member_rows(args["year"]), extension)


@blp.route("/attendance.csv")
@blp.doc(security=BEARER, responses=_documented("one row per event", "csv"))
@blp.arguments(AttendanceExportArgsSchema, location="query")
@documents_errors(blp, 401, 403, 422)
def attendance_csv(args):
    return _attendance(args, "csv")


@blp.route("/attendance.xlsx")
@blp.doc(security=BEARER, responses=_documented("one row per event", "xlsx"))
@blp.arguments(AttendanceExportArgsSchema, location="query")
@documents_errors(blp, 401, 403, 422)
def attendance_xlsx(args):
    return _attendance(args, "xlsx")


@blp.route("/members.csv")
@blp.doc(security=BEARER, responses=_documented("one row per member, with the year's engagement", "csv"))
@blp.arguments(YearArgsSchema, location="query")
@documents_errors(blp, 401, 403, 422)
def members_csv(args):
    return _members(args, "csv")


@blp.route("/members.xlsx")
@blp.doc(security=BEARER, responses=_documented("one row per member, with the year's engagement", "xlsx"))
@blp.arguments(YearArgsSchema, location="query")
@documents_errors(blp, 401, 403, 422)
def members_xlsx(args):
    return _members(args, "xlsx")
