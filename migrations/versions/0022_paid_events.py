"""Paid events: an event's prices and refund deadline, held and offered seats, discount codes,
orders and their lines, payments, refunds, invoices and credit notes with their counters, provider events

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 23:20:00

"""
import sqlalchemy as sa
from alembic import op

import cpd.core.models

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

MONEY = sa.Numeric(12, 2)


def when(name, nullable=True):
    return sa.Column(name, cpd.core.models.UTCDateTime(), nullable=nullable)


def upgrade():
    with op.batch_alter_table("events") as batch:
        batch.add_column(when("refund_deadline"))
        batch.add_column(sa.Column("held_count", sa.Integer(), nullable=False, server_default="0"))
        batch.create_check_constraint("held_seats_not_negative", "held_count >= 0")
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(when("held_until"))
        batch.add_column(when("offer_expires_at"))
    op.create_table(
        "event_prices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("amount", sa.Numeric(10, 2), nullable=False),
        sa.Column("vat_rate", sa.Numeric(5, 4), nullable=False),
        sa.Column("eligibility", sa.String(16), nullable=False),
        when("available_from"), when("available_until"),
        sa.CheckConstraint("amount >= 0", name="price_not_negative"),
        sa.CheckConstraint("vat_rate >= 0 AND vat_rate < 1", name="vat_rate_a_fraction"),
    )
    op.create_index("ix_event_prices_event_id", "event_prices", ["event_id"])
    op.create_table(
        "discount_codes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("percent_off", sa.Numeric(5, 2)),
        sa.Column("amount_off", MONEY),
        sa.Column("max_uses", sa.Integer()),
        sa.Column("used", sa.Integer(), nullable=False, server_default="0"),
        when("valid_until"), when("created_at", nullable=False),
        sa.UniqueConstraint("event_id", "code", name="uq_discount_codes_event_code"),
        sa.CheckConstraint("(percent_off IS NULL) != (amount_off IS NULL)", name="percent_or_amount"),
        sa.CheckConstraint("max_uses IS NULL OR used <= max_uses", name="used_within_max"),
    )
    op.create_index("ix_discount_codes_event_id", "discount_codes", ["event_id"])
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id", ondelete="SET NULL")),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("events.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("pay_by", sa.String(10), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("net", MONEY, nullable=False),
        sa.Column("vat", MONEY, nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("refunded", MONEY, nullable=False, server_default="0"),
        sa.Column("paid", MONEY, nullable=False, server_default="0"),
        sa.Column("discount_code_id", sa.Integer(), sa.ForeignKey("discount_codes.id", ondelete="SET NULL")),
        sa.Column("purchase_order", sa.String(64), nullable=False),
        sa.Column("billing_name", sa.String(200), nullable=False),
        sa.Column("billing_organisation", sa.String(200), nullable=False),
        sa.Column("billing_address", sa.Text(), nullable=False),
        sa.Column("billing_email", sa.String(254), nullable=False),
        sa.Column("provider_reference", sa.String(255), unique=True),
        sa.Column("last_payment_error", sa.String(500), nullable=False),
        sa.Column("due_on", sa.Date()),
        when("paid_at"), when("created_at", nullable=False), when("updated_at", nullable=False),
    )
    op.create_index("ix_orders_member_id", "orders", ["member_id"])
    op.create_index("ix_orders_event_status", "orders", ["event_id", "status"])
    op.create_table(
        "order_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
        sa.Column("booking_id", sa.Integer(), sa.ForeignKey("bookings.id", ondelete="SET NULL")),
        sa.Column("price_id", sa.Integer(), sa.ForeignKey("event_prices.id", ondelete="SET NULL")),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("list_amount", MONEY, nullable=False),
        sa.Column("discount", MONEY, nullable=False),
        sa.Column("vat_rate", sa.Numeric(5, 4), nullable=False),
        sa.Column("net", MONEY, nullable=False),
        sa.Column("vat", MONEY, nullable=False),
        sa.Column("gross", MONEY, nullable=False),
    )
    op.create_index("ix_order_lines_order_id", "order_lines", ["order_id"])
    op.create_index("ix_order_lines_booking_id", "order_lines", ["booking_id"])
    op.create_table(
        "order_payments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(255), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("members.id", ondelete="SET NULL")),
        when("created_at", nullable=False),
    )
    op.create_index("ix_order_payments_order_id", "order_payments", ["order_id"])
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(32), nullable=False, unique=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("net", MONEY, nullable=False),
        sa.Column("vat", MONEY, nullable=False),
        sa.Column("gross", MONEY, nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        when("issued_at", nullable=False),
        sa.UniqueConstraint("kind", "year", "sequence", name="uq_documents_kind_year_sequence"),
    )
    op.create_index("ix_documents_order_id", "documents", ["order_id"])
    op.create_table(
        "order_refunds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("provider_reference", sa.String(255)),
        sa.Column("error", sa.String(500), nullable=False),
        sa.Column("credit_note_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="SET NULL")),
        sa.Column("requested_by_id", sa.Integer(), sa.ForeignKey("members.id", ondelete="SET NULL")),
        when("created_at", nullable=False), when("settled_at"),
    )
    op.create_index("ix_order_refunds_order_id", "order_refunds", ["order_id"])
    op.create_table(
        "document_counters",
        sa.Column("kind", sa.String(12), primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True),
        sa.Column("last", sa.Integer(), nullable=False),
    )
    op.create_table(
        "provider_events",
        sa.Column("id", sa.String(255), primary_key=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id", ondelete="SET NULL")),
        when("received_at", nullable=False),
    )


def downgrade():
    for table in ("provider_events", "document_counters", "order_refunds", "documents", "order_payments", "order_lines", "orders",
                  "discount_codes", "event_prices"):
        op.drop_table(table)
    with op.batch_alter_table("bookings") as batch:
        batch.drop_column("offer_expires_at")
        batch.drop_column("held_until")
    with op.batch_alter_table("events") as batch:
        batch.drop_constraint("held_seats_not_negative", type_="check")
        batch.drop_column("held_count")
        batch.drop_column("refund_deadline")
