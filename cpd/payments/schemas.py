"""Prices, discount codes, orders and payments in the API: parse and shape only (the rules are in
prices.py, checkout.py and orders.py). Money travels as decimal strings."""
import marshmallow as ma

from cpd.core.pagination import PageArgsSchema, list_schema
from cpd.core.schemas import Text, one_of
from cpd.core.limits import CODE, DATABASE_ID, NAME
from cpd.events.schemas import DateOrTime
from cpd.events.vocabulary import PRICE_ELIGIBILITY
from cpd.payments.orders import ORDER_STATUSES

Money = ma.fields.Raw  # a decimal string (or a whole number): read strictly by cpd.payments.money


class PriceSchema(ma.Schema):
    id = ma.fields.Integer(strict=True, allow_none=True, load_default=None)
    name = Text(required=True, max_length=NAME.high)
    amount = Money(required=True, metadata={"type": "string", "example": "120.00"})
    vat_rate = Money(load_default="0", metadata={"type": "string", "example": "0.20"})
    eligibility = ma.fields.String(load_default="anyone", validate=one_of(PRICE_ELIGIBILITY))
    available_from = DateOrTime(allow_none=True, load_default=None)
    available_until = DateOrTime(allow_none=True, load_default=None)


class PriceOutSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    amount = ma.fields.Function(lambda price: f"{price.amount:.2f}")
    vat_rate = ma.fields.Function(lambda price: str(price.vat_rate.normalize()))
    eligibility = ma.fields.String()
    available_from = ma.fields.AwareDateTime(allow_none=True)
    available_until = ma.fields.AwareDateTime(allow_none=True)


class DiscountCodeSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    event_id = ma.fields.Integer(dump_only=True)
    code = Text(required=True, max_length=CODE.high)
    percent_off = Money(allow_none=True, load_default=None)
    amount_off = Money(allow_none=True, load_default=None)
    max_uses = ma.fields.Integer(strict=True, allow_none=True, load_default=None)
    used = ma.fields.Integer(dump_only=True)
    valid_until = DateOrTime(allow_none=True, load_default=None)

    @ma.post_dump
    def _money_as_text(self, document, **kwargs):
        for name in ("percent_off", "amount_off"):
            if document.get(name) is not None:
                document[name] = f"{document[name]:.2f}"
        return document


class OrderSchema(ma.Schema):
    """The order as cpd.payments.orders.order_document builds it."""
    id = ma.fields.Integer()
    number = ma.fields.String()
    event_id = ma.fields.Integer()
    member_id = ma.fields.Integer(allow_none=True)
    booking_ids = ma.fields.List(ma.fields.Integer())
    status = ma.fields.String(metadata={"enum": list(ORDER_STATUSES)})
    pay_by = ma.fields.String(metadata={"enum": ["card", "invoice"]})
    currency = ma.fields.String()
    net = ma.fields.String()
    vat = ma.fields.String()
    total = ma.fields.String()
    paid = ma.fields.String()
    refunded = ma.fields.String()
    pay_url = ma.fields.String(allow_none=True)
    provider_reference = ma.fields.String(allow_none=True)
    payment_problem = ma.fields.String(allow_none=True)
    invoice_number = ma.fields.String(allow_none=True)
    credit_notes = ma.fields.List(ma.fields.Dict())
    refunds = ma.fields.List(ma.fields.Dict())
    purchase_order = ma.fields.String(allow_none=True)
    due_on = ma.fields.String(allow_none=True)
    billing = ma.fields.Dict()
    lines = ma.fields.List(ma.fields.Dict())
    created_at = ma.fields.String()
    paid_at = ma.fields.String(allow_none=True)


OrderListSchema = list_schema(OrderSchema, "OrderList")


class OrderSearchArgsSchema(PageArgsSchema):
    event_id = ma.fields.Integer(validate=ma.validate.Range(min=DATABASE_ID.low, max=DATABASE_ID.high))
    status = ma.fields.String(validate=one_of(ORDER_STATUSES))


class PaymentRecordSchema(ma.Schema):
    amount = Money(required=True)
    paid_on = ma.fields.Date(load_default=None)
    reference = Text(load_default="", max_length=NAME.high)


class RefundRequestSchema(ma.Schema):
    amount = Money(required=True)
    reason = Text(required=True, max_length=500)
