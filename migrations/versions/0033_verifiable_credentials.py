"""Credentials that verifiers accept: an opaque subject id per member (and their choice whether their
name shows on verify pages), a registration credential per
registration year, a random position in a Bitstring Status List for each credential, and the CPD
hours a certificate states are those credited to its holder

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 08:40:00

"""
import random

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None

LIST_SIZE = 131_072  # Bitstring Status List v1.0: at least 16 KB (131,072 entries) for herd privacy


def upgrade():
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("credential_subject_id", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("name_on_credentials", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.create_unique_constraint("uq_members_credential_subject_id", ["credential_subject_id"])
    with op.batch_alter_table("credentials") as batch:
        batch.add_column(sa.Column("period", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("status_list", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("status_index", sa.Integer(), nullable=True))
    bind = op.get_bind()
    credentials = sa.table("credentials", sa.column("id"), sa.column("kind"), sa.column("issued_at", sa.DateTime()),
                           sa.column("period"), sa.column("status_index"), sa.column("cpd_hours"),
                           sa.column("member_id"), sa.column("source_id"))
    rows = bind.execute(sa.select(credentials.c.id, credentials.c.kind, credentials.c.issued_at)).all()
    # Existing credentials take random, distinct positions in the first list (there are few).
    positions = random.SystemRandom().sample(range(LIST_SIZE), len(rows)) if len(rows) <= LIST_SIZE // 4 else None
    if positions is None:
        raise RuntimeError("More credentials than one status list holds privately: allocate them in several lists.")
    for (credential_id, kind, issued_at), position in zip(rows, positions):
        period = issued_at.year if kind == "registration" and issued_at is not None else 0
        bind.execute(credentials.update().where(credentials.c.id == credential_id)
                     .values(status_index=position, period=period))
    # A certificate states the hours credited to its holder for the event (their CPD record from it).
    bookings = sa.table("bookings", sa.column("id"), sa.column("event_id"))
    records = sa.table("cpd_records", sa.column("member_id"), sa.column("source_event_id"), sa.column("hours"))
    credited = (sa.select(records.c.hours).where(
        records.c.member_id == credentials.c.member_id,
        records.c.source_event_id == sa.select(bookings.c.event_id).where(
            bookings.c.id == credentials.c.source_id).scalar_subquery())
        .limit(1).scalar_subquery())
    bind.execute(credentials.update().where(credentials.c.kind == "attendance").values(cpd_hours=credited))
    with op.batch_alter_table("credentials") as batch:
        batch.alter_column("status_index", existing_type=sa.Integer(), nullable=False)
        batch.drop_constraint("uq_credentials_kind", type_="unique")
        batch.create_unique_constraint("uq_credentials_kind", ["kind", "source_id", "period"])
        batch.create_unique_constraint("uq_credentials_status_list", ["status_list", "status_index"])


def downgrade():
    with op.batch_alter_table("credentials") as batch:
        batch.drop_constraint("uq_credentials_status_list", type_="unique")
        batch.drop_constraint("uq_credentials_kind", type_="unique")
    op.execute("DELETE FROM credentials WHERE kind = 'registration' AND id NOT IN (SELECT MIN(id) FROM credentials "
               "WHERE kind = 'registration' GROUP BY source_id)")
    with op.batch_alter_table("credentials") as batch:
        batch.create_unique_constraint("uq_credentials_kind", ["kind", "source_id"])
        batch.drop_column("status_index")
        batch.drop_column("status_list")
        batch.drop_column("period")
    with op.batch_alter_table("members") as batch:
        batch.drop_constraint("uq_members_credential_subject_id", type_="unique")
        batch.drop_column("credential_subject_id")
        batch.drop_column("name_on_credentials")
