"""The stored figures of closed years (cpd.metrics.closed_years)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 21:52:15.400239

"""
from alembic import op
import sqlalchemy as sa

import cpd.core.models


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('closed_year_figures',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('stored_at', cpd.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_closed_year_figures'))
    )


def downgrade():
    op.drop_table('closed_year_figures')
