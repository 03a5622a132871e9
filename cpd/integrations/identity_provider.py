"""Single sign-on the other way: people sign in here through the body's own identity provider
(OpenID Connect; OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET), with Authlib's Flask client:
the authorization code flow with PKCE S256 and a nonce, the ID token checked against the provider's
published keys, issuer and audience.

An account is matched by email only when the provider says it verified that email (OpenID Connect
Core 1.0, 5.1: `email_verified`); an unverified email never links, and nobody is matched by name."""
from flask import current_app

from cpd.auth.services import find_by_email
from cpd.core import audit
from cpd.extensions import identity_providers

PROVIDER = "body"


class NotLinked(Exception):
    """The person the provider vouched for has no account here we may sign them in to."""


def configure(app):
    issuer = app.config.get("OIDC_ISSUER", "").rstrip("/")
    identity_providers.init_app(app)
    if issuer:
        identity_providers.register(
            PROVIDER, client_id=app.config["OIDC_CLIENT_ID"], client_secret=app.config["OIDC_CLIENT_SECRET"],
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256", "timeout": 10})


def is_configured():
    return bool(current_app.config.get("OIDC_ISSUER"))


def client():
    return identity_providers.create_client(PROVIDER)


def _verified(claims):
    return claims.get("email_verified") in (True, "true")


def member_for(claims):
    """The account the provider's claims name by a verified email; NotLinked (why) otherwise."""
    email = (claims.get("email") or "").strip()
    if not email:
        raise NotLinked("The identity provider did not give an email address, so no account here can be found.")
    if not _verified(claims):
        raise NotLinked("The identity provider has not verified your email address, so it is not linked to an "
                        "account here. Sign in with your password, or verify the address with the provider first.")
    member = find_by_email(email)
    if member is None or not member.is_active:
        raise NotLinked(f"No account here uses {email}. Create one with that address, then sign in with the "
                        "identity provider.")
    audit.record(member, "sign_in", "member", member.id, via="identity_provider", subject=str(claims.get("sub")))
    return member
