"""Security headers on every response."""
from flask import request, session

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def add_security_headers(response, production):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if production:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if _personal(response):
        # What a signed-in person is shown (their profile, records, exports) stays out of every cache.
        headers["Cache-Control"] = "no-store"
        headers.add("Vary", "Cookie, Authorization")
    return response


def _personal(response):
    if "Cache-Control" in response.headers and "private" in response.headers["Cache-Control"]:
        return False  # a response that chose its own caching (a private calendar feed)
    return bool(request.headers.get("Authorization") or session.get("_user_id"))
