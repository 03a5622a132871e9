"""The JSON API frame: one flask-smorest Api whose errors follow the contract's shape."""
import json
import re

import flask_smorest
import marshmallow as ma
from apispec import BasePlugin
from flask_smorest import Api, abort
from flask_smorest.utils import resolve_schema_instance
from webargs import core
from webargs.flaskparser import FlaskParser


class ErrorSchema(ma.Schema):
    code = ma.fields.Integer(metadata={"description": "HTTP status code"})
    status = ma.fields.String(metadata={"description": "HTTP status name"})
    message = ma.fields.String(required=True, metadata={"description": "What went wrong, for a person"})
    errors = ma.fields.Dict(metadata={"description": "Field errors: field name to a list of messages"})


_VERBS = {"get": "Read", "post": "Create", "put": "Set", "patch": "Change", "delete": "Delete"}


def _words(name):
    """'create_token' or 'OwnEvidence' as words: 'create token', 'own evidence'."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return name.replace("_", " ").strip().lower()


class OperationNames(BasePlugin):
    """Every operation gets an operationId (its endpoint and method, unique and stable), a summary
    in words when its view has no docstring of its own, and its `security`, in this one place:
    none for an operation marked public (cpd.web.current.public), a view's own `openapi_security`, the
    bearer token for the rest."""

    def __init__(self, app):
        super().__init__()
        self.app = app

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        blueprint, _, view = rule.endpoint.partition(".")
        for method, operation in operations.items():
            if method not in _VERBS:
                continue
            operation["security"] = self._security(rule.endpoint, method)
            operation.setdefault("operationId", f"{blueprint.removeprefix('api_')}_{_words(view).replace(' ', '_')}"
                                                f"_{method}")
            if not operation.get("summary"):
                words = _words(view)
                is_class_view = view[:1].isupper()
                operation["summary"] = (f"{_VERBS[method]} {words}" if is_class_view else words).capitalize()


    def _security(self, endpoint, method):
        """None for a public operation, the view's own scheme where it names one (`openapi_security`),
        else the bearer token."""
        view = self.app.view_functions.get(endpoint)
        view_class = getattr(view, "view_class", None)
        if view_class is not None:
            view = getattr(view_class, method, None)
        if getattr(view, "is_public_operation", False):
            return []
        return getattr(view, "openapi_security", BEARER)


class CpdApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def init_app(self, app, *args, **kwargs):
        options = dict(app.config.get("API_SPEC_OPTIONS", {}))
        options["servers"] = [{"url": app.config["PUBLIC_BASE_URL"].rstrip("/"), "description": "this service"}]
        app.config["API_SPEC_OPTIONS"] = options
        super().init_app(app, *args, spec_kwargs={"extra_plugins": [OperationNames(app)]}, **kwargs)

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

    def arguments(self, schema, **kwargs):
        """flask-smorest's, with the schema made once: given a class, webargs makes an instance on
        every request (a fifth of a millisecond, measured on the programme list). Our argument
        schemas keep no state between loads, so one instance serves every request."""
        return super().arguments(resolve_schema_instance(schema), **kwargs)


BINARY = {"type": "string", "format": "binary"}


def file_response(description, *media_types):
    """The OpenAPI of a 200 that is a file (PDF, CSV, XLSX, ZIP, JWT, ICS...): each media type with a
    binary schema, so generated clients keep the operation and hand back the bytes."""
    return {"description": description, "content": {media_type: {"schema": BINARY} for media_type in media_types}}
