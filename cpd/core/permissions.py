"""The one rule every staff-only service shares."""
from cpd.core.errors import Forbidden


def ensure_staff(actor, refusal="Only staff do this."):
    """Raise Forbidden (with `refusal`) unless `actor` is staff."""
    if actor is None or not actor.is_staff:
        raise Forbidden(refusal)
