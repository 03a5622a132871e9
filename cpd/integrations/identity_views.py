"""Signing in through the body's identity provider: "Sign in with ..." on the sign-in page sends the
person there, and the provider sends them back here with a code (OpenID Connect's code flow)."""
from authlib.integrations.base_client.errors import OAuthError
from flask import Blueprint, abort, flash, redirect, request, session, url_for
from flask_login import current_user

from cpd.auth.views import start_session
from cpd.core.urls import public_url
from cpd.extensions import db
from cpd.integrations import identity_provider
from cpd.web.redirects import safe_next

bp = Blueprint("sso", __name__)

NEXT_KEY = "sso_next"


@bp.route("/signin/provider")
def start():
    if not identity_provider.is_configured():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    session[NEXT_KEY] = safe_next(request.args.get("next", "")) or ""
    return identity_provider.client().authorize_redirect(public_url("sso.callback"))


@bp.route("/signin/provider/callback")
def callback():
    if not identity_provider.is_configured():
        abort(404)
    try:
        token = identity_provider.client().authorize_access_token()
        member = identity_provider.member_for(token.get("userinfo") or {})
    except OAuthError as error:
        flash(f"The identity provider did not sign you in ({error.error}). Try again, or use your password.", "error")
        return redirect(url_for("auth.signin"))
    except identity_provider.NotLinked as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return redirect(url_for("auth.signin"))
    next_page = session.pop(NEXT_KEY, "")
    db.session.commit()
    start_session(member)
    return redirect(next_page or url_for("home.index"))
