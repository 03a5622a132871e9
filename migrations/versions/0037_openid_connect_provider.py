"""Single sign-on: the platform as an OpenID Connect provider: the clients staff register (secrets
kept as digests), authorization codes and tokens (digests too), and each member's consent per client

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-07 12:00:00

"""
import sqlalchemy as sa
from alembic import op

from cpd.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "oidc_clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("members.id", ondelete="SET NULL",
                  name="fk_oidc_clients_created_by_id_members"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("client_id", sa.String(length=48), nullable=True),
        sa.Column("client_secret", sa.String(length=120), nullable=True),
        sa.Column("client_id_issued_at", sa.Integer(), nullable=False),
        sa.Column("client_secret_expires_at", sa.Integer(), nullable=False),
        sa.Column("client_metadata", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_oidc_clients"),
    )
    op.create_index("ix_oidc_clients_client_id", "oidc_clients", ["client_id"])
    op.create_table(
        "oidc_authorization_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id", ondelete="CASCADE",
                  name="fk_oidc_authorization_codes_member_id_members"), nullable=False),
        sa.Column("code", sa.String(length=120), nullable=False),
        sa.Column("client_id", sa.String(length=48), nullable=True),
        sa.Column("redirect_uri", sa.Text(), nullable=True),
        sa.Column("response_type", sa.Text(), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("nonce", sa.Text(), nullable=True),
        sa.Column("auth_time", sa.Integer(), nullable=False),
        sa.Column("acr", sa.Text(), nullable=True),
        sa.Column("amr", sa.Text(), nullable=True),
        sa.Column("code_challenge", sa.Text(), nullable=True),
        sa.Column("code_challenge_method", sa.String(length=48), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_oidc_authorization_codes"),
        sa.UniqueConstraint("code", name="uq_oidc_authorization_codes_code"),
    )
    op.create_table(
        "oidc_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id", ondelete="CASCADE",
                  name="fk_oidc_tokens_member_id_members"), nullable=False),
        sa.Column("client_id", sa.String(length=48), nullable=True),
        sa.Column("token_type", sa.String(length=40), nullable=True),
        sa.Column("access_token", sa.String(length=255), nullable=False),
        sa.Column("refresh_token", sa.String(length=255), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("issued_at", sa.Integer(), nullable=False),
        sa.Column("access_token_revoked_at", sa.Integer(), nullable=False),
        sa.Column("refresh_token_revoked_at", sa.Integer(), nullable=False),
        sa.Column("expires_in", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_oidc_tokens"),
        sa.UniqueConstraint("access_token", name="uq_oidc_tokens_access_token"),
    )
    op.create_index("ix_oidc_tokens_refresh_token", "oidc_tokens", ["refresh_token"])
    op.create_index("ix_oidc_tokens_member_id", "oidc_tokens", ["member_id"])
    op.create_table(
        "oidc_consents",
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id", ondelete="CASCADE",
                  name="fk_oidc_consents_member_id_members"), nullable=False),
        sa.Column("client_id", sa.String(length=48), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("given_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("member_id", "client_id", name="pk_oidc_consents"),
    )


def downgrade():
    op.drop_table("oidc_consents")
    op.drop_index("ix_oidc_tokens_member_id", table_name="oidc_tokens")
    op.drop_index("ix_oidc_tokens_refresh_token", table_name="oidc_tokens")
    op.drop_table("oidc_tokens")
    op.drop_table("oidc_authorization_codes")
    op.drop_index("ix_oidc_clients_client_id", table_name="oidc_clients")
    op.drop_table("oidc_clients")
