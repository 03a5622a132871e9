"""/api/v1/metrics/kpis: the strategy's measures for a year (staff)."""

from flask.views import MethodView

from cpd.web.current import require_staff, staff_only
from cpd.core.api import Blueprint, documents_errors
from cpd.extensions import db
from cpd.metrics import measures, targets
from cpd.metrics.schemas import KpiArgsSchema, KpiSchema, TargetArgsSchema, TargetChangeSchema, TargetsSchema

blp = Blueprint("api_metrics", __name__, description="The strategy's measures")


@blp.route("/kpis")
@blp.arguments(KpiArgsSchema, location="query")
@blp.response(200, KpiSchema)
@documents_errors(blp, 401, 403, 422)
@staff_only
def kpis(args):
    """The strategy's measures for a year"""
    return {**measures.kpis(args["year"]).as_dict(), "explanations": measures.EXPLANATIONS}


def _targets_of(year):
    return {"year": year, "targets": targets.targets_for(year),
            "measures": {measure: name for measure, (name, _) in targets.HEADLINES.items()}}


@blp.route("/targets")
class Targets(MethodView):
    @blp.arguments(TargetArgsSchema, location="query")
    @blp.response(200, TargetsSchema)
    @documents_errors(blp, 401, 403, 422)
    @staff_only
    def get(self, args):
        """The year's targets (staff)"""
        return _targets_of(args["year"])

    @blp.arguments(TargetChangeSchema)
    @blp.response(200, TargetsSchema)
    @documents_errors(blp, 400, 401, 403, 422)
    @staff_only
    def put(self, change):
        """Set, or with null remove, one measure's target for a year (staff)"""
        targets.set_target(require_staff(), change["year"], change["measure"], change["target"])
        db.session.commit()
        return _targets_of(change["year"])
