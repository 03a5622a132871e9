"""A member's CPD policy, discipline, sector and career stage are dated like grades: each value held
until the day before it changed, so a year's figures read what was true on its last day

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 03:20:00

Nothing is backfilled row by row: a member with no history held today's values on every past day,
which is what a backfill from today's values would write (as the grade history's did)."""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "profile_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=True),
        sa.Column("until", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_profile_history_member_id_members"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_history")),
    )
    op.create_index("ix_profile_history_member_field_until", "profile_history", ["member_id", "field", "until"])


def downgrade():
    op.drop_index("ix_profile_history_member_field_until", table_name="profile_history")
    op.drop_table("profile_history")
