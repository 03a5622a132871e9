"""Revalidation in the API: declarations, the CPD audit, cases and their outcomes."""
from flask.views import MethodView

from cpd.web.current import require_actor, require_staff, staff_only
from cpd.core import files
from cpd.core.api import Blueprint, documents_errors, file_response
from cpd.core.models import utcnow
from cpd.core.pagination import PageArgsSchema, paginate
from cpd.extensions import db
from cpd.records.evidence import TYPES as EVIDENCE_TYPES
from cpd.revalidation import audits, cases, declarations, frozen
from cpd.revalidation.schemas import (AuditDrawSchema, AuditListSchema, AuditSchema, AuditCaseDetailSchema, AuditCaseSchema,
                                      CaseAppealSchema, DeclarationSchema, DeferralSchema, ExtensionSchema,
                                      OutcomeSchema, RegistrantListSchema, YearArgsSchema)

blp = Blueprint("api_revalidation", __name__, description="Revalidation: declarations and the CPD audit")


@blp.route("/me/declarations")
class OwnDeclarations(MethodView):
    @blp.response(200, DeclarationSchema(many=True))
    @documents_errors(blp, 401)
    def get(self):
        """My declarations"""
        return declarations.declarations_of(require_actor().id)

    @blp.arguments(DeclarationSchema)
    @blp.response(201, DeclarationSchema)
    @documents_errors(blp, 400, 401, 403, 409, 422)
    def post(self, values):
        """Declare for a year that I meet the CPD standards (registrants)"""
        declaration = declarations.declare(require_actor(), values["year"], values["meets_standards"],
                                           values["statement"])
        db.session.commit()
        return declaration


@blp.route("/declarations")
@blp.arguments(YearArgsSchema, location="query")
@blp.response(200, RegistrantListSchema)
@documents_errors(blp, 401, 403, 422)
@staff_only
def registrants(args):
    """Registrants and whether they declared for the year (staff)"""
    page = paginate(declarations.registrants_for(args["year"]), args["page"], args["per_page"], rows=True)
    overdue = utcnow().date() > declarations.overdue_after(args["year"])
    page["items"] = [{"member_id": r.member_id, "full_name": r.full_name, "declared": r.declared_at is not None,
                      "declared_at": r.declared_at, "overdue": overdue and r.declared_at is None}
                     for r in page["items"]]
    return page


def _with_outcomes(cpd_audit):
    cpd_audit.outcomes = audits.outcomes(cpd_audit)
    return cpd_audit


@blp.route("/cpd-audits")
class Audits(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, AuditListSchema)
    @documents_errors(blp, 401, 403, 422)
    @staff_only
    def get(self, args):
        """The CPD audits, newest first (staff)"""
        page = paginate(audits.audit_search(), args["page"], args["per_page"])
        page["items"] = [_with_outcomes(a) for a in page["items"]]
        return page

    @blp.arguments(AuditDrawSchema)
    @blp.response(201, AuditSchema)
    @documents_errors(blp, 400, 401, 403, 409, 422)
    @staff_only
    def post(self, values):
        """Draw a year's sample (staff): the same seed gives the same people"""
        cpd_audit = audits.draw(require_staff(), values["year"], values["sample_percent"], values["seed"])
        db.session.commit()
        return _with_outcomes(cpd_audit)


@blp.route("/cpd-audits/<int:audit_id>")
@blp.response(200, AuditSchema)
@documents_errors(blp, 401, 403, 404)
@staff_only
def one_audit(audit_id):
    """An audit with its cases and outcomes (staff)"""
    return _with_outcomes(audits.get_audit(require_staff(), audit_id))


@blp.route("/me/audit-cases")
@blp.response(200, AuditCaseSchema(many=True))
@documents_errors(blp, 401)
def own_cases():
    """My audit cases"""
    return cases.own_cases(require_actor())


@blp.route("/me/audit-cases/<int:case_id>/submit", methods=["POST"])
@blp.response(200, AuditCaseDetailSchema)
@documents_errors(blp, 401, 404, 409)
def submit_case(case_id):
    """Submit my CPD profile for the last 12 months (a frozen copy)"""
    actor = require_actor()
    case = cases.submit(actor, cases.get_own(actor, case_id))
    db.session.commit()
    return case


@blp.route("/me/audit-cases/<int:case_id>/deferral", methods=["POST"])
@blp.arguments(DeferralSchema)
@blp.response(200, AuditCaseDetailSchema)
@documents_errors(blp, 400, 401, 404, 409, 422)
def ask_deferral(values, case_id):
    """Ask for a deferral, with the reason"""
    actor = require_actor()
    case = cases.ask_deferral(actor, cases.get_own(actor, case_id), values["reason"])
    db.session.commit()
    return case


@blp.route("/me/audit-cases/<int:case_id>/appeal", methods=["POST"])
@blp.arguments(CaseAppealSchema)
@blp.response(200, AuditCaseDetailSchema)
@documents_errors(blp, 400, 401, 404, 409, 422)
def appeal_case(values, case_id):
    """Appeal a finding of not met before the registrations lapse: they stay until it is decided"""
    actor = require_actor()
    case = cases.appeal(actor, cases.get_own(actor, case_id), values["grounds"])
    db.session.commit()
    return case


@blp.route("/audit-cases/<int:case_id>/extension", methods=["POST"])
@blp.arguments(ExtensionSchema)
@blp.response(200, AuditCaseDetailSchema)
@documents_errors(blp, 400, 401, 403, 404, 409, 422)
@staff_only
def extend_case(values, case_id):
    """More time for a sampled registrant, with the reason (staff)"""
    actor = require_staff()
    case = audits.extend(actor, audits.get_case(actor, case_id), values["due_on"], values["reason"])
    db.session.commit()
    return case


@blp.route("/audit-cases/<int:case_id>")
@blp.response(200, AuditCaseDetailSchema)
@documents_errors(blp, 401, 403, 404)
@staff_only
def staff_case(case_id):
    """A case with its history and the profile as submitted (staff)"""
    return audits.get_case(require_staff(), case_id)


@blp.route("/audit-cases/<int:case_id>/evidence/<int:number>")
@blp.doc(responses={"200": file_response("the evidence file as it was when the case was submitted",
                                         *EVIDENCE_TYPES)})
@documents_errors(blp, 401, 403, 404)
@staff_only
def frozen_evidence(case_id, number):
    """A copy of an evidence file, kept with the profile as submitted (staff)"""
    return send_frozen_evidence(audits.get_case(require_staff(), case_id), number)


def send_frozen_evidence(case, number):
    path, entry = frozen.frozen_file(case.profile, number)
    return files.send_attachment(path, entry["content_type"], entry["filename"])


@blp.route("/audit-cases/<int:case_id>/outcome", methods=["PUT"])
@blp.arguments(OutcomeSchema)
@blp.response(200, AuditCaseDetailSchema)
@documents_errors(blp, 400, 401, 403, 404, 422)
@staff_only
def record_outcome(values, case_id):
    """Accepted, more information (a new due_on), deferred or not met (staff; reason no_response after
    due_on); not met lapses the registrations after a 28-day appeal window; an appeal is decided the same way"""
    actor = require_staff()
    case = audits.record_outcome(actor, audits.get_case(actor, case_id), values["outcome"], values["comment"],
                                 values["reason"], values["due_on"])
    db.session.commit()
    return case
