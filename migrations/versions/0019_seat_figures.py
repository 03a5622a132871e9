"""Each event keeps its seat figures (cpd.events.seats), counted once here from its bookings

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 22:17:10.188460

"""
from alembic import op
import sqlalchemy as sa

import cpd.core.models


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmed_count", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("waitlist_count", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_check_constraint(op.f("ck_events_seat_figures_not_negative"), "confirmed_count >= 0 AND waitlist_count >= 0")
    op.execute("UPDATE events SET "
               "confirmed_count = (SELECT count(*) FROM bookings b WHERE b.event_id = events.id "
               "AND b.status = 'confirmed'), "
               "waitlist_count = (SELECT count(*) FROM bookings b WHERE b.event_id = events.id "
               "AND b.status = 'waitlisted')")


def downgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_events_seat_figures_not_negative"), type_="check")
        batch_op.drop_column("waitlist_count")
        batch_op.drop_column("confirmed_count")
