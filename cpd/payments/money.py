"""Amounts as Decimal, to the penny: read strictly (no float, no fraction of a penny), VAT taken out
of a VAT-inclusive price, and pennies for the provider.

The VAT split follows HMRC's VAT Guide (Notice 700, section 17.5): the VAT in a VAT-inclusive
price is the price times rate / (1 + rate), rounded to the nearest penny; net is what remains."""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")


def read_amount(value, field, errors, allow_zero=True):
    """A non-negative amount of money with at most two decimals, from a decimal string or an integer."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        errors.setdefault(field, []).append("Give an amount as a decimal string, e.g. \"120.00\".")
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        errors.setdefault(field, []).append("Not an amount of money.")
        return None
    if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero):
        errors.setdefault(field, []).append("Must be more than zero." if not allow_zero else "Must not be negative.")
        return None
    if amount != amount.quantize(PENNY):
        errors.setdefault(field, []).append("At most two decimal places: no fractions of a penny.")
        return None
    if amount >= Decimal("1000000"):
        errors.setdefault(field, []).append("At most 999,999.99.")
        return None
    return amount.quantize(PENNY)


def read_rate(value, field, errors):
    """A VAT rate as a fraction ("0.20", "0"), below 1, with at most four decimals."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        errors.setdefault(field, []).append("Give the VAT rate as a decimal string, e.g. \"0.20\".")
        return None
    try:
        rate = Decimal(str(value).strip())
    except InvalidOperation:
        errors.setdefault(field, []).append("Not a VAT rate.")
        return None
    if not rate.is_finite() or not Decimal("0") <= rate < Decimal("1") or rate != rate.quantize(Decimal("0.0001")):
        errors.setdefault(field, []).append("A fraction from 0 to below 1, e.g. \"0.20\" for 20%.")
        return None
    return rate


def vat_in(gross, rate):
    """(net, vat) of a VAT-inclusive amount."""
    vat = (gross * rate / (1 + rate)).quantize(PENNY, rounding=ROUND_HALF_UP)
    return gross - vat, vat


def pennies(amount):
    """The provider's unit: the smallest unit of the currency (pence for GBP)."""
    return int((amount * 100).to_integral_value())


def from_pennies(number):
    return (Decimal(number) / 100).quantize(PENNY)


def text(amount):
    """The contract's shape: a decimal string with two places."""
    return f"{amount.quantize(PENNY)}"
