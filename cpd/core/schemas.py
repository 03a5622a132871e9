"""Field types the API schemas share."""
import marshmallow as ma

from cpd.core.text import has_control_characters


class Text(ma.fields.String):
    """A string without control characters (PostgreSQL refuses NUL), at most `max_length` long.
    Short strings (titles, names, addresses, codes: up to 500 characters) are one line: a line break
    there would break a calendar or an email header. Long ones (descriptions, reflections) may
    have several."""

    def __init__(self, *args, max_length=200, min_length=0, one_line=None, **kwargs):
        validators = list(kwargs.pop("validate", []) or [])
        validators.insert(0, ma.validate.Length(min=min_length, max=max_length))
        self.one_line = max_length <= 500 if one_line is None else one_line
        super().__init__(*args, validate=validators, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if has_control_characters(text, allow_newlines=not self.one_line):
            raise ma.ValidationError("Must be one line without control characters." if self.one_line
                                     else "Contains control characters.")
        return text


def one_of(choices):
    """OneOf that names the allowed values in its message."""
    return ma.validate.OneOf(choices, error="Must be one of: {choices}.")
