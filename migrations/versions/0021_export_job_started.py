"""When the worker began building an export, so one whose worker died is found and marked failed

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 20:05:00

"""
import sqlalchemy as sa
from alembic import op

import cpd.core.models

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("export_jobs") as batch:
        batch.add_column(sa.Column("started_at", cpd.core.models.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("export_jobs") as batch:
        batch.drop_column("started_at")
