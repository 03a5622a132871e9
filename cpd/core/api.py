"""The JSON API frame: one flask-smorest Api whose errors follow the contract's shape."""
import marshmallow as ma
from flask_smorest import Api


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
