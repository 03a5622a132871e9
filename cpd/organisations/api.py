"""/api/v1/organisations: staff make organisations and approve their schemes; admins invite and see
their people (standing only for those who share); members join, share and stop sharing."""
from cpd.core import files
from cpd.core.api import Blueprint, documents_errors, file_response
from cpd.core.pagination import PageArgsSchema, paginate
from cpd.extensions import db
from cpd.organisations import schemes, services, sponsored
from cpd.organisations.schemas import (AffiliationSchema, ApprovalListSchema, ApprovalRequestSchema, ApprovalSchema,
                                       InvitationSchema, MyOrganisationListSchema, OrganisationArgsSchema,
                                       OrganisationListSchema, OrganisationRequestSchema, OrganisationSchema,
                                       PeopleListSchema, PersonInvitedSchema, PersonRequestSchema, ReviewRequestSchema, SelfAssessmentFileSchema,
                                       SelfAssessmentListSchema, SelfAssessmentSchema, SelfAssessmentUploadSchema,
                                       SharingRequestSchema, SharingSchema, SponsoredBookingSchema)
from cpd.payments import orders
from cpd.payments.schemas import OrderSchema
from cpd.web.current import access, require_actor, require_staff, staff_only


def _admin_of(organisation_id, **_):
    services.require_admin(require_actor(), organisation_id)


admins_only = access(_admin_of)  # decided before the input is read: anyone else hears 404

blp = Blueprint("api_organisations", __name__, description="Employers, universities and other organisations")


@blp.route("/organisations", methods=["POST"])
@staff_only
@blp.arguments(OrganisationRequestSchema)
@blp.response(201, OrganisationSchema)
@documents_errors(blp, 401, 403, 422)
def create(values):
    """Make an organisation (staff)"""
    organisation = services.create(require_staff(), values)
    db.session.commit()
    return organisation


@blp.route("/organisations", methods=["GET"])
@staff_only
@blp.arguments(OrganisationArgsSchema, location="query")
@blp.response(200, OrganisationListSchema)
@documents_errors(blp, 401, 403, 422)
def organisations(args):
    """The organisations (staff)"""
    return paginate(services.search(args["q"].strip()), args["page"], args["per_page"])


@blp.route("/organisations/<int:organisation_id>/admins/<int:member_id>", methods=["PUT"])
@staff_only
@blp.response(200, AffiliationSchema)
@documents_errors(blp, 401, 403, 404)
def make_admin(organisation_id, member_id):
    """Make a member an admin of the organisation (staff)"""
    affiliation = services.make_admin(require_staff(), organisation_id, member_id)
    db.session.commit()
    return affiliation


@blp.route("/organisations/<int:organisation_id>/invitation", methods=["POST"])
@admins_only
@blp.response(201, InvitationSchema)
@documents_errors(blp, 401, 404)
def invitation(organisation_id):
    """A fresh invitation link for the organisation's people (its admins)"""
    url = services.invitation_link(require_actor(), organisation_id)
    db.session.commit()
    return {"url": url}


@blp.route("/organisation-invitations/<token>", methods=["POST"])
@blp.response(201, AffiliationSchema)
@documents_errors(blp, 401, 404, 409)
def join(token):
    """Join the organisation an invitation link is for"""
    affiliation = services.join_by_invitation(require_actor(), token)
    db.session.commit()
    return affiliation


@blp.route("/organisations/<int:organisation_id>/people")
@admins_only
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, PeopleListSchema)
@documents_errors(blp, 401, 404, 422)
def people(args, organisation_id):
    """The organisation's people (its admins): standing only for those who share it, while they do"""
    listing = services.people(require_actor(), organisation_id, args["page"], min(args["per_page"], 100))
    db.session.commit()  # the audit entry of this look
    return listing


@blp.route("/me/organisations")
@blp.response(200, MyOrganisationListSchema)
@documents_errors(blp, 401)
def my_organisations():
    """The organisations I belong to, and whether I share my standing with each"""
    actor = require_actor()
    rows = services.organisations_of(actor.id)
    return {"items": [{"organisation_id": o.id, "name": o.name, "kind": o.kind, "is_admin": a.is_admin,
                       "since": a.since, "sharing": sharing} for o, a, sharing in rows],
            "invitations": services.invitations_for(actor.id)}


@blp.route("/me/organisations/<int:organisation_id>", methods=["DELETE"])
@blp.response(204)
@documents_errors(blp, 401, 404)
def leave(organisation_id):
    """Leave an organisation (sharing with it stops)"""
    services.leave(require_actor(), organisation_id)
    db.session.commit()


