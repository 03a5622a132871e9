"""Rate limits on sign-in and sign-up, shared by the pages and the API."""
from flask import current_app, g


def sign_in_limit():
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def register_limit():
    return current_app.config["REGISTER_RATE_LIMIT"]


def note_failed_sign_in():
    g.sign_in_failed = True


def failed_sign_in(response):
    """Only failed attempts count towards the sign-in limit: it stops guessing, not use."""
    return g.get("sign_in_failed", False)
