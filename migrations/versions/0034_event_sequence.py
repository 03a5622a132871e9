"""An event's calendar entry counts its changes (RFC 5545 SEQUENCE), so a moved event replaces the
old day in calendars that imported it

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07 09:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    with op.batch_alter_table("events") as batch:
        batch.drop_column("sequence")
