"""A person's data in the API: everything held on me as a zip, erasing my account, and staff erasing
a member's. Erasure anonymises the person and keeps the figures (cpd.privacy.services)."""
from flask import Response

from cpd.core.api import Blueprint, documents_errors, file_response
from cpd.extensions import db
from cpd.members import services as member_services
from cpd.members.schemas import MemberSchema
from cpd.privacy import services
from cpd.web.current import require_actor, require_staff, staff_only

blp = Blueprint("api_privacy", __name__, description="Personal data: a download of it, and erasure")


@blp.route("/me", methods=["DELETE"])
@blp.doc(description="Erase my account: personal data anonymised, evidence deleted, figures kept.")
@blp.response(204)
@documents_errors(blp, 401, 409)
def erase_my_account():
    member = require_actor()
    services.erase_member(member, member)
    db.session.commit()


@blp.route("/me/export")
@blp.doc(responses={"200": file_response("everything held on me: JSON and evidence files", "application/zip")})
@documents_errors(blp, 401)
def export_my_data():
    content = services.export_zip(require_actor())
    db.session.commit()
    return Response(content, mimetype="application/zip",
                    headers={"Content-Disposition": 'attachment; filename="my-data.zip"'})


@blp.route("/members/<int:member_id>/erase", methods=["POST"])
@blp.response(200, MemberSchema)
@documents_errors(blp, 401, 403, 404, 409)
@staff_only
def erase_member(member_id):
    member = services.erase_member(require_staff(), member_services.get_member(member_id))
    db.session.commit()
    return member
