"""/api/v1/auth: register, get or revoke a bearer token, reset a forgotten password."""
from flask.views import MethodView

from cpd.auth import links, services, two_factor
from cpd.web.current import bearer_token, enrolling, public, require_actor
from cpd.auth.limits import (
    account_lockout_limit,
    attempted_account,
    conflicting_sign_up,
    failed_sign_in,
    note_failed_sign_in,
    register_conflict_limit,
    register_limit,
    reset_account_limit,
    reset_limit,
    sign_in_limit,
)
from cpd.auth.schemas import (
    AcceptedSchema,
    EmailChangeSchema,
    NewPasswordSchema,
    PasswordChangeSchema,
    PasswordResetRequestSchema,
    RecoveryCodesSchema,
    RegisterSchema,
    TokenRequestSchema,
    TokenSchema,
    TwoFactorCodeSchema,
    TwoFactorEnrolmentSchema,
    TwoFactorStatusSchema,
)
from cpd.core import audit
from cpd.core.api import Blueprint, documents_errors
from cpd.core.errors import Forbidden, Unauthorized
from cpd.extensions import db, limiter
from cpd.members.schemas import MemberSchema

blp = Blueprint("api_auth", __name__, description="Accounts, API tokens and password resets")

WRONG_CREDENTIALS = "Wrong email, password or authentication code."
RESET_REQUESTED = ("If an account has this email address, a link to choose a new password is on its way. "
                   "It works once, for one hour.")


@blp.route("/register", methods=["POST"])
@public
@limiter.shared_limit(register_limit, scope="sign_up")
@limiter.shared_limit(register_conflict_limit, scope="sign_up_conflict", deduct_when=conflicting_sign_up)
@blp.arguments(RegisterSchema)
@blp.response(201, MemberSchema)
@documents_errors(blp, 400, 409, 413, 422, 429)
def register(account):
    member = services.create_account(**account)
    db.session.commit()
    return member


@blp.route("/token", methods=["POST"])
@public
@limiter.shared_limit(sign_in_limit, scope="sign_in", deduct_when=failed_sign_in)
@limiter.shared_limit(account_lockout_limit, scope="sign_in_account", key_func=attempted_account,
                      deduct_when=failed_sign_in,
                      error_message="Too many failed sign-ins for this account: try again later.")
@blp.arguments(TokenRequestSchema)
@blp.response(200, TokenSchema)
@blp.doc(description="Staff with two-factor sign-in on send `code` too. With STAFF_SSO_ONLY, staff sign in "
                     "through the body's identity provider instead (403).")
@documents_errors(blp, 400, 401, 403, 422, 429)
def create_token(credentials):
    member = services.authenticate(credentials["email"], credentials["password"], credentials.get("code"))
    if member is None:
        db.session.rollback()  # a recovery code is used up only by a sign-in that succeeds
        note_failed_sign_in()
        audit.record(None, "sign_in_failed", via="api", email=audit.typed_email(credentials["email"]))
        db.session.commit()
        raise Unauthorized(WRONG_CREDENTIALS)
    refusal = services.password_refusal(member)
    if refusal:
        db.session.rollback()
        raise Forbidden(refusal)
    raw, token = services.issue_token(member)
    audit.record(member, "sign_in", "member", member.id, via="api")
    db.session.commit()
    return {"token": raw, "expires_at": token.expires_at}


@blp.route("/token", methods=["DELETE"])
@blp.response(204)
@documents_errors(blp, 401)
def revoke_token():
    require_actor()
    token = bearer_token()
    if token is None:
        raise Unauthorized("Send the token to revoke as: Authorization: Bearer TOKEN.")
    services.revoke_token(token)
    db.session.commit()


@blp.route("/password-reset", methods=["POST"])
@public
@limiter.shared_limit(reset_limit, scope="password_reset")
@limiter.shared_limit(reset_account_limit, scope="password_reset_account", key_func=attempted_account)
@blp.arguments(PasswordResetRequestSchema)
@blp.response(202, AcceptedSchema)
@blp.doc(description="The same answer whether or not the address has an account; the link comes by email.")
@documents_errors(blp, 400, 422, 429)
def request_password_reset(request_body):
    links.request_password_reset(request_body["email"])
    db.session.commit()
    return {"message": RESET_REQUESTED}


