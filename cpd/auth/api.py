"""/api/v1/auth: register, and get or revoke a bearer token."""
from flask_smorest import Blueprint

from cpd.auth import services
from cpd.auth.current import bearer_token, require_actor
from cpd.auth.limits import (
    account_lockout_limit,
    attempted_account,
    failed_sign_in,
    note_failed_sign_in,
    register_limit,
    sign_in_limit,
)
from cpd.auth.schemas import RegisterSchema, TokenRequestSchema, TokenSchema
from cpd.core import audit
from cpd.core.api import BEARER, documents_errors
from cpd.core.errors import Unauthorized
from cpd.extensions import db, limiter
from cpd.members.schemas import MemberSchema

blp = Blueprint("api_auth", __name__, description="Accounts and API tokens")

WRONG_CREDENTIALS = "Wrong email or password."


@blp.route("/register", methods=["POST"])
@limiter.limit(register_limit)
@blp.arguments(RegisterSchema)
@blp.response(201, MemberSchema)
@documents_errors(blp, 400, 409, 413, 422, 429)
def register(account):
    member = services.create_account(**account)
    db.session.commit()
    return member


@blp.route("/token", methods=["POST"])
@limiter.limit(sign_in_limit, deduct_when=failed_sign_in)
@limiter.limit(account_lockout_limit, key_func=attempted_account, deduct_when=failed_sign_in,
               error_message="Too many failed sign-ins for this account: try again later.")
@blp.arguments(TokenRequestSchema)
@blp.response(200, TokenSchema)
@documents_errors(blp, 400, 401, 422, 429)
def create_token(credentials):
    member = services.authenticate(credentials["email"], credentials["password"])
    if member is None:
        note_failed_sign_in()
        audit.record(None, "sign_in_failed", via="api", email=credentials["email"][:254])
        db.session.commit()
        raise Unauthorized(WRONG_CREDENTIALS)
    raw, token = services.issue_token(member)
    audit.record(member, "sign_in", "member", member.id, via="api")
    db.session.commit()
    return {"token": raw, "expires_at": token.expires_at}


@blp.route("/token", methods=["DELETE"])
@blp.doc(security=BEARER)
@blp.response(204)
@documents_errors(blp, 401)
def revoke_token():
    require_actor()
    token = bearer_token()
    if token is None:
        raise Unauthorized("Send the token to revoke as: Authorization: Bearer TOKEN.")
    services.revoke_token(token)
    db.session.commit()
