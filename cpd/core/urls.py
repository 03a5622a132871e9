"""Absolute addresses for links that leave the site (notices, calendars, xAPI ids, credentials).

They are built from the configured PUBLIC_BASE_URL, never from the request's Host header, which
a caller chooses (a reset link pointing at someone else's host would hand them the token).
"""
from urllib.parse import urlsplit

from flask import current_app, url_for


def public_base_url():
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def public_url(endpoint, **values):
    return public_base_url() + url_for(endpoint, **values)


def safe_next(target):
    """Only a path on this site: never an absolute or protocol-relative URL (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target
