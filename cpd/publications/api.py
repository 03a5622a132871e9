"""/api/v1/publications: the body's publications (anyone), published by staff, read by members."""
from flask.views import MethodView

from cpd.web.current import public, require_actor, require_staff, staff_only
from cpd.core.api import Blueprint, documents_errors
from cpd.core.pagination import page_args, paginate
from cpd.extensions import db
from cpd.publications import services
from cpd.publications.schemas import PublicationArgsSchema, PublicationListSchema, PublicationSchema
from cpd.records.schemas import CpdRecordSchema

blp = Blueprint("api_publications", __name__, description="Publications the body issues")


@blp.route("")
class Publications(MethodView):
    @public
    @blp.arguments(PublicationArgsSchema, location="query")
    @blp.response(200, PublicationListSchema)
    @documents_errors(blp, 422)
    def get(self, args):
        """The body's publications, newest first"""
        filters, page, per_page = page_args(args)
        return paginate(services.publication_search(**filters), page, per_page)

    @blp.arguments(PublicationSchema)
    @blp.response(201, PublicationSchema)
    @documents_errors(blp, 400, 401, 403, 422)
    @staff_only
    def post(self, values):
        """Publish (staff)"""
        publication = services.publish(require_staff(), values)
        db.session.commit()
        return publication


@blp.route("/<int:publication_id>/read", methods=["POST"])
@blp.response(201, CpdRecordSchema)
@documents_errors(blp, 401, 404, 409)
def read(publication_id):
    """I read this: a draft CPD record to reflect on"""
    record = services.read(require_actor(), services.get_publication(publication_id))
    db.session.commit()
    return record
