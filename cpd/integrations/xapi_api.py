"""/api/v1/xapi: where the body's learning systems send xAPI 1.0.3 statements (HTTP Basic, one key
and secret per client), and where staff match the completions of people we did not recognise.

The statements resource answers as xAPI 1.0.3, part three, says: POST → 200 and the statement
ids, PUT with `statementId` → 204, every answer carrying `X-Experience-API-Version`; a request
without that header, or with a version we do not speak, is 400."""
from flask import abort, current_app, g, jsonify, request

from cpd.core.api import Blueprint, documents_errors
from cpd.core.errors import json_error
from cpd.core.pagination import paginate
from cpd.extensions import db
from cpd.integrations import xapi
from cpd.integrations.schemas import (MatchRequestSchema, UnmatchedArgsSchema, TakenStatementListSchema,
                                      TakenStatementSchema)
from cpd.web.current import access, public, require_staff, staff_only

blp = Blueprint("api_xapi", __name__, description="Learning recorded in the body's other systems (xAPI 1.0.3)")

VERSION = "1.0.3"
BASIC = [{"basicAuth": []}]
_STATEMENTS_BODY = {"required": True, "content": {"application/json": {"schema": {
    "oneOf": [{"type": "object", "description": "one xAPI statement"},
              {"type": "array", "items": {"type": "object"}, "description": "a batch, taken whole or not at all"}]}}}}


def _client_check(**_):
    client = xapi.client_for(request.headers.get("Authorization"))
    if client is None:
        abort(json_error(401, "Send the client's key and secret (flask xapi clients create) as HTTP Basic.",
                         headers={"WWW-Authenticate": 'Basic realm="xAPI"', "X-Experience-API-Version": VERSION}))
    g.xapi_client = client


def _basic_auth(view):
    view = access(_client_check)(view)
    view.openapi_security = BASIC
    return view


@blp.after_request
def _say_the_version(response):
    response.headers["X-Experience-API-Version"] = VERSION
    return response


def _refusal(message, errors=None, status=400):
    return json_error(status, message, errors)


def _statements_sent():
    """The parsed statements, or the 400 that refuses them."""
    version = request.headers.get("X-Experience-API-Version", "")
    if not version:
        return None, _refusal("Send the X-Experience-API-Version header (1.0.3).")
    if not version.startswith("1.0"):
        return None, _refusal(f"xAPI version {version} is not spoken here: send 1.0.3.")
    sent = request.get_json(silent=True)
    if sent is None:
        return None, _refusal("Send the statements as JSON (Content-Type: application/json).")
    if isinstance(sent, list) and len(sent) > current_app.config["XAPI_BATCH_LIMIT"]:
        return None, _refusal(f"Send at most {current_app.config['XAPI_BATCH_LIMIT']} statements at a time.",
                              status=413)
    return sent, None


def _take(sent):
    try:
        ids, _ = xapi.take(sent, g.xapi_client.name)
    except xapi.BadStatements as error:
        db.session.rollback()
        return None, _refusal(error.message, error.errors)
    db.session.commit()
    return ids, None


@blp.route("/statements", methods=["POST"])
@_basic_auth
@blp.doc(requestBody=_STATEMENTS_BODY, responses={"200": {"description": "the statement ids, in order", "content": {
    "application/json": {"schema": {"type": "array", "items": {"type": "string", "format": "uuid"}}}}}})
@documents_errors(blp, 400, 401, 413)
def post_statements():
    """Take statements from a learning system: completions become CPD records"""
    sent, refusal = _statements_sent()
    if refusal:
        return refusal
    ids, refusal = _take(sent)
    return refusal or jsonify(ids)


@blp.route("/statements", methods=["PUT"])
@_basic_auth
@blp.doc(requestBody=_STATEMENTS_BODY, parameters=[{"name": "statementId", "in": "query", "required": True,
                                                    "schema": {"type": "string", "format": "uuid"}}],
         responses={"204": {"description": "taken (or taken before)"}})
@documents_errors(blp, 400, 401)
def put_statement():
    """Take one statement under the id it names"""
    sent, refusal = _statements_sent()
    if refusal:
        return refusal
    statement_id = request.args.get("statementId", "")
    if not isinstance(sent, dict) or not statement_id:
        return _refusal("PUT one statement, with its id as the statementId parameter.")
    if sent.get("id") not in (None, statement_id):
        return _refusal("The statement's id is not the statementId parameter.", {"id": ["Differs from statementId."]})
    _, refusal = _take({**sent, "id": statement_id})
    return refusal or ("", 204)


@blp.route("/about")
@public
@blp.doc(responses={"200": {"description": "the xAPI versions spoken", "content": {"application/json": {
    "schema": {"type": "object", "properties": {"version": {"type": "array", "items": {"type": "string"}}}}}}}})
def about():
    """The xAPI versions this endpoint speaks"""
    return jsonify(version=[VERSION])


@blp.route("/unmatched")
@staff_only
@blp.arguments(UnmatchedArgsSchema, location="query")
@blp.response(200, TakenStatementListSchema)
@documents_errors(blp, 401, 403, 422)
def unmatched(args):
    """Completions for people we did not recognise (staff), newest first"""
    require_staff()
    return paginate(xapi.unmatched_search(args["q"].strip()), args["page"], args["per_page"])


@blp.route("/unmatched/<int:statement_id>/match", methods=["POST"])
@staff_only
@blp.arguments(MatchRequestSchema)
@blp.response(200, TakenStatementSchema)
@documents_errors(blp, 401, 403, 404, 422)
def match(values, statement_id):
    """Name the member a completion is for: it becomes their CPD record (staff)"""
    statement = xapi.match(require_staff(), statement_id, values["member_id"])
    db.session.commit()
    return statement
