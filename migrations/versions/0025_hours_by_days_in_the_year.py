"""A year's CPD hours count each record by its days inside the year: the index that answers them
carries the day each record started as well as the day it ended

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 03:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_cpd_records_ended_started_type_hours", "cpd_records",
                    ["ended_on", "started_on", "activity_type", "hours"])
    op.drop_index("ix_cpd_records_ended_type_hours", table_name="cpd_records")


def downgrade():
    op.create_index("ix_cpd_records_ended_type_hours", "cpd_records", ["ended_on", "activity_type", "hours"])
    op.drop_index("ix_cpd_records_ended_started_type_hours", table_name="cpd_records")
