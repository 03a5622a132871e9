"""Errors the services raise, and how every error becomes an HTTP answer.

Under /api/ every error is JSON `{code, status, message, errors}`; elsewhere it is a page.
"""
import logging

import sqlalchemy as sa
from urllib.parse import urlsplit

from flask import current_app, flash, jsonify, redirect, render_template, request
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.http import HTTP_STATUS_CODES

from cpd.extensions import db

log = logging.getLogger(__name__)

API_PREFIX = "/api/"


class DomainError(Exception):
    status_code = 400

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}

    @property
    def page_message(self):
        """The message for a page, where the field is shown beside it: the words alone, no field codes."""
        if self.errors:
            return " ".join(message for messages in self.errors.values() for message in messages)
        return self.message

    @classmethod
    def on_field(cls, field, message):
        return cls(f"{field}: {message}", {field: [message]})

    @classmethod
    def from_fields(cls, errors):
        """One error for several fields: {field: [messages]}, summed up in the message."""
        return cls("; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items()), errors)


class Unauthorized(DomainError):
    status_code = 401


class Forbidden(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class Gone(DomainError):
    status_code = 410


class Invalid(DomainError):
    status_code = 422


class Unavailable(DomainError):
    """A service we depend on (the payment provider) did not answer: nothing was changed there."""
    status_code = 503


# The pages speak in our words, not the framework's default descriptions.
PAGE_WORDS = {
    403: "You do not have permission to see this page.",
    404: "There is no page at this address.",
    405: "This page cannot be used that way.",
    413: "That file is too large.",
}


def is_api_request():
    return request.path.startswith(API_PREFIX)


def _summarise(errors):
    """A one-line message from marshmallow's nested field errors."""
    parts = []
    for location, fields in errors.items():
        if isinstance(fields, dict):
            for field, messages in fields.items():
                text = messages if isinstance(messages, str) else "; ".join(map(str, _flatten(messages)))
                parts.append(f"{field}: {text}")
        else:
            parts.append(f"{location}: {'; '.join(map(str, _flatten(fields)))}")
    return " ".join(parts)


def _flatten(messages):
    if isinstance(messages, dict):
        for value in messages.values():
            yield from _flatten(value)
    elif isinstance(messages, (list, tuple)):
        for value in messages:
            yield from _flatten(value)
    else:
        yield messages


def json_error(status_code, message, errors=None, headers=None):
    payload = {"code": status_code, "status": HTTP_STATUS_CODES.get(status_code, "Error"), "message": message}
    if errors:
        payload["errors"] = errors
    response = jsonify(payload)
    response.status_code = status_code
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def page_error(status_code, message, headers=None):
    title = HTTP_STATUS_CODES.get(status_code, "Error")
    # A 500 or 503 page must not need the database (it may be why we are here): no user menu.
    body = render_template(
        "errors/error.html", status_code=status_code, title=title, message=message, minimal_chrome=status_code >= 500
    )
    return body, status_code, headers or {}


def handle_http_exception(error):
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages") or {}
    # webargs nests field errors under their location ("json", "query"): flatten that for clients.
    if set(errors) <= {"json", "query", "form", "files", "view_args", "headers"} and errors:
        flat = {}
        for fields in errors.values():
            if isinstance(fields, dict):
                flat.update(fields)
            else:
                flat.setdefault("_schema", []).extend(_flatten(fields))
        errors = flat
    message = data.get("message") or (_summarise({"body": errors}) if errors else error.description)
    headers = dict(data.get("headers") or {})
    if error.code == 401 and is_api_request():
        headers.setdefault("WWW-Authenticate", "Bearer")
    if error.code == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    if isinstance(getattr(error, "retry_after", None), int):
        headers["Retry-After"] = str(error.retry_after)
    if error.code == 413 and message == error.description:
        message = f"The request is too large: a file can be at most {upload_limit_words()}."
    if is_api_request() or isinstance(error, SecurityError):
        # An untrusted Host header leaves no way to build the page's links: JSON is the answer.
        return json_error(error.code, message, errors, headers)
    if error.code == 413:
        return _too_large_for_a_page()
    if message == error.description:
        message = PAGE_WORDS.get(error.code, message)
    return page_error(error.code, message, headers)


def upload_limit_words():
    return f"{current_app.config['EVIDENCE_MAX_BYTES'] / (1024 * 1024):g} MB"


def _too_large_for_a_page():
    """An upload over the limit goes back to the form it came from, saying the limit (the browser
    sent the whole body, so the form's own page is where the person is)."""
    message = f"That file is too large: a file can be at most {upload_limit_words()}. Nothing was saved."
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        flash(message, "error")
        return redirect(referrer.path + (f"?{referrer.query}" if referrer.query else ""), 303)
    return page_error(413, message)


def handle_domain_error(error):
    db.session.rollback()
    if is_api_request():
        headers = {"WWW-Authenticate": "Bearer"} if error.status_code == 401 else None
        return json_error(error.status_code, error.message, error.errors, headers)
    return page_error(error.status_code, error.page_message)


def handle_database_unavailable(error):
    db.session.rollback()
    log.warning("database unavailable: %s", error)
    message = "The service is briefly unavailable; please try again shortly."
    headers = {"Retry-After": "5"}
    if is_api_request():
        return json_error(503, message, headers=headers)
    return page_error(503, message, headers)


def handle_data_error(error):
    """A value the database cannot store (a NUL character, a number out of range): the caller's
    input, so a 422, not a 500. Schemas refuse most such values first; this is the last guard."""
    db.session.rollback()
    log.info("database refused a value: %s", error.orig)
    message = "A value given cannot be stored (it is out of range or holds characters that are not allowed)."
    if is_api_request():
        return json_error(422, message)
    return page_error(422, message)


def handle_unexpected(error):
    db.session.rollback()
    log.exception("unhandled error on %s %s", request.method, request.path)
    message = "Something went wrong on our side; nothing was saved. Please try again."
    if is_api_request():
        return json_error(500, message)
    return page_error(500, message)


def register_error_handlers(app):
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(sa.exc.OperationalError, handle_database_unavailable)
    app.register_error_handler(sa.exc.DataError, handle_data_error)
    app.register_error_handler(Exception, handle_unexpected)
