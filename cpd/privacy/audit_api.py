"""/api/v1/audit-log: staff read who did what, when."""
import marshmallow as ma

from cpd.web.current import staff_only
from cpd.core import audit
from cpd.core.api import Blueprint, documents_errors
from cpd.core.pagination import PageArgsSchema, list_schema, page_args, paginate
from cpd.core.schemas import Text
from cpd.core.limits import DATABASE_ID

blp = Blueprint("api_audit", __name__, description="The audit log (staff)")


class AuditEntrySchema(ma.Schema):
    id = ma.fields.Integer()
    actor_id = ma.fields.Integer(allow_none=True)
    action = ma.fields.String()
    target_type = ma.fields.String(allow_none=True)
    target_id = ma.fields.Integer(allow_none=True)
    details = ma.fields.Dict()
    ip_address = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class AuditArgsSchema(PageArgsSchema):
    action = Text(max_length=64)
    actor_id = ma.fields.Integer(validate=ma.validate.Range(min=DATABASE_ID.low, max=DATABASE_ID.high))


@blp.route("")
@blp.arguments(AuditArgsSchema, location="query")
@blp.response(200, list_schema(AuditEntrySchema, "AuditEntryList"))
@documents_errors(blp, 401, 403, 422)
@staff_only
def audit_log(args):
    filters, page, per_page = page_args(args)
    return paginate(audit.search(**filters), page, per_page)