@blp.route("/me/employer-sharing", methods=["PUT"])
@blp.arguments(SharingRequestSchema)
@blp.response(200, SharingSchema)
@documents_errors(blp, 401, 403, 404, 422)
def sharing(values):
    """Share my CPD standing with an organisation I belong to, or stop"""
    answer = services.set_sharing(require_actor(), values["organisation_id"], values["share"])
    db.session.commit()
    return answer


@blp.route("/organisations/<int:organisation_id>/approvals", methods=["POST"])
@staff_only
@blp.arguments(ApprovalRequestSchema)
@blp.response(201, ApprovalSchema)
@documents_errors(blp, 401, 403, 404, 422)
def approve(values, organisation_id):
    """Approve the organisation's scheme for a CPD policy over a period (staff)"""
    approval = schemes.approve(require_staff(), organisation_id, {
        "policy": values["policy"], "from": values["valid_from"], "until": values["valid_until"],
        "document_name": values["document_name"]})
    db.session.commit()
    return approval


@blp.route("/organisations/<int:organisation_id>/approvals", methods=["GET"])
@staff_only
@blp.response(200, ApprovalListSchema)
@documents_errors(blp, 401, 403, 404)
def approvals(organisation_id):
    """The organisation's scheme approvals (staff)"""
    services.get(organisation_id)
    return {"items": schemes.approvals_of(organisation_id)}


@blp.route("/organisations/<int:organisation_id>/bookings", methods=["POST"])
@admins_only
@blp.arguments(SponsoredBookingSchema)
@blp.response(201, OrderSchema)
@documents_errors(blp, 401, 403, 404, 409, 422)
def book_people(values, organisation_id):
    """Book several of the organisation's people onto an event in one invoiced order (its admins):
    all or none; a group larger than the seats left is 409"""
    order = sponsored.book_people(require_actor(), organisation_id, values)
    db.session.commit()
    return orders.order_document(order)


@blp.route("/organisations/<int:organisation_id>/approvals/<int:approval_id>/self-assessments", methods=["POST"])
@admins_only
@blp.arguments(SelfAssessmentUploadSchema, location="query")
@blp.arguments(SelfAssessmentFileSchema, location="files")
@blp.response(201, SelfAssessmentSchema)
@documents_errors(blp, 401, 404, 413, 422)
def file_self_assessment(args, upload, organisation_id, approval_id):
    """File the year's (`?year=`) self-assessment of an approved scheme, a PDF (the organisation's admins)"""
    assessment = schemes.file_self_assessment(require_actor(), organisation_id, approval_id, args["year"],
                                              upload["file"].filename, upload["file"].read())
    db.session.commit()
    return assessment


@blp.route("/organisations/<int:organisation_id>/self-assessments")
@staff_only
@blp.response(200, SelfAssessmentListSchema)
@documents_errors(blp, 401, 403, 404)
def self_assessments(organisation_id):
    """The organisation's self-assessments, newest first (staff)"""
    services.get(organisation_id)
    return {"items": schemes.self_assessments_of(organisation_id)}


@blp.route("/self-assessments/<int:assessment_id>/review", methods=["PUT"])
@staff_only
@blp.arguments(ReviewRequestSchema)
@blp.response(200, SelfAssessmentSchema)
@documents_errors(blp, 401, 403, 404, 422)
def review_self_assessment(values, assessment_id):
    """Accept a self-assessment, or return it with a comment (staff; never the one who filed it)"""
    assessment = schemes.review(require_staff(), assessment_id, values["outcome"], values["comment"])
    db.session.commit()
    return assessment


@blp.route("/self-assessments/<int:assessment_id>/document.pdf")
@blp.doc(responses={"200": file_response("the self-assessment", "application/pdf")})
@documents_errors(blp, 401, 404)
def self_assessment_document(assessment_id):
    """The self-assessment's PDF (staff, and the organisation's admins)"""
    assessment = schemes.get_self_assessment(require_actor(), assessment_id)
    return files.send_attachment(schemes.document_path(assessment), "application/pdf", assessment.filename)


@blp.route("/organisations/<int:organisation_id>/people", methods=["POST"])
@admins_only
@blp.arguments(PersonRequestSchema)
@blp.response(201, PersonInvitedSchema)
@documents_errors(blp, 401, 404, 409, 422)
def add_person(values, organisation_id):
    """Add a member by their email (the organisation's admins): they belong once they confirm"""
    member = services.add_person(require_actor(), organisation_id, values["email"])
    db.session.commit()
    return {"member_id": member.id, "full_name": member.full_name, "status": "invited"}


@blp.route("/me/organisations/<int:organisation_id>/confirm", methods=["POST"])
@blp.response(201, AffiliationSchema)
@documents_errors(blp, 401, 404)
def confirm(organisation_id):
    """Confirm that I belong to an organisation whose admin added me"""
    affiliation = services.confirm_invitation(require_actor(), organisation_id)
    db.session.commit()
    return affiliation
