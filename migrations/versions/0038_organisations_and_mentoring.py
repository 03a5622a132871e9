"""Employers and mentors: organisations with their people (dated), sharing of CPD standing by
consent (dated periods), approved employer schemes with their
annual self-assessments, orders placed for their people, and mentorships with the mentors' comments and the
registration statements they verified

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-07 12:30:00

"""
import sqlalchemy as sa
from alembic import op

from cpd.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0038'
down_revision = '0037'
branch_labels = None
depends_on = None


def _fk(column, table, ondelete, source, nullable=False):
    return sa.Column(column, sa.Integer(), sa.ForeignKey(f"{table}.id", ondelete=ondelete,
                                                         name=f"fk_{source}_{column}_{table}"), nullable=nullable)


def upgrade():
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("billing", sa.JSON(), nullable=False),
        sa.Column("invitation_hash", sa.String(length=64), nullable=True),
        _fk("created_by_id", "members", "SET NULL", "organisations", nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
        sa.UniqueConstraint("invitation_hash", name="uq_organisations_invitation_hash"),
    )
    op.create_table(
        "affiliations",
        sa.Column("id", sa.Integer(), nullable=False),
        _fk("organisation_id", "organisations", "CASCADE", "affiliations"),
        _fk("member_id", "members", "CASCADE", "affiliations"),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_affiliations"),
    )
    op.create_index("ix_affiliations_member", "affiliations", ["member_id", "organisation_id"])
    op.create_index("ix_affiliations_organisation_id", "affiliations", ["organisation_id"])
    op.create_table(
        "organisation_invitations",
        _fk("organisation_id", "organisations", "CASCADE", "organisation_invitations"),
        _fk("member_id", "members", "CASCADE", "organisation_invitations"),
        _fk("invited_by_id", "members", "SET NULL", "organisation_invitations", nullable=True),
        sa.Column("invited_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", "member_id", name="pk_organisation_invitations"),
    )
    op.create_table(
        "standing_sharing",
        sa.Column("id", sa.Integer(), nullable=False),
        _fk("organisation_id", "organisations", "CASCADE", "standing_sharing"),
        _fk("member_id", "members", "CASCADE", "standing_sharing"),
        sa.Column("since", UTCDateTime(), nullable=False),
        sa.Column("until", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_standing_sharing"),
    )
    op.create_index("ix_standing_sharing_open", "standing_sharing", ["organisation_id", "member_id", "until"])
    op.create_index("ix_standing_sharing_member_id", "standing_sharing", ["member_id"])
    op.create_table(
        "scheme_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        _fk("organisation_id", "organisations", "CASCADE", "scheme_approvals"),
        sa.Column("policy", sa.String(length=64), sa.ForeignKey(
            "cpd_policies.code", name="fk_scheme_approvals_policy_cpd_policies"), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("document_name", sa.String(length=200), nullable=False),
        _fk("approved_by_id", "members", "SET NULL", "scheme_approvals", nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_scheme_approvals"),
    )
    op.create_index("ix_scheme_approvals_organisation_id", "scheme_approvals", ["organisation_id"])
    op.create_table(
        "scheme_self_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        _fk("approval_id", "scheme_approvals", "CASCADE", "scheme_self_assessments"),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        _fk("submitted_by_id", "members", "SET NULL", "scheme_self_assessments", nullable=True),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _fk("reviewed_by_id", "members", "SET NULL", "scheme_self_assessments", nullable=True),
        sa.Column("reviewed_at", UTCDateTime(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_scheme_self_assessments"),
    )
    op.create_index("ix_scheme_self_assessments_approval_id", "scheme_self_assessments", ["approval_id"])
    op.create_table(
        "sponsored_orders",
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id", ondelete="CASCADE",
                  name="fk_sponsored_orders_order_id_orders"), nullable=False),
        _fk("organisation_id", "organisations", "CASCADE", "sponsored_orders"),
        sa.Column("placed_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("order_id", name="pk_sponsored_orders"),
    )
    op.create_index("ix_sponsored_orders_organisation_id", "sponsored_orders", ["organisation_id"])
    op.create_table(
        "mentorships",
        sa.Column("id", sa.Integer(), nullable=False),
        _fk("mentee_id", "members", "CASCADE", "mentorships"),
        sa.Column("email", sa.String(length=254), nullable=False),
        _fk("mentor_id", "members", "SET NULL", "mentorships", nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("link_expires_at", UTCDateTime(), nullable=True),
        sa.Column("invited_at", UTCDateTime(), nullable=False),
        sa.Column("active_since", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mentorships"),
        sa.UniqueConstraint("token_hash", name="uq_mentorships_token_hash"),
    )
    op.create_index("ix_mentorships_mentee_id", "mentorships", ["mentee_id"])
    op.create_index("ix_mentorships_mentor", "mentorships", ["mentor_id", "status"])
    op.create_table(
        "mentor_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        _fk("mentorship_id", "mentorships", "CASCADE", "mentor_comments"),
        sa.Column("record_id", sa.Integer(), sa.ForeignKey(
            "cpd_records.id", ondelete="CASCADE", name="fk_mentor_comments_record_id_cpd_records"), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mentor_comments"),
    )
    op.create_index("ix_mentor_comments_mentorship_id", "mentor_comments", ["mentorship_id"])
    with op.batch_alter_table("application_statements") as batch:
        batch.add_column(sa.Column("verified_by", sa.String(length=300), nullable=False, server_default=""))
        batch.add_column(sa.Column("verified_at", UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("application_statements") as batch:
        batch.drop_column("verified_at")
        batch.drop_column("verified_by")
    op.drop_table("mentor_comments")
    op.drop_table("mentorships")
    op.drop_table("sponsored_orders")
    op.drop_table("scheme_self_assessments")
    op.drop_table("scheme_approvals")
    op.drop_table("standing_sharing")
    op.drop_table("organisation_invitations")
    op.drop_table("affiliations")
    op.drop_table("organisations")
