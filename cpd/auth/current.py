"""Who is calling the API: a bearer token, or (for reading only) the signed-in page session.

Unsafe API methods need a bearer token, so the API can skip CSRF without letting a
cross-site form ride on the session cookie.
"""
from flask import current_app, g, request
from flask_login import current_user

from cpd.auth import services, two_factor
from cpd.core.errors import Forbidden, Unauthorized, handle_domain_error, handle_http_exception, is_api_request

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SIGN_IN_FIRST = "Sign in first: send Authorization: Bearer TOKEN (from POST /api/v1/auth/token)."


def bearer_token():
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("Send the token as: Authorization: Bearer TOKEN.")
    return value.strip()


def _resolve_actor():
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


def api_actor(enrolling=False):
    """The member calling the API, or None when nobody is signed in. Staff who must turn on
    two-factor sign-in can do nothing else first (`enrolling` marks the calls that do it)."""
    actor = _resolve_actor()
    if actor is not None and not enrolling and two_factor.needs_enrolment(actor):
        raise Forbidden("Turn on two-factor sign-in first: POST /api/v1/me/two-factor, then confirm a code "
                        "at POST /api/v1/me/two-factor/confirm.")
    return actor


def require_actor(enrolling=False):
    actor = api_actor(enrolling=enrolling)
    if actor is None:
        raise Unauthorized(SIGN_IN_FIRST)
    return actor


def require_staff():
    actor = require_actor()
    if not actor.is_staff:
        raise Forbidden("Only staff can do this.")
    return actor


def _is_public_operation():
    return bool(getattr(_operation(), "is_public_operation", False))


def authenticate_before_validating(error):
    """A request the API cannot read (400) or finds invalid (422): a caller who is not signed in
    to an operation that needs it hears 401 first, so input is never checked for strangers."""
    if is_api_request() and request.endpoint and not _is_public_operation():
        try:
            if _resolve_actor() is None:
                raise Unauthorized(SIGN_IN_FIRST)
        except Unauthorized as refusal:
            return handle_domain_error(refusal)
    return handle_http_exception(error)


# --- who may call, decided before the input is read ----------------------------------------------

def access(check):
    """Mark an API operation with `check(**path_arguments)`, run before its body or query is parsed
    (check_access_first): a caller who may not use it hears 401 or 403 whatever they sent, and no
    stranger learns what the operation expects. Place it anywhere among the view's decorators."""
    def mark(view):
        view.access_check = check
        return view

    return mark


staff_only = access(lambda **_: require_staff())


def _operation():
    view = current_app.view_functions.get(request.endpoint)
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        view = getattr(view_class, request.method.lower(), None)
    return view


def check_access_first():
    """before_request: the operation's access check, ahead of flask-smorest's argument parsing."""
    if request.endpoint is None or not request.path.startswith("/api/"):
        return
    check = getattr(_operation(), "access_check", None)
    if check is not None:
        check(**(request.view_args or {}))
