import marshmallow as ma
from flask import url_for

from cpd.core.schemas import one_of
from cpd.events.schemas import DateOrTime
from cpd.events.vocabulary import EVENT_KINDS
from cpd.core.limits import DATABASE_ID, FIGURES_YEAR


class AttendanceExportArgsSchema(ma.Schema):
    date_from = DateOrTime(data_key="from")
    date_to = DateOrTime(data_key="to", end_of_day=True)
    kind = ma.fields.String(validate=one_of(list(EVENT_KINDS)))
    sig_id = ma.fields.Integer(validate=ma.validate.Range(min=DATABASE_ID.low, max=DATABASE_ID.high))

    @ma.validates_schema
    def from_before_to(self, args, **kwargs):
        if args.get("date_from") and args.get("date_to") and args["date_from"] > args["date_to"]:
            raise ma.ValidationError("`from` must not be after `to`.", "from")


class YearArgsSchema(ma.Schema):
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(min=FIGURES_YEAR.low, max=FIGURES_YEAR.high))


class ExportJobSchema(ma.Schema):
    id = ma.fields.String()
    kind = ma.fields.String()
    format = ma.fields.String(attribute="extension")
    status = ma.fields.String(metadata={"enum": ["queued", "running", "ready", "failed"]})
    rows = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    finished_at = ma.fields.AwareDateTime(allow_none=True)
    url = ma.fields.Function(lambda job: url_for("api_exports.export_job", job_id=job.id))
    download_url = ma.fields.Function(lambda job: url_for("api_exports.export_job_download", job_id=job.id))
    page_url = ma.fields.Function(lambda job: url_for("exports.progress", job_id=job.id))


class OrderExportArgsSchema(ma.Schema):
    event_id = ma.fields.Integer(validate=ma.validate.Range(min=DATABASE_ID.low, max=DATABASE_ID.high))
