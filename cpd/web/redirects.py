"""Redirects to where a person came from, only ever within this site."""
from urllib.parse import urlsplit


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
