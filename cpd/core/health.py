"""Health checks for load balancers: /healthz does no database work (the stack's own limit in
the benchmark); /readyz also asks the database, and the rate limits' store when it is shared."""
import logging

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from cpd.extensions import db, limiter

log = logging.getLogger("cpd.health")

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.route("/readyz")
def readyz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503, {"Retry-After": "5"}
    limits = rate_limit_store()
    if limits == "degraded":
        # Still ready: limits fail open to each process's memory, so signing in goes on.
        return jsonify(status="degraded", database="ok", rate_limits=limits)
    return jsonify(status="ok", database="ok", rate_limits=limits)


def rate_limit_store():
    """"ok", "degraded" (the shared store does not answer: each process limits on its own) or
    "process" (limits kept in each process's memory by choice, or turned off)."""
    uri = current_app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if not current_app.config.get("RATELIMIT_ENABLED", True) or uri.startswith("memory://"):
        return "process"
    try:
        answered = limiter.storage.check()
    except Exception as error:  # whatever the store's client raises, the answer is the same
        log.warning("rate limit store unreachable: %s", error)
        answered = False
    return "ok" if answered else "degraded"
