"""The limits every form, schema and service shares, each written once here: a form or a schema reads
them to document and pre-check its fields; the service checks them (with `check_text`,
`check_whole_number`, `check_hours`), so a value that comes any way is held to the same rule."""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from cpd.core.text import has_control_characters


@dataclass(frozen=True)
class Limit:
    low: int
    high: int


TITLE = Limit(1, 200)
EMAIL = Limit(3, 254)  # RFC 5321's longest usable address
NAME = Limit(1, 200)
DESCRIPTION = Limit(0, 20_000)
VENUE = Limit(0, 300)
ADDRESS = Limit(0, 1000)  # a postal address, several lines
WEB_ADDRESS = Limit(0, 500)
TIMEZONE = Limit(1, 64)
SPEAKER = Limit(0, 200)
SEARCH = Limit(0, 100)
COMMENT = Limit(0, 5000)
CPD_HOURS = Limit(0, 1000)  # an event's or a course's
RECORD_HOURS = Limit(0, 100_000)  # a CPD record's, read at all (its rule is 24 a day, the service's)
CAPACITY = Limit(0, 1_000_000)
DATABASE_ID = Limit(1, 2**31 - 1)
PASSWORD_INPUT = Limit(1, 1024)  # what is read at all; the password rules are auth's
LONG_TITLE = Limit(1, 300)  # a publication's, a survey's or an engagement's title
NOTES = Limit(0, 10_000)
CODE = Limit(1, 32)  # a title's code, an authentication code
RATING = Limit(1, 5)
FIGURES_YEAR = Limit(1900, 9999)  # a year asked of the figures or an export (before records: empty)
CPD_YEAR = Limit(1950, 2200)  # a year of a member's CPD
CYCLE_YEAR = Limit(2000, 2200)  # a year of targets or of declarations
PAGE_NUMBER = Limit(1, 1_000_000)
IDS_AT_ONCE = Limit(0, 10_000)  # booking ids in one register
RECORDS_AT_ONCE = Limit(0, 200)  # CPD records offered as evidence for one application


def check_text(values, field, limit, errors, one_line=True, label=None):
    """The value trimmed, with an error under `field` when it is too short, too long or holds
    characters no one types (a line break too, for a one-line value)."""
    raw = values.get(field)
    text = (raw or "").strip() if isinstance(raw, str) or raw is None else None
    if text is None:
        errors.setdefault(field, []).append("Must be text.")
        return ""
    if not limit.low <= len(text) <= limit.high:
        what = label or field.replace("_", " ")
        errors.setdefault(field, []).append(
            f"Give a {what} of {limit.low} to {limit.high} characters." if limit.low else
            f"At most {limit.high} characters.")
    if has_control_characters(raw, allow_newlines=not one_line):
        errors.setdefault(field, []).append("Must be one line without control characters." if one_line
                                            else "Contains control characters.")
    return text


def check_whole_number(values, field, limit, errors, unlimited_when_none=True):
    """A whole number within the limit (never a boolean), or None when none is given."""
    number = values.get(field)
    if number is None and unlimited_when_none:
        return None
    if not isinstance(number, int) or isinstance(number, bool) or not limit.low <= number <= limit.high:
        errors.setdefault(field, []).append(
            f"Must be a whole number from {limit.low} to {limit.high}" + (", or null for unlimited." if
                                                                         unlimited_when_none else "."))
        return None
    return number


def check_hours(values, field, limit, errors):
    """Hours as a Decimal to the hundredth within the limit, or None when none is given."""
    hours = values.get(field)
    if hours is None:
        return None
    try:
        if isinstance(hours, bool):
            raise InvalidOperation
        amount = Decimal(str(hours)).quantize(Decimal("0.01"))
        if not amount.is_finite() or not limit.low <= amount <= limit.high:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(f"Must be a number of hours from {limit.low} to {limit.high}.")
        return None
    return amount
