"""Prices, discount codes, orders, recorded payments and the provider's webhook in the API."""
from flask import Response, jsonify, request

from cpd.core.api import Blueprint, documents_errors, file_response
from cpd.core.errors import NotFound
from cpd.core.pagination import PageArgsSchema, paginate
from cpd.events import booking as booking_service, catalogue
from cpd.events.schemas import BookingRequestSchema, BookingSchema
from cpd.extensions import db
from cpd.payments import checkout, documents, orders, pdf, prices, provider, refunds, webhooks
from cpd.payments.schemas import (DiscountCodeSchema, OrderListSchema, OrderSchema, OrderSearchArgsSchema,
                                  PaymentRecordSchema, PriceOutSchema, PriceSchema, RefundRequestSchema)
from cpd.web.current import access, public, require_actor, staff_only

blp = Blueprint("api_payments", __name__, description="Paid events: prices, discount codes, orders and payments")

manages_event = access(lambda event_id, **_: catalogue.get_managed_event(require_actor(), event_id))


def _page_of_orders(statement, args):
    listing = paginate(statement, args["page"], args["per_page"])
    return {**listing, "items": [orders.order_document(order) for order in listing["items"]]}


@blp.route("/events/<int:event_id>/prices", methods=["PUT"])
@manages_event
@blp.arguments(PriceSchema(many=True))
@blp.response(200, PriceOutSchema(many=True))
@documents_errors(blp, 401, 403, 404, 422)
def put_prices(given, event_id):
    catalogue.get_managed_event(require_actor(), event_id)
    chosen = prices.set_prices(event_id, given)
    db.session.commit()
    return chosen


@blp.route("/events/<int:event_id>/discount-codes", methods=["POST"])
@staff_only
@blp.arguments(DiscountCodeSchema)
@blp.response(201, DiscountCodeSchema)
@documents_errors(blp, 401, 403, 404, 409, 422)
def post_discount_code(given, event_id):
    event = catalogue.get_managed_event(require_actor(), event_id)
    code = prices.create_code(require_actor(), event, given)
    db.session.commit()
    return code


@blp.route("/bookings/<int:booking_id>/checkout", methods=["POST"])
@blp.arguments(BookingRequestSchema)
@blp.response(201, BookingSchema)
@documents_errors(blp, 401, 404, 409, 422)
def post_offer_checkout(choices, booking_id):
    """Pay for a seat offered from a paid event's waiting list (the booking's status is offered)."""
    actor = require_actor()
    booking = checkout.take_offer(actor, booking_service.get_booking_for(actor, booking_id), choices)
    return booking, 201


@blp.route("/orders")
@staff_only
@blp.arguments(OrderSearchArgsSchema, location="query")
@blp.response(200, OrderListSchema)
@documents_errors(blp, 401, 403, 422)
def get_orders(args):
    return _page_of_orders(orders.staff_orders(require_actor(), args.get("event_id"), args.get("status")), args)


@blp.route("/orders/<int:order_id>")
@blp.response(200, OrderSchema)
@documents_errors(blp, 401, 404)
def get_order(order_id):
    return orders.order_document(orders.get_order_for(require_actor(), order_id))


def _pdf_answer(document):
    return Response(pdf.document_pdf(document), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{document.number}.pdf"'})


@blp.route("/orders/<int:order_id>/invoice.pdf")
@blp.doc(responses={"200": file_response("the order's invoice", "application/pdf")})
@documents_errors(blp, 401, 404)
def get_invoice_pdf(order_id):
    order = orders.get_order_for(require_actor(), order_id)
    invoice = documents.invoice_of(order)
    if invoice is None:
        raise NotFound("This order has no invoice yet: it is issued when the order is paid or invoiced.")
    return _pdf_answer(invoice)


@blp.route("/orders/<int:order_id>/credit-notes/<number>.pdf")
@blp.doc(responses={"200": file_response("a credit note of the order", "application/pdf")})
@documents_errors(blp, 401, 404)
def get_credit_note_pdf(order_id, number):
    order = orders.get_order_for(require_actor(), order_id)
    note = next((d for d in order.documents if d.kind == "credit_note" and d.number == number), None)
    if note is None:
        raise NotFound("No such credit note on this order.")
    return _pdf_answer(note)


@blp.route("/me/orders")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, OrderListSchema)
@documents_errors(blp, 401, 422)
def get_my_orders(args):
    return _page_of_orders(orders.own_orders(require_actor().id), args)


@blp.route("/orders/<int:order_id>/payments", methods=["POST"])
@staff_only
@blp.arguments(PaymentRecordSchema)
@blp.response(201, OrderSchema)
@documents_errors(blp, 401, 403, 404, 409, 422)
def post_payment(given, order_id):
    actor = require_actor()
    order = orders.record_payment(actor, orders.get_order_for(actor, order_id), given)
    db.session.commit()
    return orders.order_document(order)


@blp.route("/orders/<int:order_id>/refunds", methods=["POST"])
@staff_only
@blp.arguments(RefundRequestSchema)
@blp.response(201, OrderSchema)
@documents_errors(blp, 401, 403, 404, 409, 422)
def post_refund(given, order_id):
    actor = require_actor()
    refund = refunds.staff_refund(actor, orders.get_order_for(actor, order_id), given)
    return orders.order_document(orders.get_order_for(actor, refund.order_id))


@blp.route("/payments/stripe/webhook", methods=["POST"])
@public
@documents_errors(blp, 400)
def stripe_webhook():
    """Stripe's signed events. A bad signature is 400 and changes nothing; each event is applied once."""
    event = provider.read_webhook(request.get_data(), request.headers.get("Stripe-Signature"))
    if event is None:
        return jsonify(code=400, status="Bad Request", message="The signature does not match."), 400
    outcome = webhooks.apply(event)
    db.session.commit()
    return jsonify(received=event.id, outcome=outcome)
