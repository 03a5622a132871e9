"""Paid events as pages: checkout on the event (a price, how to pay, billing details), the buyer's
pay page (the provider's card form), and staff's orders (by event and status; record a payment,
refund). A page never confirms a seat on the browser's word: the provider's does (its API's answer
to the card, its webhook, or `flask payments reconcile`)."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cpd.core.errors import DomainError, NotFound
from cpd.core.models import utcnow
from cpd.core.pagination import paginate
from cpd.events import booking as booking_service, catalogue
from cpd.events.vocabulary import PRICE_ELIGIBILITY
from cpd.extensions import db
from cpd.payments import checkout, orders, provider, refunds
from cpd.payments.forms import CardForm, CheckoutForm, RecordPaymentForm, RefundForm
from cpd.web.forms import attach_errors
from cpd.web.pages import page_number, staff_required

OVERDUE_SHOWN = 50  # the oldest overdue invoices shown; the count says how many there are

bp = Blueprint("payments", __name__)


def _placed(error):
    """The services name billing fields billing.name; the form calls them billing_name."""
    error.errors = {name.replace(".", "_"): messages for name, messages in (error.errors or {}).items()}
    return error


def _price_choices(form, event):
    form.price_id.choices = [(price.id, f"{price.name}: {current_app.config['CURRENCY']} {price.amount:.2f} "
                                        f"({PRICE_ELIGIBILITY[price.eligibility].lower()})")
                             for price in checkout.prices_on_sale(event, utcnow())]


def _checkout_page(event, form, booking=None):
    return render_template("payments/checkout.html", event=event, form=form, offer=booking,
                           card_payments=provider.is_configured()), 422 if form.errors else 200


@bp.route("/events/<int:event_id>/checkout", methods=["GET", "POST"])
@login_required
def checkout_page(event_id):
    event = catalogue.get_event_for(current_user, event_id)
    if not event.is_paid:
        return redirect(url_for("events.event_detail", event_id=event.id))
    form = CheckoutForm()
    _price_choices(form, event)
    if form.validate_on_submit():
        try:
            booking = checkout.checkout(current_user, event.id, form.choices_given())
        except DomainError as error:
            db.session.rollback()
            attach_errors(form, _placed(error))
        else:
            return _after_checkout(booking)  # checkout committed its own transaction
    return _checkout_page(event, form)


@bp.route("/bookings/<int:booking_id>/take-offer", methods=["GET", "POST"])
@login_required
def take_offer(booking_id):
    booking = booking_service.get_booking_for(current_user, booking_id)
    if booking.member_id != current_user.id:
        raise NotFound("No such booking.")
    if booking.status != "offered":
        flash("This booking has no seat offered to it now.", "info")
        return redirect(url_for("events.event_detail", event_id=booking.event_id))
    form = CheckoutForm()
    _price_choices(form, booking.event)
    if form.validate_on_submit():
        try:
            booking = checkout.take_offer(current_user, booking, form.choices_given())
        except DomainError as error:
            db.session.rollback()
            attach_errors(form, _placed(error))
        else:
            return _after_checkout(booking)
    return _checkout_page(booking.event, form, booking)


def _after_checkout(booking):
    order = getattr(booking, "order_document", None)
    if booking.status == "waitlisted":
        flash(f"The event is full: you are number {booking.waitlist_position} on the waiting list. If a seat comes "
              "free it is offered to you, with time to pay.", "info")
        return redirect(url_for("events.event_detail", event_id=booking.event_id))
    if order and order["status"] == "awaiting_payment":
        return redirect(url_for("payments.pay", order_id=order["id"]))
    flash("Your seat is booked." + (f" Invoice {order['invoice_number']} is in My bookings." if order and
                                     order["invoice_number"] else ""), "success")
    return redirect(url_for("events.my_bookings"))


def _own_order(order_id):
    order = orders.get_order_for(current_user, order_id)
    if order.member_id != current_user.id:
        raise NotFound("No such order.")  # staff see orders on their own pages, not as the buyer's
    return order


def _pay_page(order, form, needs_authentication=False):
    checkout.ensure_payment_intent(order)
    intent = None
    if order.provider_reference and order.status == "awaiting_payment":
        try:
            intent = provider.payment_intent(order.provider_reference)
        except DomainError as error:
            flash(error.page_message, "error")
    config = current_app.config
    response = current_app.make_response((render_template(
        "payments/pay.html", order=order, document=orders.order_document(order), form=form,
        client_secret=intent.client_secret if intent else None, publishable_key=config["STRIPE_PUBLISHABLE_KEY"],
        stripe_js=config["STRIPE_JS_URL"], needs_authentication=needs_authentication,
        statuses=orders.ORDER_STATUSES), 422 if form.errors else 200))
    response.headers["Content-Security-Policy"] = _with_the_provider(config)
    return response


def _with_the_provider(config):
    """Our policy, opened to the provider's script and API alone (Stripe.js, or localstripe's stand-in)."""
    from urllib.parse import urlsplit

    from cpd.core.security import CONTENT_SECURITY_POLICY

    script = urlsplit(config["STRIPE_JS_URL"])
    script_origin = f"{script.scheme}://{script.netloc}"
    api = config.get("STRIPE_API_BASE") or "https://api.stripe.com"
    return (CONTENT_SECURITY_POLICY.replace("script-src 'self'", f"script-src 'self' {script_origin}")
            + f"; connect-src 'self' {script_origin} {api}; frame-src {script_origin} https://hooks.stripe.com")


@bp.route("/orders/<int:order_id>/pay", methods=["GET", "POST"])
@login_required
def pay(order_id):
    order = _own_order(order_id)
    form = CardForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            intent = checkout.pay_with_card(current_user, order, form.card_id.data)
        except DomainError as error:
            db.session.rollback()
            attach_errors(form, error)
            form.card_id.errors = list(form.card_id.errors) + list((error.errors or {}).get("card", []))
        else:
            if intent.status == "requires_action":
                return _pay_page(orders.get_order_for(current_user, order_id), form, needs_authentication=True)
            flash("Thank you: the payment is made." if intent.status == "succeeded" else
                  "The card payment is being processed: your seat is confirmed as soon as it completes.", "success")
            return redirect(url_for("payments.pay", order_id=order_id))
    return _pay_page(order, form)


@bp.route("/staff/orders")
@staff_required
def staff_orders():
    status = request.args.get("status") if request.args.get("status") in orders.ORDER_STATUSES else None
    event_id = request.args.get("event_id", type=int)
    page = page_number()
    listing = paginate(orders.staff_orders(current_user, event_id, status), page, 25)
    return render_template("payments/staff_orders.html", listing=listing, status=status, event_id=event_id,
                           statuses=orders.ORDER_STATUSES,
                           overdue=paginate(orders.overdue(utcnow().date()), 1, OVERDUE_SHOWN))


def _staff_order_page(order, payment_form, refund_form):
    failed = bool(payment_form.errors or refund_form.errors)
    return render_template("payments/staff_order.html", order=order, document=orders.order_document(order),
                           payment_form=payment_form, refund_form=refund_form,
                           statuses=orders.ORDER_STATUSES), 422 if failed else 200


@bp.route("/staff/orders/<int:order_id>")
@staff_required
def staff_order(order_id):
    return _staff_order_page(orders.get_order_for(current_user, order_id), RecordPaymentForm(prefix="payment"),
                             RefundForm(prefix="refund"))


@bp.route("/staff/orders/<int:order_id>/payments", methods=["POST"])
@staff_required
def record_payment(order_id):
    order = orders.get_order_for(current_user, order_id)
    form = RecordPaymentForm(prefix="payment")
    if form.validate_on_submit():
        try:
            orders.record_payment(current_user, order, {"amount": form.amount.data, "paid_on": form.paid_on.data,
                                                        "reference": form.reference.data})
        except DomainError as error:
            db.session.rollback()
            attach_errors(form, error)
        else:
            db.session.commit()
            flash("Payment recorded.", "success")
            return redirect(url_for("payments.staff_order", order_id=order_id))
    return _staff_order_page(orders.get_order_for(current_user, order_id), form, RefundForm(prefix="refund"))


@bp.route("/staff/orders/<int:order_id>/refunds", methods=["POST"])
@staff_required
def refund(order_id):
    order = orders.get_order_for(current_user, order_id)
    form = RefundForm(prefix="refund")
    if form.validate_on_submit():
        try:
            refund_row = refunds.staff_refund(current_user, order, {"amount": form.amount.data,
                                                                    "reason": form.reason.data})
        except DomainError as error:
            db.session.rollback()
            attach_errors(form, error)
        else:
            flash("Refunded." if refund_row.status == "succeeded" else
                  f"The refund is recorded but the provider did not make it: {refund_row.error}", "success"
                  if refund_row.status == "succeeded" else "error")
            return redirect(url_for("payments.staff_order", order_id=order_id))
    return _staff_order_page(orders.get_order_for(current_user, order_id), RecordPaymentForm(prefix="payment"), form)


