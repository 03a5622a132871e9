"""Who is calling the API: a bearer token, or (for reading only) the signed-in page session.

Unsafe API methods need a bearer token, so the API can skip CSRF without letting a
cross-site form ride on the session cookie.
"""
from flask import g, request
from flask_login import current_user

from cpd.auth import services
from cpd.core.errors import Forbidden, Unauthorized

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer_token():
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("Send the token as: Authorization: Bearer TOKEN.")
    return value.strip()


def api_actor():
    """The member calling the API, or None when nobody is signed in."""
    if "api_actor" not in g:
        token = bearer_token()
        if token is not None:
            actor = services.member_for_token(token)
            if actor is None:
                raise Unauthorized("The token is invalid, expired or revoked.")
        elif request.method in SAFE_METHODS and current_user.is_authenticated:
            actor = current_user._get_current_object()
        else:
            actor = None
        g.api_actor = actor
    return g.api_actor


def require_actor():
    actor = api_actor()
    if actor is None:
        raise Unauthorized("Sign in first: send Authorization: Bearer TOKEN (from POST /api/v1/auth/token).")
    return actor


def require_staff():
    actor = require_actor()
    if not actor.is_staff:
        raise Forbidden("Only staff can do this.")
    return actor
