"""The pages' forms for paid events: parse only (prices, amounts and rules are checked by the services)."""
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

PAY_BY = [SelectChoice("card", "By card, now"), SelectChoice("invoice", "By invoice (an employer's purchase order)")]


class CheckoutForm(FlaskForm):
    price_id = RadioField("Price", coerce=int, validate_choice=False, validators=[DataRequired("Choose a price.")])
    pay_by = RadioField("How to pay", choices=PAY_BY, default="card", validators=[DataRequired("Choose how to pay.")])
    discount_code = StringField("Discount code", validators=[Optional()])
    purchase_order = StringField("Purchase order number", validators=[Optional()],
                                 description="Paying by invoice: your employer's purchase order, if it has one.")
    billing_name = StringField("Invoice to (name)", validators=[Optional()])
    billing_organisation = StringField("Organisation", validators=[Optional()])
    billing_address = TextAreaField("Billing address", validators=[Optional()])
    billing_email = StringField("Billing email", validators=[Optional()])

    def choices_given(self):
        """What the checkout service takes."""
        return {"price_id": self.price_id.data, "pay_by": self.pay_by.data,
                "discount_code": (self.discount_code.data or "").strip() or None,
                "purchase_order": (self.purchase_order.data or "").strip() or None,
                "billing": {"name": self.billing_name.data or "", "organisation": self.billing_organisation.data or "",
                            "address": self.billing_address.data or "", "email": self.billing_email.data or ""}}


class CardForm(FlaskForm):
    """The card the provider's script turned into a token: its card's id, never the number."""
    card_id = HiddenField(validators=[DataRequired("The card was not read: please enter it again.")])


class RecordPaymentForm(FlaskForm):
    amount = StringField("Amount received", validators=[DataRequired()])
    paid_on = DateField("Received on", validators=[Optional()])
    reference = StringField("Reference (e.g. the bank transfer's)", validators=[Optional()])


class RefundForm(FlaskForm):
    amount = StringField("Amount to refund", validators=[DataRequired()])
    reason = TextAreaField("Reason (printed on the credit note)", validators=[DataRequired()])
