"""Rate limits on signing in, signing up and password resets, shared by the pages and the API:
each limit is one budget (a shared scope), whichever way the attempts come."""
from flask import current_app, g, request


def sign_in_limit():
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def account_lockout_limit():
    return current_app.config["ACCOUNT_LOCKOUT_LIMIT"]


def attempted_account():
    """The email being tried: failures count against the account, from whatever address they come."""
    if request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # the parser answers 400 for it; here it is simply no account
            body = None
        email = body.get("email") if isinstance(body, dict) else None
    else:
        email = request.form.get("email")
    return f"account:{str(email or '').strip().lower()[:254]}"


def register_limit():
    return current_app.config["REGISTER_RATE_LIMIT"]


def register_conflict_limit():
    return current_app.config["REGISTER_CONFLICT_LIMIT"]


def conflicting_sign_up(response):
    """Answers that an address is already registered count against the tighter limit."""
    return response.status_code == 409 or g.get("sign_up_conflict", False)


def note_sign_up_conflict():
    g.sign_up_conflict = True


def reset_limit():
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def reset_account_limit():
    return current_app.config["PASSWORD_RESET_ACCOUNT_LIMIT"]


def note_failed_sign_in():
    g.sign_in_failed = True


def failed_sign_in(response):
    """Only failed attempts count towards the sign-in limit: it stops guessing, not use."""
    return g.get("sign_in_failed", False)
