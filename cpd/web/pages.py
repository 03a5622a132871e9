from functools import wraps

from flask import request
from flask_login import current_user, login_required

from cpd.core.errors import Forbidden
from cpd.core.limits import PAGE_NUMBER


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_staff:
            raise Forbidden("This page is for the staff team.")
        return view(*args, **kwargs)

    return wrapped


SEARCH_LIMIT = 100


def page_number():
    """The `page` a list page was asked for: 1 when missing or out of range."""
    return max(PAGE_NUMBER.low, min(request.args.get("page", 1, type=int) or 1, PAGE_NUMBER.high))


def search_text(name="q"):
    """The search words a list page was given, trimmed and bounded ("" for none)."""
    return (request.args.get(name) or "").strip()[:SEARCH_LIMIT]
