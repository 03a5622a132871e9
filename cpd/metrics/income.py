"""Income from paid events in a year, from the documents themselves: invoices issued (gross, VAT
included) and credit notes issued (refunded), by kind of event. One GROUP BY query."""
from decimal import Decimal

import sqlalchemy as sa

from cpd.events.models import Event
from cpd.events.vocabulary import EVENT_KINDS
from cpd.extensions import db
from cpd.payments.models import Document, Order


def income(year):
    rows = db.session.execute(
        sa.select(Document.kind, Event.kind, sa.func.sum(Document.gross))
        .join(Order, Order.id == Document.order_id).join(Event, Event.id == Order.event_id)
        .where(Document.year == year).group_by(Document.kind, Event.kind)).all()
    gross = {kind: Decimal("0") for kind in EVENT_KINDS}
    refunded = Decimal("0")
    for document_kind, event_kind, amount in rows:
        if document_kind == "invoice":
            gross[event_kind] += Decimal(amount or 0)
        else:
            refunded += Decimal(amount or 0)
    return {"gross": f"{sum(gross.values()):.2f}", "refunded": f"{refunded:.2f}",
            "by_kind": {kind: f"{amount:.2f}" for kind, amount in gross.items()}}
