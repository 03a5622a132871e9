"""Field types the API schemas share."""
import marshmallow as ma

_FORBIDDEN_CHARACTERS = {chr(c) for c in range(0, 32)} - {"\t", "\n", "\r"}


class Text(ma.fields.String):
    """A string without control characters (PostgreSQL refuses NUL), at most `max_length` long."""

    def __init__(self, *args, max_length=200, min_length=0, **kwargs):
        validators = list(kwargs.pop("validate", []) or [])
        validators.insert(0, ma.validate.Length(min=min_length, max=max_length))
        super().__init__(*args, validate=validators, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if any(ch in _FORBIDDEN_CHARACTERS for ch in text):
            raise ma.ValidationError("Contains control characters.")
        return text


def one_of(choices):
    """OneOf that names the allowed values in its message."""
    return ma.validate.OneOf(choices, error="Must be one of: {choices}.")
