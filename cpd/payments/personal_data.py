"""What the payments domain holds on a person, for their download and their erasure.

Invoices and credit notes are records the body must keep (HMRC: six years, VAT Notice 700/21,
section 3.2), which erasure may not undo (UK GDPR Article 17(3)(b), a legal obligation): an order
that has a document keeps its billing details; one without a document (a hold that lapsed, an
order cancelled unpaid) loses them. Amounts stay either way: the figures count them.

Functions flush, never commit; the caller commits once."""
import sqlalchemy as sa

from cpd.extensions import db
from cpd.payments.models import Document, Order


def erase_personal_data(member_id):
    documented = sa.select(Document.order_id).where(Document.order_id == Order.id)
    db.session.execute(sa.update(Order).where(Order.member_id == member_id, ~sa.exists(documented))
                       .values(billing_name="", billing_organisation="", billing_address="", billing_email="",
                               purchase_order="").execution_options(synchronize_session=False))
    db.session.flush()


def personal_data(member_id):
    orders = db.session.scalars(sa.select(Order).where(Order.member_id == member_id).order_by(Order.id)).all()
    return {"orders.json": [
        {"number": o.number, "event_id": o.event_id, "status": o.status, "pay_by": o.pay_by, "currency": o.currency,
         "total": f"{o.total:.2f}", "paid": f"{o.paid:.2f}", "refunded": f"{o.refunded:.2f}",
         "purchase_order": o.purchase_order, "billing": {"name": o.billing_name, "organisation": o.billing_organisation,
                                                          "address": o.billing_address, "email": o.billing_email},
         "documents": [d.number for d in o.documents], "created_at": o.created_at} for o in orders]}
