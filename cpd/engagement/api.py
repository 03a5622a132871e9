"""/api/v1/engagements and /api/v1/supporters (staff)."""
from flask.views import MethodView

from cpd.web.current import require_staff, staff_only
from cpd.core.api import Blueprint, documents_errors
from cpd.core.pagination import PageArgsSchema, page_args, paginate
from cpd.engagement import services
from cpd.engagement.schemas import (EngagementArgsSchema, EngagementListSchema, EngagementSchema,
                                    SupporterListSchema, SupporterSchema)
from cpd.extensions import db

blp = Blueprint("api_engagement", __name__, description="Outside engagement and technical supporters")


@blp.route("/engagements")
class Engagements(MethodView):
    @blp.arguments(EngagementArgsSchema, location="query")
    @blp.response(200, EngagementListSchema)
    @documents_errors(blp, 401, 403, 422)
    @staff_only
    def get(self, args):
        """Engagement with government, industry and education (staff)"""
        filters, page, per_page = page_args(args)
        return paginate(services.engagement_search(**filters), page, per_page)

    @blp.arguments(EngagementSchema)
    @blp.response(201, EngagementSchema)
    @documents_errors(blp, 400, 401, 403, 422)
    @staff_only
    def post(self, values):
        """Record an engagement (staff)"""
        engagement = services.record_engagement(require_staff(), values)
        db.session.commit()
        return engagement


@blp.route("/supporters")
class Supporters(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, SupporterListSchema)
    @documents_errors(blp, 401, 403, 422)
    @staff_only
    def get(self, args):
        """Technical supporters (staff)"""
        return paginate(services.supporter_search(), args["page"], args["per_page"])

    @blp.arguments(SupporterSchema)
    @blp.response(201, SupporterSchema)
    @documents_errors(blp, 400, 401, 403, 422)
    @staff_only
    def post(self, values):
        """Add a technical supporter (staff)"""
        supporter = services.add_supporter(require_staff(), values)
        db.session.commit()
        return supporter
