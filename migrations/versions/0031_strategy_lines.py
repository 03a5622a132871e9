"""The strategy's weak proxies made measures: publications say who they are written for (an
education resource is for schools) with downloads counted by day, and engagements carry topics

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 08:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("publications") as batch:
        batch.add_column(sa.Column("audience", sa.String(length=20), nullable=False, server_default="professionals"))
    op.create_table(
        "publication_downloads",
        sa.Column("publication_id", sa.Integer(), sa.ForeignKey("publications.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("downloaded_on", sa.Date(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("publication_id", "downloaded_on"),
    )
    op.create_table(
        "engagement_topics",
        sa.Column("engagement_id", sa.Integer(), sa.ForeignKey("engagements.id", ondelete="CASCADE"), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("engagement_id", "topic"),
    )


def downgrade():
    op.drop_table("engagement_topics")
    op.drop_table("publication_downloads")
    with op.batch_alter_table("publications") as batch:
        batch.drop_column("audience")
