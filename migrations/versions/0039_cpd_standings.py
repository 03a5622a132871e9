"""Each member's standing against their CPD policy, stored as of a day (kept in the transaction that
changes it and by the daily round), and the days a round recomputed everyone. A database with no
CPD records and no exemptions starts complete: every standing there is an empty log's.

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-07 15:00:00

"""
import sqlalchemy as sa
from alembic import op

from cpd.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0039'
down_revision = '0038'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "cpd_standings",
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id", ondelete="CASCADE",
                                                           name="fk_cpd_standings_member_id_members"), nullable=False),
        sa.Column("policy_code", sa.String(length=64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("on_track", sa.Boolean(), nullable=False),
        sa.Column("counted", sa.Numeric(10, 2), nullable=False),
        sa.Column("short", sa.Integer(), nullable=False),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("member_id", name="pk_cpd_standings"),
    )
    rounds = op.create_table(
        "cpd_standing_rounds",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_cpd_standing_rounds"),
    )
    connection = op.get_bind()
    empty = not connection.scalar(sa.text("SELECT EXISTS (SELECT 1 FROM cpd_records) OR "
                                          "EXISTS (SELECT 1 FROM cpd_exemptions)"))
    if empty:
        from datetime import datetime, timezone

        now = datetime.now(timezone.utc)
        op.bulk_insert(rounds, [{"day": now.date(), "members": 0, "finished_at": now}])


def downgrade():
    op.drop_table("cpd_standing_rounds")
    op.drop_table("cpd_standings")
