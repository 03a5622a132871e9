"""The tables of money: discount codes, orders and their lines, payments, documents (invoices and
credit notes) with their per-kind, per-year counters, and the provider's events applied once."""
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpd.core.models import Timestamped, UTCDateTime, utcnow
from cpd.events.models import Booking, Event, EventPrice
from cpd.extensions import db
from cpd.members.models import Member

MONEY = sa.Numeric(12, 2)


class DiscountCode(db.Model):
    """A code that takes a percentage or an amount off one event's price, a number of times, until a date."""

    __tablename__ = "discount_codes"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "code", name="uq_discount_codes_event_code"),
        sa.CheckConstraint("(percent_off IS NULL) != (amount_off IS NULL)", name="percent_or_amount"),
        sa.CheckConstraint("max_uses IS NULL OR used <= max_uses", name="used_within_max"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    code: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    percent_off: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    amount_off: Mapped[Decimal | None] = mapped_column(MONEY)
    max_uses: Mapped[int | None] = mapped_column(sa.Integer)
    used: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0, server_default="0")
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class Order(Timestamped, db.Model):
    """What a buyer owes for their seat(s) at one event, and what became of it:
    awaiting_payment -> paid (card, from the provider) | invoiced -> paid (recorded by staff),
    -> cancelled (a hold that lapsed), -> part_refunded | refunded."""

    __tablename__ = "orders"
    __table_args__ = (sa.Index("ix_orders_event_status", "event_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"), index=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="RESTRICT"), nullable=False)
    status: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    pay_by: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    currency: Mapped[str] = mapped_column(sa.String(3), nullable=False)
    net: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    vat: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    total: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    refunded: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=Decimal("0"), server_default="0")
    paid: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=Decimal("0"), server_default="0")
    discount_code_id: Mapped[int | None] = mapped_column(sa.ForeignKey("discount_codes.id", ondelete="SET NULL"))
    purchase_order: Mapped[str] = mapped_column(sa.String(64), nullable=False, default="")
    billing_name: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    billing_organisation: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    billing_address: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    billing_email: Mapped[str] = mapped_column(sa.String(254), nullable=False, default="")
    # The provider's PaymentIntent for a card payment.
    provider_reference: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    last_payment_error: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    member: Mapped[Member | None] = relationship()
    event: Mapped[Event] = relationship()
    lines: Mapped[list["OrderLine"]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                    order_by="OrderLine.id")
    documents: Mapped[list["Document"]] = relationship(back_populates="order", order_by="Document.id")
    payments: Mapped[list["OrderPayment"]] = relationship(back_populates="order", order_by="OrderPayment.id")
    refunds: Mapped[list["OrderRefund"]] = relationship(back_populates="order", order_by="OrderRefund.id")

    @property
    def number(self):
        return f"ORD-{self.id:06d}"

    @property
    def outstanding(self):
        return self.total - self.paid

    @property
    def refundable(self):
        """What may still be refunded: what was paid (or invoiced), less refunds made or under way."""
        promised = sum((r.amount for r in self.refunds if r.status != "failed"), Decimal("0"))
        base = self.paid if self.pay_by == "card" else self.total
        return max(base - promised, Decimal("0"))


class OrderLine(db.Model):
    """One seat of an order: its price, the discount taken off, and the VAT in what is paid."""

    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True)
    booking_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bookings.id", ondelete="SET NULL"), index=True)
    price_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event_prices.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    list_amount: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    discount: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=Decimal("0"))
    vat_rate: Mapped[Decimal] = mapped_column(sa.Numeric(5, 4), nullable=False)
    net: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    vat: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    gross: Mapped[Decimal] = mapped_column(MONEY, nullable=False)

    order: Mapped[Order] = relationship(back_populates="lines")
    booking: Mapped[Booking | None] = relationship()
    price: Mapped[EventPrice | None] = relationship()


class OrderPayment(db.Model):
    """Money received against an order: a card payment the provider reported, or a transfer staff recorded."""

    __tablename__ = "order_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    method: Mapped[str] = mapped_column(sa.String(10), nullable=False)  # card | transfer
    paid_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    reference: Mapped[str] = mapped_column(sa.String(255), nullable=False, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    order: Mapped[Order] = relationship(back_populates="payments")


class OrderRefund(db.Model):
    """Money to go back to a buyer: by card through the provider (pending until it answers; a failure
    stays visible to staff and is tried again by reconcile), or against an invoice (a credit note
    at once). Each settled refund has its credit note."""

    __tablename__ = "order_refunds"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    reason: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False)  # pending | succeeded | failed
    provider_reference: Mapped[str | None] = mapped_column(sa.String(255))
    error: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    credit_note_id: Mapped[int | None] = mapped_column(sa.ForeignKey("documents.id", ondelete="SET NULL"))
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    order: Mapped["Order"] = relationship(back_populates="refunds")


class Document(db.Model):
    """An invoice or a credit note: its number comes from its kind's counter for the year, taken in
    the document's own transaction, so the sequence has no gaps and no repeats."""

    __tablename__ = "documents"
    __table_args__ = (sa.UniqueConstraint("kind", "year", "sequence", name="uq_documents_kind_year_sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(12), nullable=False)  # invoice | credit_note
    year: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    sequence: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    number: Mapped[str] = mapped_column(sa.String(32), nullable=False, unique=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id", ondelete="RESTRICT"), nullable=False, index=True)
    net: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    vat: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    gross: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    reason: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    order: Mapped[Order] = relationship(back_populates="documents")


class DocumentCounter(db.Model):
    """The last number given to a kind of document in a year."""

    __tablename__ = "document_counters"

    kind: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    year: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    last: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)


class ProviderEvent(db.Model):
    """A provider's event (a Stripe webhook's id) once applied: a replay finds it here and changes nothing."""

    __tablename__ = "provider_events"

    id: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("orders.id", ondelete="SET NULL"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
