"""The Science Council's standard 1, a continuous record: a policy can ask for one, and the summary
names each gap of three months or more

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 03:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

DESCRIPTION_BEFORE = ("Science Council CPD Standards for registrants (RSciTech, RSci, CSci): no set hours; a mix "
                      "of at least three (exceptionally, with agreement, two) of the five types of activity in "
                      "the last 12 months (standard 2),")
DESCRIPTION_AFTER = ("Science Council CPD Standards for registrants (RSciTech, RSci, CSci): a continuous, "
                     "up-to-date record (standard 1: gaps of three months or more are named); no set hours; a "
                     "mix of at least three (exceptionally, with agreement, two) of the five types of activity "
                     "in the last 12 months (standard 2),")


def upgrade():
    with op.batch_alter_table("cpd_policies") as batch:
        batch.add_column(sa.Column("continuous_record", sa.Boolean(), nullable=False, server_default=sa.false()))
    policies = sa.table("cpd_policies", sa.column("code"), sa.column("continuous_record"), sa.column("description"))
    op.execute(policies.update().where(policies.c.code == "science_council").values(
        continuous_record=True,
        description=sa.func.replace(policies.c.description, DESCRIPTION_BEFORE, DESCRIPTION_AFTER)))


def downgrade():
    policies = sa.table("cpd_policies", sa.column("code"), sa.column("description"))
    op.execute(policies.update().where(policies.c.code == "science_council").values(
        description=sa.func.replace(policies.c.description, DESCRIPTION_AFTER, DESCRIPTION_BEFORE)))
    with op.batch_alter_table("cpd_policies") as batch:
        batch.drop_column("continuous_record")
