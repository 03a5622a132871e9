"""Health checks for load balancers: /healthz does no database work (the stack's own limit in
the benchmark); /readyz also asks the database."""
import sqlalchemy as sa
from flask import Blueprint, jsonify

from cpd.extensions import db

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
    return jsonify(status="ok", database="ok")
