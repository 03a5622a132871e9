"""Who is calling the API, and whether they may: decided before an operation's input is read.

The caller is a bearer token's owner, or (for reading only) the signed-in page session: unsafe API
methods need a bearer token, so the API can skip CSRF without letting a cross-site form ride on the
session cookie.

Every API operation needs a signed-in caller unless it is marked `@public`; `@staff_only` and
`@access(check)` say more. `check_access_first` (a before_request hook) applies the mark before
flask-smorest parses the body or query, so a caller who may not use an operation hears 401 or 403
whatever they sent. The marks also document each operation's `security` in OpenAPI (cpd.core.api).

This layer knows no domain: the auth domain gives it, when the app is made (`configure`), the
function that finds a token's owner and the gate that may refuse a caller who must first do
something (staff who must turn on two-factor sign-in)."""
from flask import current_app, g, request
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from cpd.core.errors import Forbidden, Unauthorized

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SIGN_IN_FIRST = "Sign in first: send Authorization: Bearer TOKEN (from POST /api/v1/auth/token)."


def configure(app, token_owner, gate):
    """`token_owner(raw token)` → the member or None; `gate(actor, enrolling)` → a refusal (text) or None."""
    app.extensions["cpd_web"] = {"token_owner": token_owner, "gate": gate}


def _collaborator(name):
    return current_app.extensions["cpd_web"][name]


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
            actor = _collaborator("token_owner")(token)
            if actor is None:
                raise Unauthorized("The token is invalid, expired or revoked.")
        elif request.method in SAFE_METHODS and current_user.is_authenticated:
            actor = current_user._get_current_object()
        else:
            actor = None
        g.api_actor = actor
    return g.api_actor


def api_actor(enrolling=False):
    """The member calling the API, or None when nobody is signed in. A caller the gate refuses (staff
    who must turn on two-factor sign-in) can do nothing else first (`enrolling` marks the calls that
    do it)."""
    actor = _resolve_actor()
    if actor is not None:
        refusal = _collaborator("gate")(actor, enrolling)
        if refusal:
            raise Forbidden(refusal)
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


# --- the marks: who may call, decided before the input is read ------------------------------------

def access(check):
    """Mark an API operation with `check(**path_arguments)`, run before its body or query is parsed.
    Place it anywhere among the view's decorators (functools.wraps carries the mark up)."""
    def mark(view):
        view.access_check = check
        return view

    return mark


def public(view):
    """Mark an operation anyone may call, signed in or not (its input is checked for anyone)."""
    view.access_check = None
    view.is_public_operation = True
    return view


def _signed_in(**_):
    require_actor()


def _enrolling(**_):
    require_actor(enrolling=True)


authenticated = access(_signed_in)
enrolling = access(_enrolling)  # staff who must turn on two-factor sign-in may still call these
staff_only = access(lambda **_: require_staff())


def operation_view(endpoint, method):
    view = current_app.view_functions.get(endpoint)
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        # Flask answers HEAD with the class's get (MethodView.dispatch_request): so must the check.
        view = getattr(view_class, method.lower(), None) or (getattr(view_class, "get", None) if method == "HEAD"
                                                               else None)
    return view


def is_public(view):
    return bool(getattr(view, "is_public_operation", False))


def check_access_first():
    """before_request: an API operation's mark, ahead of flask-smorest's argument parsing; an
    operation with no mark needs a signed-in caller."""
    # The API's own blueprints (named api_...); the OpenAPI document (api-docs) is for anyone.
    if not (request.blueprint or "").startswith("api_") or request.method == "OPTIONS":
        return
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()  # too large for anyone: said before who is asking (the body is never read)
    view = operation_view(request.endpoint, request.method)
    if view is None or is_public(view):
        return
    check = getattr(view, "access_check", None) or _signed_in
    check(**(request.view_args or {}))