@blp.route("/password-reset/<token>", methods=["POST"])
@public
@limiter.shared_limit(reset_limit, scope="password_reset")
@blp.arguments(NewPasswordSchema)
@blp.response(204)
@blp.doc(description="Set a new password with the link's token: every session and API token of the account "
                     "ends. 404 for a link that does not exist, 410 for one used or expired.")
@documents_errors(blp, 400, 404, 410, 422, 429)
def reset_password(new_password, token):
    links.reset_password(token, new_password["password"])
    db.session.commit()


account_blp = Blueprint("api_account", __name__, description="The signed-in person's password, email, "
                        "sessions and two-factor sign-in")


@account_blp.route("/password", methods=["POST"])
@account_blp.doc(description="Every other session and API token of the account ends.")
@account_blp.arguments(PasswordChangeSchema)
@account_blp.response(204)
@documents_errors(account_blp, 400, 401, 422)
def change_password(change):
    member = require_actor()
    services.change_password(member, change["current_password"], change["new_password"], keep_token=bearer_token())
    db.session.commit()


@account_blp.route("/email", methods=["POST"])
@account_blp.doc(description="The new address gets a link; the change takes effect when it "
                                              "is followed. The old address is told.")
@account_blp.arguments(EmailChangeSchema)
@account_blp.response(202, AcceptedSchema)
@documents_errors(account_blp, 400, 401, 409, 422)
def change_email(change):
    member = require_actor()
    links.request_email_change(member, change["email"], change["password"])
    db.session.commit()
    return {"message": "A link is on its way to the new address: the change takes effect when it is followed."}


@account_blp.route("/sessions", methods=["DELETE"])
@account_blp.doc(description="Sign out everywhere: every page session and API token ends, "
                                              "this one included.")
@account_blp.response(204)
@documents_errors(account_blp, 401)
def sign_out_everywhere():
    member = require_actor()
    services.end_sessions(member)
    audit.record(member, "signed_out_everywhere", "member", member.id)
    db.session.commit()


@account_blp.route("/two-factor")
class TwoFactor(MethodView):
    @account_blp.response(200, TwoFactorStatusSchema)
    @documents_errors(account_blp, 401)
    @enrolling
    def get(self):
        member = require_actor(enrolling=True)
        return {"enabled": member.has_two_factor, "required": two_factor.is_required_for(member),
                "recovery_codes_left": two_factor.recovery_codes_left(member)}

    @account_blp.doc(description="Start enrolment: a new secret for an authenticator app. "
                                                  "It takes effect once confirmed with a code.")
    @account_blp.response(201, TwoFactorEnrolmentSchema)
    @documents_errors(account_blp, 401, 409)
    @enrolling
    def post(self):
        member = require_actor(enrolling=True)
        details = two_factor.begin_enrolment(member)
        db.session.commit()
        return details

    @account_blp.doc(description="Turn two-factor sign-in off (not for staff who must keep it).")
    @account_blp.arguments(TwoFactorCodeSchema)
    @account_blp.response(204)
    @documents_errors(account_blp, 400, 401, 403, 422)
    def delete(self, confirmation):
        member = require_actor()
        two_factor.turn_off_with_code(member, confirmation["code"])
        db.session.commit()


@account_blp.route("/two-factor/confirm", methods=["POST"])
@account_blp.doc(description="Every other session and API token of the account ends.")
@account_blp.arguments(TwoFactorCodeSchema)
@account_blp.response(200, RecoveryCodesSchema)
@documents_errors(account_blp, 400, 401, 409, 422)
@enrolling
def confirm_two_factor(confirmation):
    member = require_actor(enrolling=True)
    codes = services.turn_on_two_factor(member, confirmation["code"], keep_token=bearer_token())
    db.session.commit()
    return {"recovery_codes": codes}
