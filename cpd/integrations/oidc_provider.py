"""This platform as an OpenID Connect provider for the body's other systems, with Authlib's server.

What it follows: OpenID Connect Core 1.0 (the authorization code flow, section 3.1; ID token claims,
2; standard claims, 5.1), RFC 6749 (codes used once, refresh tokens), RFC 7636 with S256 only (every
client, confidential ones too, as OAuth 2.0 Security BCP, RFC 9700 2.1.1, advises), OpenID Connect
Discovery 1.0 and RP-Initiated Logout 1.0. Secrets, codes and tokens are kept only as digests.

Scopes: `openid`, `profile` (name), `email` (email, email_verified), `membership` (grade,
registrations, member_number). `sub` is the member number: stable, never reused, no personal data."""
import secrets
import time
from urllib.parse import urlsplit

import sqlalchemy as sa
from authlib.oauth2.rfc6749 import InvalidRequestError, grants
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.rpinitiated import EndSessionEndpoint
from flask import current_app, session
from flask_login import current_user, logout_user

from cpd.core.models import utcnow
from cpd.core.tokens import digest
from cpd.credentials import keys
from cpd.extensions import authorization_server, db, require_oauth
from cpd.integrations.models import OidcAuthorizationCode, OidcClient, OidcConsent, OidcToken
from cpd.members.models import Member

SCOPES = ("openid", "profile", "email", "membership")
CODE_SECONDS = 300
ACCESS_SECONDS = 3600
REFRESH_SECONDS = 30 * 24 * 3600


def issuer():
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


# --- clients ------------------------------------------------------------------------------------

def create_client(name, redirect_uris, post_logout_redirect_uris=(), actor=None):
    """(client, secret): a system that may sign people in through us; the secret is shown this once."""
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValueError("Name the client (up to 120 characters).")
    uris = [uri.strip() for uri in redirect_uris if uri and uri.strip()]
    if not uris:
        raise ValueError("Give at least one redirect URI.")
    for uri in [*uris, *post_logout_redirect_uris]:
        _check_redirect_uri(uri)
    secret = secrets.token_urlsafe(32)
    client = OidcClient(name=name, client_id=f"oidc_{secrets.token_hex(12)}", client_secret=digest(secret),
                        client_id_issued_at=int(time.time()), created_by_id=getattr(actor, "id", None))
    client.set_client_metadata({
        "client_name": name, "redirect_uris": uris, "post_logout_redirect_uris": list(post_logout_redirect_uris),
        "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
        "scope": " ".join(SCOPES), "token_endpoint_auth_method": "client_secret_basic"})
    db.session.add(client)
    db.session.flush()
    return client, secret


def _check_redirect_uri(uri):
    """https://, or http:// to loopback (RFC 8252 7.3); never a fragment (RFC 6749 3.1.2)."""
    parts = urlsplit(uri)
    loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.fragment or not parts.hostname or parts.scheme not in ("https", "http") or (
            parts.scheme == "http" and not loopback):
        raise ValueError(f"{uri} is not a redirect URI: use https:// (or http:// to 127.0.0.1), with no fragment.")


def client_search():
    return sa.select(OidcClient).order_by(OidcClient.created_at.desc(), OidcClient.id.desc())


def _query_client(client_id):
    return db.session.scalar(sa.select(OidcClient).where(OidcClient.client_id == str(client_id)))


# --- consent ------------------------------------------------------------------------------------

def has_consented(member, client, scope):
    consent = db.session.get(OidcConsent, (member.id, client.client_id))
    return consent is not None and set(scope.split()) <= set(consent.scope.split())


def give_consent(member, client, scope):
    consent = db.session.get(OidcConsent, (member.id, client.client_id))
    wanted = set(scope.split()) | (set(consent.scope.split()) if consent else set())
    if consent is None:
        db.session.add(OidcConsent(member_id=member.id, client_id=client.client_id, scope=" ".join(sorted(wanted)),
                                   given_at=utcnow()))
    else:
        consent.scope, consent.given_at = " ".join(sorted(wanted)), utcnow()
    db.session.flush()


# --- tokens and claims -------------------------------------------------------------------------

def _save_token(token, request):
    db.session.add(OidcToken(
        client_id=request.client.client_id, member_id=request.user.id, token_type=token["token_type"],
        access_token=digest(token["access_token"]),
        refresh_token=digest(token["refresh_token"]) if token.get("refresh_token") else None,
        scope=token.get("scope", ""), issued_at=int(time.time()), expires_in=int(token.get("expires_in", 0))))
    db.session.commit()


def user_info(member, scope):
    """The claims a scope gives (OpenID Connect Core 1.0, 5.4)."""
    scopes = set(scope.split())
    info = UserInfo(sub=member.member_number)
    if "profile" in scopes:
        info["name"] = member.full_name
        info["updated_at"] = int(member.updated_at.timestamp()) if member.updated_at else None
    if "email" in scopes:
        # The platform does not confirm the address an account is opened with, so it never vouches for it.
        info["email"], info["email_verified"] = member.email, False
    if "membership" in scopes:
        info["grade"] = member.grade
        info["member_number"] = member.member_number
        info["registrations"] = sorted({registration.title for registration in member.registrations})
    return info


