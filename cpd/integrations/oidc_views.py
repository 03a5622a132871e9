"""Single sign-on, the provider's pages and endpoints: discovery, the authorization page (with consent
on first use per client), the token and userinfo endpoints, RP-initiated logout, and the staff page
that registers clients. The token and userinfo endpoints are called by other systems' servers, with
their own credentials, so they take no CSRF token."""
from authlib.integrations.flask_oauth2 import current_token
from authlib.oauth2 import OAuth2Error
from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from cpd.core.pagination import paginate
from cpd.core.urls import public_url
from cpd.extensions import authorization_server, csrf, db, require_oauth
from cpd.integrations import oidc_provider
from cpd.web.forms import ConfirmForm
from cpd.web.pages import page_number, staff_required

bp = Blueprint("oidc", __name__)

SCOPE_WORDS = {
    "openid": "know who you are on this platform (your member number)",
    "profile": "see your name",
    "email": "see your email address",
    "membership": "see your grade, your professional registrations and your member number",
}


def _external(endpoint):
    """Every address the provider publishes is under its issuer (Discovery 1.0, section 3)."""
    return public_url(endpoint)


@bp.route("/.well-known/openid-configuration")
def discovery():
    response = jsonify(oidc_provider.discovery(_external))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _error_answer(error):
    """An error the client hears at its redirect URI (OpenID Connect Core 3.1.2.6) when it has a valid
    one; otherwise, the person sees the error here, never sent on to an address we cannot trust."""
    if getattr(error, "redirect_uri", None):
        return authorization_server.handle_error_response(None, error)
    return render_template("integrations/oidc_error.html", error=error.error,
                           description=error.get_error_description()), error.status_code


@bp.route("/oauth/authorize", methods=["GET", "POST"])
def authorize():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.signin", next=request.full_path))
    try:
        grant = authorization_server.get_consent_grant(end_user=current_user)
    except OAuth2Error as error:
        return _error_answer(error)
    client, scope = grant.client, grant.request.payload.scope or ""
    form = ConfirmForm()
    if request.method == "GET" and oidc_provider.has_consented(current_user, client, scope):
        return authorization_server.create_authorization_response(grant=grant, grant_user=current_user)
    if form.validate_on_submit():
        if request.form.get("decision") != "allow":
            return authorization_server.create_authorization_response(grant=grant, grant_user=None)
        oidc_provider.give_consent(current_user, client, scope)
        db.session.commit()
        return authorization_server.create_authorization_response(grant=grant, grant_user=current_user)
    return render_template("integrations/consent.html", form=form, client=client,
                           scopes=[SCOPE_WORDS[word] for word in oidc_provider.SCOPES if word in scope.split()])


@bp.route("/oauth/token", methods=["POST"])
@csrf.exempt
def token():
    return authorization_server.create_token_response()


@bp.route("/oauth/userinfo", methods=["GET", "POST"])
@csrf.exempt
@require_oauth("openid")
def userinfo():
    member = oidc_provider.token_owner(current_token)
    if member is None:
        return jsonify(error="invalid_token", error_description="The account no longer exists."), 401
    return jsonify(dict(oidc_provider.user_info(member, current_token.scope)))


@bp.route("/oauth/logout", methods=["GET", "POST"])
def logout():
    """RP-Initiated Logout 1.0: with a valid id_token_hint at once; without one, after the person
    confirms (section 6), and back to the client only to a post-logout URI it registered."""
    try:
        end_session = authorization_server.validate_endpoint_request("end_session")
    except OAuth2Error as error:
        return _error_answer(error)
    form = ConfirmForm()
    if end_session.needs_confirmation and not form.validate_on_submit():
        return render_template("integrations/logout.html", form=form, client=end_session.client)
    answer = authorization_server.create_endpoint_response("end_session", end_session)
    if answer is not None:
        return answer
    flash("You are signed out.", "success")
    return redirect(url_for("auth.signin"))


# --- staff: the clients --------------------------------------------------------------------------

class ClientForm(FlaskForm):
    name = StringField("Name of the system", validators=[DataRequired(), Length(max=120)])
    redirect_uris = TextAreaField("Redirect URIs, one a line", validators=[DataRequired(), Length(max=2000)],
                                  description="Matched exactly. https://, or http:// to 127.0.0.1 for testing.")
    post_logout_redirect_uris = TextAreaField("Where to return after signing out, one a line",
                                              validators=[Length(max=2000)])


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@bp.route("/staff/sign-on-clients", methods=["GET", "POST"])
@staff_required
def clients():
    form, made = ClientForm(), None
    if form.validate_on_submit():
        try:
            client, secret = oidc_provider.create_client(form.name.data, _lines(form.redirect_uris.data),
                                                         _lines(form.post_logout_redirect_uris.data), current_user)
        except ValueError as error:
            db.session.rollback()
            form.redirect_uris.errors = [str(error)]
        else:
            db.session.commit()
            made = {"client_id": client.client_id, "secret": secret, "name": client.name}
            form = ClientForm(formdata=None)
    listing = paginate(oidc_provider.client_search(), page_number(), 25)
    return render_template("integrations/clients.html", form=form, made=made, listing=listing,
                           discovery=_external("oidc.discovery")), 422 if form.errors else 200
