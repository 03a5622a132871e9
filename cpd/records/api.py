"""/api/v1/me/cpd-records, evidence, the development plan, the summary, downloads, policies."""
from flask import Response, stream_with_context, url_for
from flask.views import MethodView

from cpd.web.current import public, require_actor, require_staff, staff_only
from cpd.core import files
from cpd.core.api import Blueprint, documents_errors, file_response
from cpd.core.pagination import PageArgsSchema, page_args, paginate
from cpd.core.spreadsheets import csv_stream
from cpd.core.urls import public_base_url
from cpd.extensions import db
from cpd.members import services as member_services
from cpd.records import downloads, exemptions, plan, services
from cpd.records.evidence import TYPES as EVIDENCE_TYPES
from cpd.records.schemas import (
    CpdPolicyListSchema,
    CpdRecordArgsSchema,
    CpdRecordChangeSchema,
    CpdRecordCreateSchema,
    CpdRecordListSchema,
    CpdRecordSchema,
    CpdSummarySchema,
    EvidenceSchema,
    ExemptionCreateSchema,
    ExemptionListSchema,
    ExemptionSchema,
    EvidenceUploadSchema,
    ObjectiveChangeSchema,
    ObjectiveCreateSchema,
    ObjectiveListSchema,
    ObjectiveSchema,
    SummaryArgsSchema,
    TopicSchema,
    XapiStatementListSchema,
)
from cpd.records.vocabulary import TOPICS

blp = Blueprint("api_cpd", __name__, description="The CPD record: log, evidence, plan, summary")
policies_blp = Blueprint("api_cpd_policies", __name__, description="CPD policies")


@blp.route("/me/cpd-records")
class OwnRecords(MethodView):
    @blp.arguments(CpdRecordArgsSchema, location="query")
    @blp.response(200, CpdRecordListSchema)
    @documents_errors(blp, 401, 422)
    def get(self, args):
        actor = require_actor()
        filters, page, per_page = page_args(args)
        return paginate(services.record_search(actor.id, **filters), page, per_page)

    @blp.arguments(CpdRecordCreateSchema)
    @blp.response(201, CpdRecordSchema)
    @documents_errors(blp, 400, 401, 422)
    def post(self, values):
        record = services.add_record(require_actor(), values)
        db.session.commit()
        return record


@blp.route("/me/cpd-records/<int:record_id>")
class OwnRecord(MethodView):
    @blp.response(200, CpdRecordSchema)
    @documents_errors(blp, 401, 404)
    def get(self, record_id):
        return services.get_record_for(require_actor(), record_id, to_change=True)

    @blp.arguments(CpdRecordChangeSchema)
    @blp.response(200, CpdRecordSchema)
    @documents_errors(blp, 400, 401, 404, 422)
    def patch(self, changes, record_id):
        actor = require_actor()
        record = services.update_record(actor, services.get_record_for(actor, record_id, to_change=True), changes)
        db.session.commit()
        return record

    @blp.response(204)
    @documents_errors(blp, 401, 404, 409)
    def delete(self, record_id):
        actor = require_actor()
        services.delete_record(actor, services.get_record_for(actor, record_id, to_change=True))
        db.session.commit()


@blp.route("/me/cpd-records/<int:record_id>/evidence", methods=["POST"])
@blp.arguments(EvidenceUploadSchema, location="files")
@blp.response(201, EvidenceSchema)
@documents_errors(blp, 401, 404, 413, 422)
def upload_evidence(upload, record_id):
    actor = require_actor()
    record = services.get_record_for(actor, record_id, to_change=True)
    file = upload["file"]
    item = services.add_evidence(actor, record, file.filename, file.read())
    db.session.commit()
    return item


@blp.route("/me/cpd-records/<int:record_id>/evidence/<int:evidence_id>")
class OwnEvidence(MethodView):
    @blp.doc(responses={"200": file_response("the file, as an attachment, in its own type", *EVIDENCE_TYPES)})
    @documents_errors(blp, 401, 404)
    def get(self, record_id, evidence_id):
        item = services.get_evidence_for(require_actor(), record_id, evidence_id)
        db.session.commit()  # the audit entry of a staff read
        return send_evidence(item)

    @blp.response(204)
    @documents_errors(blp, 401, 404)
    def delete(self, record_id, evidence_id):
        actor = require_actor()
        services.delete_evidence(actor, services.get_evidence_for(actor, record_id, evidence_id))
        db.session.commit()


def send_evidence(item):
    return files.send_attachment(services.evidence_file_path(item), item.content_type, item.filename)


@blp.route("/members/<int:member_id>/cpd-records")
@blp.arguments(CpdRecordArgsSchema, location="query")
@blp.response(200, CpdRecordListSchema)
@documents_errors(blp, 401, 403, 404, 422)
def member_records(args, member_id):
    """A member's CPD records, for staff (read only)."""
    actor = require_actor()
    member = member_services.get_member(member_id)
    services.ensure_may_read_member_records(actor, member)
    db.session.commit()  # the audit entry of a staff read
    filters, page, per_page = page_args(args)
    return paginate(services.record_search(member.id, **filters), page, per_page)


