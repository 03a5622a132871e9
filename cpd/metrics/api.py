"""/api/v1/metrics/kpis: the strategy's measures for a year (staff)."""

from cpd.auth.current import require_staff
from cpd.core.api import BEARER, Blueprint, documents_errors
from cpd.metrics import measures
from cpd.metrics.schemas import KpiArgsSchema, KpiSchema

blp = Blueprint("api_metrics", __name__, description="The strategy's measures")


@blp.route("/kpis")
@blp.doc(security=BEARER)
@blp.arguments(KpiArgsSchema, location="query")
@blp.response(200, KpiSchema)
@documents_errors(blp, 401, 403, 422)
def kpis(args):
    """The strategy's measures for a year"""
    require_staff()
    return {**measures.kpis(args["year"]).as_dict(), "explanations": measures.EXPLANATIONS}
