"""Revalidation as licensed bodies run it: an audit case's due date, the reason for its outcome and
who recorded it, the appeal window before a registration lapses, and the appeal

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 02:30:00

"""
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

import cpd.core.models

# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

AUDIT_SUBMIT_DAYS = 90  # the setting's default when this revision was written


def upgrade():
    with op.batch_alter_table("audit_cases") as batch:
        batch.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("outcome_reason", sa.String(length=24), nullable=False, server_default=""))
        batch.add_column(sa.Column("outcome_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("lapse_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("appeal_grounds", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("appealed_at", cpd.core.models.UTCDateTime(timezone=True), nullable=True))
        batch.create_foreign_key(batch.f("fk_audit_cases_outcome_by_id_members"), "members", ["outcome_by_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index(batch.f("ix_audit_cases_due_on"), ["due_on"], unique=False)
        batch.create_index(batch.f("ix_audit_cases_lapse_on"), ["lapse_on"], unique=False)
    # Cases drawn before: due AUDIT_SUBMIT_DAYS after their audit was drawn.
    connection = op.get_bind()
    drawn = connection.execute(sa.text(
        "SELECT audit_cases.id, cpd_audits.drawn_at FROM audit_cases JOIN cpd_audits ON cpd_audits.id = audit_cases.audit_id"
    )).all()
    cases = sa.table("audit_cases", sa.column("id"), sa.column("due_on"))
    for case_id, drawn_at in drawn:
        day = date.fromisoformat(str(drawn_at)[:10])  # a datetime (PostgreSQL) or its text (SQLite)
        op.execute(cases.update().where(cases.c.id == case_id).values(due_on=day + timedelta(days=AUDIT_SUBMIT_DAYS)))


def downgrade():
    with op.batch_alter_table("audit_cases") as batch:
        batch.drop_index(batch.f("ix_audit_cases_lapse_on"))
        batch.drop_index(batch.f("ix_audit_cases_due_on"))
        batch.drop_constraint("fk_audit_cases_outcome_by_id_members", type_="foreignkey")
        for column in ("appealed_at", "appeal_grounds", "lapse_on", "outcome_by_id", "outcome_reason", "due_on"):
            batch.drop_column(column)
