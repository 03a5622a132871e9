"""ACCA's carry-forward: verifiable units beyond a year's requirements carry into the next, up to 21
(never from a member's first CPD year; non-verifiable units never carry)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 03:50:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

ADDED = (" Up to 21 verifiable units beyond a year's 21 (and beyond its 40) carry forward into the next year, "
         "except from your first CPD year; non-verifiable units never carry.")


def upgrade():
    with op.batch_alter_table("cpd_policies") as batch:
        batch.add_column(sa.Column("carry_forward_limit", sa.Numeric(precision=8, scale=2), nullable=True))
    policies = sa.table("cpd_policies", sa.column("code"), sa.column("carry_forward_limit"), sa.column("description"))
    op.execute(policies.update().where(policies.c.code == "acca").values(
        carry_forward_limit=21, description=policies.c.description + ADDED))


def downgrade():
    policies = sa.table("cpd_policies", sa.column("code"), sa.column("description"))
    op.execute(policies.update().where(policies.c.code == "acca").values(
        description=sa.func.replace(policies.c.description, ADDED, "")))
    with op.batch_alter_table("cpd_policies") as batch:
        batch.drop_column("carry_forward_limit")
