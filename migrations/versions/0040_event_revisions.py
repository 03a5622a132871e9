"""Each event counts the changes to its row, its seat figures, programme sessions and prices (a
page of the programme is kept under the revisions of the events on it)

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-07 15:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0040'
down_revision = '0039'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    with op.batch_alter_table("events") as batch:
        batch.drop_column("revision")
