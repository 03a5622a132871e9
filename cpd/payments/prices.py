"""An event's price list and its discount codes, set by those who manage the event (prices) and
by staff (codes). Amounts are VAT-inclusive Decimals; the rules are checked here, not in schemas."""
import re

from cpd.core.errors import Conflict, Forbidden, Invalid
from cpd.core.limits import CODE, NAME
from cpd.events.models import EventPrice
from cpd.events.seats import lock_event
from cpd.events.vocabulary import PRICE_ELIGIBILITY
from cpd.extensions import db
from cpd.payments.models import DiscountCode
from cpd.payments.money import read_amount, read_rate

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")


def _clean_price(given, number, errors):
    prefix = f"prices.{number}"
    name = " ".join(str(given.get("name") or "").split())
    if not NAME.low <= len(name) <= NAME.high:
        errors[f"{prefix}.name"] = [f"Give the price a name of {NAME.low} to {NAME.high} characters."]
    found = {}
    amount = read_amount(given.get("amount"), f"{prefix}.amount", found)
    rate = read_rate(given.get("vat_rate", "0"), f"{prefix}.vat_rate", found)
    errors.update(found)
    eligibility = given.get("eligibility") or "anyone"
    if eligibility not in PRICE_ELIGIBILITY:
        errors[f"{prefix}.eligibility"] = [f"One of {', '.join(PRICE_ELIGIBILITY)}."]
    starts, ends = given.get("available_from"), given.get("available_until")
    if starts and ends and ends <= starts:
        errors[f"{prefix}.available_until"] = ["Must be after available_from."]
    return {"name": name, "amount": amount, "vat_rate": rate, "eligibility": eligibility,
            "available_from": starts, "available_until": ends, "position": number}


def set_prices(event_id, prices):
    """Replace the event's price list (a price keeps its id when `id` is given; those left out go)."""
    errors = {}
    cleaned = [(given.get("id"), _clean_price(given, number, errors)) for number, given in enumerate(prices)]
    if len(prices) > 20:
        errors["prices"] = ["At most 20 prices."]
    if errors:
        raise Invalid.from_fields(errors)
    event = lock_event(event_id)
    kept = {price.id: price for price in event.prices}
    unknown = sorted(price_id for price_id, _ in cleaned if price_id is not None and price_id not in kept)
    if unknown:
        raise Invalid.on_field("prices", f"Not prices of this event: {', '.join(map(str, unknown))}.")
    chosen = []
    for price_id, values in cleaned:
        price = kept.get(price_id) or EventPrice(event_id=event.id)
        for name, value in values.items():
            setattr(price, name, value)
        chosen.append(price)
    event.prices = chosen
    db.session.flush()
    return event.prices


def create_code(actor, event, given):
    """A discount code for the event: percent_off or amount_off, max_uses, valid_until."""
    if not actor.is_staff:
        raise Forbidden("Only staff make discount codes.")
    errors = {}
    code = str(given.get("code") or "").strip().upper()
    if not (CODE.low <= len(code) <= CODE.high and CODE_PATTERN.match(code)):
        errors["code"] = [f"{CODE.low} to {CODE.high} letters, digits, - or _."]
    percent, amount = given.get("percent_off"), given.get("amount_off")
    if (percent is None) == (amount is None):
        errors["percent_off"] = ["Give percent_off or amount_off, one of them."]
    elif percent is not None:
        percent = read_amount(percent, "percent_off", errors, allow_zero=False)
        if percent is not None and percent > 100:
            errors["percent_off"] = ["At most 100."]
    else:
        amount = read_amount(amount, "amount_off", errors, allow_zero=False)
    max_uses = given.get("max_uses")
    if max_uses is not None and (isinstance(max_uses, bool) or not isinstance(max_uses, int) or max_uses < 1):
        errors["max_uses"] = ["A whole number of at least 1, or null for no limit."]
    if errors:
        raise Invalid.from_fields(errors)
    if db.session.scalar(db.select(DiscountCode.id).where(DiscountCode.event_id == event.id,
                                                          DiscountCode.code == code)):
        raise Conflict(f"The event already has the code {code}.")
    discount = DiscountCode(event_id=event.id, code=code, percent_off=percent, amount_off=amount,
                            max_uses=max_uses, valid_until=given.get("valid_until"))
    db.session.add(discount)
    db.session.flush()
    return discount
