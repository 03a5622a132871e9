"""Invoices and credit notes, numbered in one unbroken sequence per kind and year
(INV-2027-000123, CN-2027-000004).

The number is taken from the kind's counter for the year by an UPDATE in the document's own
transaction: the row stays locked until that transaction ends, so two documents never share a
number, and a transaction that rolls back gives its number back (no gaps). The counter's row is
made the first time a year needs it (an INSERT that a racing twin may have made first)."""
import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.core.queries import insert_ignoring_twin
from cpd.extensions import db
from cpd.payments.models import Document, DocumentCounter

PREFIXES = {"invoice": "INV", "credit_note": "CN"}


def _take_number(kind, year):
    counters = DocumentCounter.__table__
    take = (sa.update(counters).where(counters.c.kind == kind, counters.c.year == year)
            .values(last=counters.c.last + 1).returning(counters.c.last))
    taken = db.session.execute(take).scalar()
    if taken is None:
        insert = insert_ignoring_twin(counters, {"kind": kind, "year": year, "last": 0})
        db.session.execute(insert)
        taken = db.session.execute(take).scalar_one()
    return taken



def issue(order, kind, net, vat, gross, reason="", now=None):
    """A numbered document for `order` (part of the caller's transaction)."""
    now = now or utcnow()
    sequence = _take_number(kind, now.year)
    document = Document(kind=kind, year=now.year, sequence=sequence,
                        number=f"{PREFIXES[kind]}-{now.year}-{sequence:06d}", order=order, net=net, vat=vat,
                        gross=gross, reason=reason, issued_at=now)
    db.session.add(document)
    db.session.flush()
    return document


def invoice_of(order):
    return next((document for document in order.documents if document.kind == "invoice"), None)


def tell_the_buyer(order, document):
    """The invoice goes to the buyer with their confirmation: what was bought, what is owed or paid,
    and where the PDF is."""
    from cpd.core.urls import public_url
    from cpd.notices import queue_notice

    if order.member is None:
        return
    if order.status == "paid":
        kind, subject = "invoice_paid", f"Paid: {order.event.title} (invoice {document.number})"
        body = (f"Thank you: we have received {order.currency} {document.gross:.2f} for your place at "
                f"{order.event.title}. Your invoice {document.number} is attached to your booking.")
    else:
        kind, subject = "invoice_issued", f"Invoice {document.number}: {order.event.title}"
        body = (f"Your place at {order.event.title} is confirmed. Invoice {document.number} for {order.currency} "
                f"{document.gross:.2f} is due by {order.due_on:%-d %B %Y}"
                + (f" (purchase order {order.purchase_order})" if order.purchase_order else "") + ".")
    queue_notice(order.member, kind, subject, body, event_id=order.event_id,
                 links=[("Invoice (PDF)", public_url("api_payments.get_invoice_pdf", order_id=order.id)),
                        ("My bookings", public_url("events.my_bookings"))])
