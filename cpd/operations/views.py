"""GET /metrics for Prometheus: with METRICS_TOKEN (a bearer token) or a staff API token."""
import hmac

from flask import Blueprint, Response, current_app, request

from cpd.web.current import api_actor
from cpd.core.errors import json_error
from cpd.core.observability import exposition
from cpd.operations.gauges import OutboxAndBookings

bp = Blueprint("operations", __name__)


def _allowed():
    expected = current_app.config.get("METRICS_TOKEN") or ""
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if expected and given and hmac.compare_digest(given.encode(), expected.encode()):
        return True
    actor = api_actor() if given else None
    return actor is not None and actor.is_staff


@bp.route("/metrics")
def metrics():
    if not _allowed():
        return json_error(401, "Give the metrics token (or a staff API token) as a bearer token.",
                          headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    app = current_app._get_current_object()
    body, content_type = exposition(app, OutboxAndBookings(app))
    return Response(body, content_type=content_type, headers={"Cache-Control": "no-store"})
