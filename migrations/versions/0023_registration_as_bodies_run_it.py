"""Registration as licensed bodies run it: referees (each with their own link), qualifications,
career history and the code of conduct on an application, the professional review interview and its
reports, the committee's referral and the appeal; a title held once at a time, lapsed ones kept

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 02:00:00

"""
import sqlalchemy as sa
from alembic import op

import cpd.core.models

# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

# The Engineering Council asks two referees for IEng and CEng, and the Science Council two for
# CSci; each title with a professional review interview (UK-SPEC: IEng and CEng).
TWO_REFEREES = ("CEng", "IEng", "CSci")
INTERVIEWED = ("CEng", "IEng")


def upgrade():
    with op.batch_alter_table("registration_titles") as batch:
        batch.add_column(sa.Column("referees_required", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("interview", sa.Boolean(), nullable=False, server_default=sa.false()))
    titles = sa.table("registration_titles", sa.column("title"), sa.column("referees_required"),
                      sa.column("interview"))
    op.execute(titles.update().where(titles.c.title.in_(TWO_REFEREES)).values(referees_required=2))
    op.execute(titles.update().where(titles.c.title.in_(INTERVIEWED)).values(interview=True))

    op.create_table(
        "application_referees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("link_expires_at", cpd.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("answered_at", cpd.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_application_referees_application_id_applications"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_referees")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_application_referees_token_hash")),
    )
    with op.batch_alter_table("application_referees") as batch:
        batch.create_index(batch.f("ix_application_referees_application_id"), ["application_id"], unique=False)
    _supporters_become_referees()

    op.create_table(
        "application_interviews",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", cpd.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("venue", sa.String(length=300), nullable=False),
        sa.Column("online_url", sa.String(length=500), nullable=False),
        sa.Column("scheduled_by_id", sa.Integer(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("scheduled_at", cpd.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_application_interviews_application_id_applications"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["scheduled_by_id"], ["members.id"],
                                name=op.f("fk_application_interviews_scheduled_by_id_members"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_application_interviews")),
    )
    op.create_table(
        "interview_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("interviewer_id", sa.Integer(), nullable=True),
        sa.Column("competences", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("recommendation", sa.String(length=16), nullable=True),
        sa.Column("reported_at", cpd.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_interview_reports_application_id_applications"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["interviewer_id"], ["members.id"],
                                name=op.f("fk_interview_reports_interviewer_id_members"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_reports")),
        sa.UniqueConstraint("application_id", "interviewer_id", name=op.f("uq_interview_reports_application_id")),
    )
    with op.batch_alter_table("interview_reports") as batch:
        batch.create_index(batch.f("ix_interview_reports_interviewer_id"), ["interviewer_id"], unique=False)

    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("qualifications", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("career_history", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("code_of_conduct_accepted_at", cpd.core.models.UTCDateTime(timezone=True),
                                   nullable=True))
        batch.add_column(sa.Column("feedback", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("decided_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("appeal_grounds", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("appealed_at", cpd.core.models.UTCDateTime(timezone=True), nullable=True))
        batch.create_foreign_key(batch.f("fk_applications_decided_by_id_members"), "members", ["decided_by_id"],
                                 ["id"], ondelete="SET NULL")
        batch.drop_constraint("uq_applications_supporter_token_hash", type_="unique")
        batch.drop_column("supporter_name")
        batch.drop_column("supporter_email")
        batch.drop_column("supporter_token_hash")
        batch.drop_column("supporter_link_expires_at")
    with op.batch_alter_table("application_history") as batch:
        batch.add_column(sa.Column("details", sa.JSON(), nullable=True))

    with op.batch_alter_table("professional_registrations") as batch:
        batch.drop_constraint("uq_professional_registrations_member_id", type_="unique")
        batch.add_column(sa.Column("lapse_reason", sa.String(length=200), nullable=False, server_default=""))
        batch.add_column(sa.Column("reinstatement_reason", sa.Text(), nullable=False, server_default=""))
    op.create_index("uq_professional_registrations_held", "professional_registrations", ["member_id", "title"],
                    unique=True, sqlite_where=sa.text("lapsed_on IS NULL"),
                    postgresql_where=sa.text("lapsed_on IS NULL"))


def _supporters_become_referees():
    """Each application's supporter becomes its first referee: named on a draft, asked (their link
    kept) on a submitted one, confirmed once it went past that."""
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, status, supporter_name, supporter_email, supporter_token_hash, supporter_link_expires_at "
        "FROM applications WHERE supporter_email <> ''")).all()
    referees = sa.table("application_referees", sa.column("application_id"), sa.column("position"),
                        sa.column("name"), sa.column("email"), sa.column("status"), sa.column("token_hash"),
                        sa.column("link_expires_at", cpd.core.models.UTCDateTime()), sa.column("comment"))
    moved = []
    for id_, status, name, email, token_hash, expires in rows:
        state = {"draft": "named", "submitted": "asked", "withdrawn": "named"}.get(status, "confirmed")
        moved.append({"application_id": id_, "position": 0, "name": name, "email": email, "status": state,
                      "token_hash": token_hash if state == "asked" else None,
                      "link_expires_at": expires if state == "asked" else None, "comment": ""})
    if moved:
        op.bulk_insert(referees, moved)


def downgrade():
    op.drop_index("uq_professional_registrations_held", table_name="professional_registrations")
    with op.batch_alter_table("professional_registrations") as batch:
        batch.drop_column("reinstatement_reason")
        batch.drop_column("lapse_reason")
        batch.create_unique_constraint("uq_professional_registrations_member_id", ["member_id", "title"])
    with op.batch_alter_table("application_history") as batch:
        batch.drop_column("details")
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("supporter_name", sa.String(length=200), nullable=False, server_default=""))
        batch.add_column(sa.Column("supporter_email", sa.String(length=254), nullable=False, server_default=""))
        batch.add_column(sa.Column("supporter_token_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("supporter_link_expires_at", cpd.core.models.UTCDateTime(timezone=True),
                                   nullable=True))
        batch.create_unique_constraint("uq_applications_supporter_token_hash", ["supporter_token_hash"])
        batch.drop_constraint("fk_applications_decided_by_id_members", type_="foreignkey")
        for column in ("appealed_at", "appeal_grounds", "decided_by_id", "feedback", "code_of_conduct_accepted_at",
                       "career_history", "qualifications"):
            batch.drop_column(column)
    op.drop_table("interview_reports")
    op.drop_table("application_interviews")
    op.drop_table("application_referees")
    with op.batch_alter_table("registration_titles") as batch:
        batch.drop_column("interview")
        batch.drop_column("referees_required")
