"""Equality answers changed or withdrawn keep the past years they counted in: anonymous counts by
year, question and answer

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 07:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "equality_year_counts",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=32), nullable=False),
        sa.Column("answer", sa.String(length=32), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", "question", "answer"),
    )


def downgrade():
    op.drop_table("equality_year_counts")
