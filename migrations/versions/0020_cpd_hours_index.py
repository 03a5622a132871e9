"""The year's CPD hours, by type, answered from an index alone: ended_on, activity_type, hours

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 22:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_cpd_records_ended_type_hours", "cpd_records", ["ended_on", "activity_type", "hours"])
    op.drop_index("ix_cpd_records_ended_on", table_name="cpd_records")


def downgrade():
    op.create_index("ix_cpd_records_ended_on", "cpd_records", ["ended_on"])
    op.drop_index("ix_cpd_records_ended_type_hours", table_name="cpd_records")