@blp.route("/members/<int:member_id>/cpd-exemptions")
class MemberExemptions(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ExemptionListSchema)
    @documents_errors(blp, 401, 403, 404, 422)
    @staff_only
    def get(self, args, member_id):
        """A member's exemptions from CPD requirements (staff)"""
        member = member_services.get_member(member_id)
        return paginate(exemptions.exemption_search(member.id), args["page"], args["per_page"])

    @blp.arguments(ExemptionCreateSchema)
    @blp.response(201, ExemptionSchema)
    @documents_errors(blp, 400, 401, 403, 404, 422)
    @staff_only
    def post(self, values, member_id):
        """Grant a member an exemption from CPD requirements (staff)"""
        actor = require_staff()
        exemption = exemptions.grant_exemption(actor, member_services.get_member(member_id), values)
        db.session.commit()
        return exemption


@blp.route("/cpd-topics")
@public
@blp.response(200, TopicSchema(many=True))
def cpd_topics():
    """The topics a CPD record can be about"""
    return [{"code": code, "name": name} for code, name in TOPICS.items()]


@blp.route("/me/cpd-summary")
@blp.arguments(SummaryArgsSchema, location="query")
@blp.response(200, CpdSummarySchema)
@documents_errors(blp, 401, 404, 422)
def summary(args):
    """My progress against a CPD policy"""
    return services.summary_for(require_actor(), args.get("policy"), args.get("as_of"))


@blp.route("/me/cpd-records.csv")
@blp.doc(responses={"200": file_response("CSV, one row per record", "text/csv")})
@documents_errors(blp, 401)
def records_csv():
    member = require_actor()
    rows = csv_stream(downloads.CSV_HEADER, downloads.csv_rows(member.id))
    return Response(
        stream_with_context(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="cpd-records.csv"'},
    )


@blp.route("/me/cpd-profile.pdf")
@blp.doc(responses={"200": file_response("the CPD profile for the period and policy asked (default: the "
                                         "member's own, today)", "application/pdf")})
@blp.arguments(SummaryArgsSchema, location="query")
@documents_errors(blp, 401, 404, 422)
def profile_pdf(args):
    member = require_actor()
    summary = services.summary_for(member, args.get("policy"), args.get("as_of"))
    content = downloads.profile_pdf(member, summary, services.today())
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="cpd-profile.pdf"'},
    )


@blp.route("/me/xapi-statements")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, XapiStatementListSchema)
@documents_errors(blp, 401, 422)
def xapi_statements(args):
    member = require_actor()
    page = paginate(services.record_search(member.id), args["page"], args["per_page"])
    base_iri = public_base_url()
    statements = [downloads.xapi_statement(record, member, base_iri) for record in page["items"]]
    more = ""
    if page["page"] * page["per_page"] < page["total"]:
        more = url_for("api_cpd.xapi_statements", page=page["page"] + 1, per_page=page["per_page"])
    return {**page, "items": statements, "statements": statements, "more": more}


@blp.route("/me/objectives")
class OwnObjectives(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ObjectiveListSchema)
    @documents_errors(blp, 401, 422)
    def get(self, args):
        return paginate(plan.objective_search(require_actor().id), args["page"], args["per_page"])

    @blp.arguments(ObjectiveCreateSchema)
    @blp.response(201, ObjectiveSchema)
    @documents_errors(blp, 400, 401, 422)
    def post(self, values):
        objective = plan.add_objective(require_actor(), values)
        db.session.commit()
        return objective


@blp.route("/me/objectives/<int:objective_id>")
class OwnObjective(MethodView):
    @blp.response(200, ObjectiveSchema)
    @documents_errors(blp, 401, 404)
    def get(self, objective_id):
        return plan.get_objective_for(require_actor(), objective_id)

    @blp.arguments(ObjectiveChangeSchema)
    @blp.response(200, ObjectiveSchema)
    @documents_errors(blp, 400, 401, 404, 422)
    def patch(self, changes, objective_id):
        actor = require_actor()
        objective = plan.update_objective(actor, plan.get_objective_for(actor, objective_id), changes)
        db.session.commit()
        return objective

    @blp.response(204)
    @documents_errors(blp, 401, 404)
    def delete(self, objective_id):
        actor = require_actor()
        plan.delete_objective(actor, plan.get_objective_for(actor, objective_id))
        db.session.commit()


@policies_blp.route("")
@public
@policies_blp.arguments(PageArgsSchema, location="query")
@policies_blp.response(200, CpdPolicyListSchema)
@documents_errors(policies_blp, 422)
def list_policies(args):
    return paginate(services.policy_search(), args["page"], args["per_page"])
