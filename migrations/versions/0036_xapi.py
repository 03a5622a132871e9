"""Learning recorded elsewhere: xAPI clients, the statements taken (once per id), where a pull from a
learning record store stopped, and each CPD record's source system and statement

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-07 11:40:00

"""
import sqlalchemy as sa
from alembic import op

from cpd.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "xapi_clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_xapi_clients"),
        sa.UniqueConstraint("name", name="uq_xapi_clients_name"),
        sa.UniqueConstraint("key", name="uq_xapi_clients_key"),
    )
    op.create_table(
        "xapi_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("system", sa.String(length=120), nullable=False),
        sa.Column("verb", sa.String(length=16), nullable=False),
        sa.Column("actor_email", sa.String(length=320), nullable=False),
        sa.Column("actor_account", sa.String(length=300), nullable=False),
        sa.Column("activity_id", sa.String(length=500), nullable=False),
        sa.Column("activity_name", sa.String(length=200), nullable=False),
        sa.Column("hours", sa.Numeric(7, 2), nullable=True),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id", ondelete="SET NULL",
                  name="fk_xapi_statements_member_id_members"), nullable=True),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("statement", sa.JSON(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_xapi_statements"),
        sa.UniqueConstraint("statement_id", name="uq_xapi_statements_statement_id"),
    )
    op.create_index("ix_xapi_statements_member_id", "xapi_statements", ["member_id"])
    op.create_index("ix_xapi_statements_unmatched", "xapi_statements", ["member_id", "verb"])
    op.create_table(
        "lrs_pull_cursors",
        sa.Column("lrs_url", sa.String(length=500), nullable=False),
        sa.Column("since", sa.String(length=40), nullable=False),
        sa.Column("pulled_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("lrs_url", name="pk_lrs_pull_cursors"),
    )
    with op.batch_alter_table("cpd_records") as batch:
        batch.add_column(sa.Column("source_system", sa.String(length=120), nullable=False, server_default=""))
        batch.add_column(sa.Column("source_statement_id", sa.String(length=36), nullable=True))
        batch.create_unique_constraint("uq_cpd_records_source_statement_id", ["source_statement_id"])


def downgrade():
    with op.batch_alter_table("cpd_records") as batch:
        batch.drop_constraint("uq_cpd_records_source_statement_id", type_="unique")
        batch.drop_column("source_statement_id")
        batch.drop_column("source_system")
    op.drop_table("lrs_pull_cursors")
    op.drop_index("ix_xapi_statements_unmatched", table_name="xapi_statements")
    op.drop_index("ix_xapi_statements_member_id", table_name="xapi_statements")
    op.drop_table("xapi_statements")
    op.drop_table("xapi_clients")
