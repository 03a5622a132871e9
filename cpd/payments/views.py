"""The buyer's pay page: the order, and the provider's card form (Stripe's Payment Element), which
pays the order's PaymentIntent. The page proves nothing: the seat is confirmed by the provider's
webhook (or `flask payments reconcile`), never by the browser."""
from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from cpd.payments import checkout, orders

bp = Blueprint("payments", __name__)


@bp.route("/orders/<int:order_id>/pay")
@login_required
def pay(order_id):
    order = orders.get_order_for(current_user, order_id)
    if order.member_id != current_user.id:
        order = orders.get_order_for(current_user, -1)  # staff see orders in the API, not as the buyer's page
    checkout.ensure_payment_intent(order)
    intent = None
    if order.provider_reference and order.status == "awaiting_payment":
        intent = checkout.provider.payment_intent(order.provider_reference)
    return render_template("payments/pay.html", order=order, document=orders.order_document(order),
                           client_secret=intent.client_secret if intent else None,
                           publishable_key=current_app.config.get("STRIPE_PUBLISHABLE_KEY"),
                           statuses=orders.ORDER_STATUSES)
