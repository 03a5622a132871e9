"""Rate limits on sign-in and sign-up, shared by the pages and the API."""
from flask import current_app, g, request


def sign_in_limit():
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def account_lockout_limit():
    return current_app.config["ACCOUNT_LOCKOUT_LIMIT"]


def attempted_account():
    """The email being tried: failures count against the account, from whatever address they come."""
    if request.is_json:
        email = (request.get_json(silent=True) or {}).get("email")
    else:
        email = request.form.get("email")
    return f"account:{str(email or '').strip().lower()[:254]}"


def register_limit():
    return current_app.config["REGISTER_RATE_LIMIT"]


def note_failed_sign_in():
    g.sign_in_failed = True


def failed_sign_in(response):
    """Only failed attempts count towards the sign-in limit: it stops guessing, not use."""
    return g.get("sign_in_failed", False)
