"""Engineers Australia: 50 hours in each area of practice where a member names more than one, and 40
hours of industry involvement in every three years for academics and teachers

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 07:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None

ADDED = (" Where you practise in more than one area, at least 50 hours in each (the same hours may count for "
         "each where they overlap). Engineering academics and teachers also show at least 40 hours of "
         "industry involvement in the three years.")


def upgrade():
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("areas_of_practice", sa.String(length=255), nullable=True))
    with op.batch_alter_table("profile_history") as batch:
        batch.alter_column("value", existing_type=sa.String(length=64), type_=sa.String(length=255),
                           existing_nullable=True)
    with op.batch_alter_table("cpd_policies") as batch:
        batch.add_column(sa.Column("academic_topic_minimums", sa.JSON(), nullable=False, server_default="{}"))
    policies = sa.table("cpd_policies", sa.column("code"), sa.column("academic_topic_minimums", sa.JSON()),
                        sa.column("description"))
    op.execute(policies.update().where(policies.c.code == "engineers_australia").values(
        academic_topic_minimums={"industry_involvement": 40}, description=policies.c.description + ADDED))


def downgrade():
    policies = sa.table("cpd_policies", sa.column("code"), sa.column("description"))
    op.execute(policies.update().where(policies.c.code == "engineers_australia").values(
        description=sa.func.replace(policies.c.description, ADDED, "")))
    with op.batch_alter_table("cpd_policies") as batch:
        batch.drop_column("academic_topic_minimums")
    with op.batch_alter_table("profile_history") as batch:
        batch.alter_column("value", existing_type=sa.String(length=255), type_=sa.String(length=64),
                           existing_nullable=True)
    with op.batch_alter_table("members") as batch:
        batch.drop_column("areas_of_practice")
