"""What the page forms share."""
from flask import flash
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


def attach_errors(form, error):
    """Put a service's field errors beside the form's fields; anything else becomes a flash."""
    placed = False
    for field_name, messages in (error.errors or {}).items():
        field = getattr(form, field_name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(messages)
            placed = True
    if not placed:
        flash(error.page_message, "error")


def choices(vocabulary, blank="Not given"):
    """Select options from a vocabulary {code: label}, led by a blank option unless blank=None."""
    options = [SelectChoice(code, text) for code, text in vocabulary.items()]
    return [SelectChoice("", blank), *options] if blank is not None else options


def blank_to_none(value):
    return value if value not in ("", None) else None


def commit_change(change, form=None):
    """Run a service call as the request's one change: commit it, or roll it back and show why
    (beside the form's fields, or as a message). Returns (done, the call's result)."""
    from cpd.core.errors import DomainError
    from cpd.extensions import db

    try:
        result = change()
    except DomainError as error:
        db.session.rollback()
        if form is not None:
            attach_errors(form, error)
        else:
            flash(error.page_message, "error")
        return False, None
    db.session.commit()
    return True, result


class ConfirmForm(FlaskForm):
    """Only the CSRF token: for buttons that confirm an action (delete, cancel, book, erase)."""
