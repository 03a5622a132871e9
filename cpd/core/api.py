"""The JSON API frame: one flask-smorest Api whose errors follow the contract's shape."""
import json

import flask_smorest
import marshmallow as ma
from flask_smorest import Api, abort
from webargs import core
from webargs.flaskparser import FlaskParser


class ErrorSchema(ma.Schema):
    code = ma.fields.Integer(metadata={"description": "HTTP status code"})
    status = ma.fields.String(metadata={"description": "HTTP status name"})
    message = ma.fields.String(required=True, metadata={"description": "What went wrong, for a person"})
    errors = ma.fields.Dict(metadata={"description": "Field errors: field name to a list of messages"})


class CpdApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        # The app registers its own handlers (cpd.core.errors), which answer JSON under /api/
        # and HTML pages elsewhere; flask-smorest's would turn every page error into JSON.
        pass


def documents_errors(blueprint, *status_codes):
    """Document the error answers an operation can give, in the contract's error shape."""

    def decorator(view):
        for status_code in status_codes:
            view = blueprint.alt_response(status_code, schema=ErrorSchema)(view)
        return view

    return decorator


BEARER = [{"bearerAuth": []}]


class JsonBodyParser(FlaskParser):
    """webargs' parser, but a body Python's JSON module chokes on is the caller's 400, not our 500:
    numbers past Python's digit limit (ValueError), nesting past the recursion limit, and lone
    UTF-16 surrogates ("\\ud800"), which decode but can never be stored or sent on as UTF-8."""

    def _raw_load_json(self, req):
        try:
            body = super()._raw_load_json(req)
        except (ValueError, RecursionError) as error:
            if isinstance(error, json.JSONDecodeError):
                raise
            abort(400, messages={"json": ["Invalid JSON body: too deeply nested or a number too long."]})
        if body is not core.missing:
            try:
                json.dumps(body, ensure_ascii=False).encode("utf-8")
            except (UnicodeEncodeError, RecursionError):
                abort(400, messages={"json": ["Invalid JSON body: text that is not valid Unicode."]})
        return body


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = JsonBodyParser()


def public(view):
    """Mark an operation anyone may call: its invalid input is answered 422 even when nobody is
    signed in (elsewhere a caller who is not signed in hears 401 first)."""
    view.is_public_operation = True
    return view
