"""Absolute addresses for links that leave the site (notices, calendars, xAPI ids, credentials).

They are built from the configured PUBLIC_BASE_URL, never from the request's Host header, which
a caller chooses (a reset link pointing at someone else's host would hand them the token).
"""
from flask import current_app, has_request_context, url_for


def public_base_url():
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def public_url(endpoint, **values):
    """The absolute address of `endpoint`, in a request or outside one (a command, the worker)."""
    if has_request_context():
        return public_base_url() + url_for(endpoint, **values)
    return public_base_url() + current_app.url_map.bind("notice.invalid").build(endpoint, values)
