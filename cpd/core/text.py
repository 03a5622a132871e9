"""Checks on text people type, shared by the API schemas, the forms and the services."""
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def has_control_characters(text, allow_newlines=True):
    """True when `text` holds characters no one types on purpose (NUL, escape...), a lone UTF-16
    surrogate (never valid Unicode text), or, for one-line values, a line break or tab."""
    if not isinstance(text, str):
        return False
    pattern = _CONTROL if allow_newlines else _CONTROL_OR_NEWLINE
    return bool(pattern.search(text) or _SURROGATE.search(text))


def one_line(text):
    """The text on one line, for places where a break would change what is written (calendar names)."""
    return " ".join(_CONTROL_OR_NEWLINE.sub(" ", text or "").split())


def mailbox(email):
    """The mailbox an address reaches, for comparing two people's addresses: without case, dots in
    the local part or a "+tag" (Me+support@Example.org and m.e@example.org reach one person at many
    providers, so one person cannot pass for two)."""
    local, _, domain = str(email or "").strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0].replace('.', '')}@{domain}"


def same_mailbox(one, other):
    return bool(one and other) and mailbox(one) == mailbox(other)
