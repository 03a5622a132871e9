"""The programme's index covers its filter and order: status, start and end

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 21:57:36.266070

"""
from alembic import op
import sqlalchemy as sa

import cpd.core.models


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_events_status_starts_ends", "events", ["status", "starts_at", "ends_at"])
    op.drop_index("ix_events_status_starts_at", table_name="events")


def downgrade():
    op.create_index("ix_events_status_starts_at", "events", ["status", "starts_at"])
    op.drop_index("ix_events_status_starts_ends", table_name="events")