class _S256Only(CodeChallenge):
    """PKCE for every client, S256 only."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):
        payload = grant.request.payload.data
        if not payload.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge with code_challenge_method=S256.")
        if payload.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Only code_challenge_method=S256 is accepted.")
        return super().validate_code_challenge(grant, redirect_uri)


class _AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code, request):
        payload = request.payload
        db.session.add(OidcAuthorizationCode(
            code=digest(code), client_id=request.client.client_id, redirect_uri=payload.redirect_uri,
            scope=payload.scope, member_id=request.user.id, nonce=payload.data.get("nonce"),
            code_challenge=payload.data.get("code_challenge"),
            code_challenge_method=payload.data.get("code_challenge_method"), auth_time=int(time.time())))
        db.session.commit()

    def query_authorization_code(self, code, client):
        found = db.session.scalar(sa.select(OidcAuthorizationCode).where(
            OidcAuthorizationCode.code == digest(code), OidcAuthorizationCode.client_id == client.client_id))
        if found is not None and found.auth_time + CODE_SECONDS >= time.time():
            return found
        return None

    def delete_authorization_code(self, authorization_code):
        db.session.delete(authorization_code)
        db.session.commit()

    def authenticate_user(self, authorization_code):
        return _live_member(authorization_code.member_id)


class _RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
    INCLUDE_NEW_REFRESH_TOKEN = True  # each refresh token is used once (rotated)

    def authenticate_refresh_token(self, refresh_token):
        token = db.session.scalar(sa.select(OidcToken).where(OidcToken.refresh_token == digest(refresh_token)))
        if token is None or token.refresh_token_revoked_at or token.issued_at + REFRESH_SECONDS < time.time():
            return None
        return token

    def authenticate_user(self, refresh_token):
        return _live_member(refresh_token.member_id)

    def revoke_old_credential(self, refresh_token):
        now = int(time.time())
        refresh_token.refresh_token_revoked_at = refresh_token.access_token_revoked_at = now
        db.session.commit()


class _OpenIDCode(OpenIDCode):
    def exists_nonce(self, nonce, request):
        return db.session.scalar(sa.select(OidcAuthorizationCode.id).where(
            OidcAuthorizationCode.client_id == request.payload.client_id,
            OidcAuthorizationCode.nonce == nonce)) is not None

    def resolve_client_private_key(self, client):
        return keys.current_key()[1]

    def get_encode_header(self, client):
        return {"alg": "RS256", "kid": keys.current_key()[0], "typ": "JWT"}

    def get_client_algorithm(self, client):
        return "RS256"

    def get_client_claims(self, client):
        return {"iss": issuer(), "aud": client.client_id, "exp": int(time.time()) + ACCESS_SECONDS}

    def generate_user_info(self, user, scope):
        return user_info(user, scope)


class _EndSession(EndSessionEndpoint):
    def get_server_jwks(self):
        return keys.public_jwks()

    def get_algorithms(self):
        return ["RS256"]

    def end_session(self, end_session_request):
        claims = end_session_request.id_token_claims or {}
        if current_user.is_authenticated and claims.get("sub") in (None, current_user.member_number):
            logout_user()
            session.clear()


class _AccessTokens(BearerTokenValidator):
    def authenticate_token(self, token_string):
        return db.session.scalar(sa.select(OidcToken).where(OidcToken.access_token == digest(token_string)))


def _live_member(member_id):
    member = db.session.get(Member, member_id)
    return member if member is not None and member.erased_at is None else None


def token_owner(token):
    return _live_member(token.member_id)


def configure(app):
    """Authlib's server, with our grants, PKCE, OpenID Connect and logout; the userinfo protector."""
    app.config.setdefault("OAUTH2_REFRESH_TOKEN_GENERATOR", True)
    app.config.setdefault("OAUTH2_TOKEN_EXPIRES_IN", {"authorization_code": ACCESS_SECONDS})
    app.config.setdefault("OAUTH2_SCOPES_SUPPORTED", list(SCOPES))
    authorization_server.init_app(app, query_client=_query_client, save_token=_save_token)
    authorization_server.register_grant(_AuthorizationCodeGrant, [_S256Only(required=True),
                                                                  _OpenIDCode(require_nonce=False)])
    authorization_server.register_grant(_RefreshTokenGrant)
    authorization_server.register_endpoint(_EndSession)
    require_oauth.register_token_validator(_AccessTokens())


def discovery(url_for):
    """OpenID Connect Discovery 1.0, section 3."""
    return {
        "issuer": issuer(),
        "authorization_endpoint": url_for("oidc.authorize"),
        "token_endpoint": url_for("oidc.token"),
        "userinfo_endpoint": url_for("oidc.userinfo"),
        "end_session_endpoint": url_for("oidc.logout"),
        "jwks_uri": url_for("credentials.jwks"),
        "scopes_supported": list(SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name", "email",
                             "email_verified", "grade", "registrations", "member_number"],
    }
