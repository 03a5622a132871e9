"""The Registered Practitioner register (the Institute of Science and Technology's, for technical
practitioners outside science): its title and competences, so members can apply for it

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 08:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None

TITLE = {"title": "RegisteredPractitioner", "register": "ist_practitioners", "level": 2,
         "name": "Registered Practitioner", "referees_required": 1, "interview": False}
LEVEL = ", independently, choosing and adapting the methods."
COMPETENCES = [{"title": "RegisteredPractitioner", "code": code, "area": area, "statement": statement + LEVEL}
               for code, area, statement in [
                   ("RP-A1", "Technical judgement and responsibility",
                    "Use technical judgement and take responsibility for your technical duties"),
                   ("RP-B1", "Principles and techniques",
                    "Understand the reasons for, and the purposes of, the operations you are responsible for"),
                   ("RP-B2", "Principles and techniques",
                    "Apply the principles and techniques your industry holds as standard"),
                   ("RP-C1", "The context of the work",
                    "Work with the business, management and safety context of your work in mind"),
                   ("RP-C2", "The context of the work",
                    "Weigh the social and economic effects of your work, in your organisation and beyond"),
                   ("RP-D1", "Communication and leadership",
                    "Communicate clearly and, when you lead, guide and develop others"),
                   ("RP-E1", "Professional conduct",
                    "Keep to the body's code of conduct and keep your competence up to date through CPD"),
               ]]


def upgrade():
    titles = sa.table("registration_titles", sa.column("title"), sa.column("register"), sa.column("level"),
                      sa.column("name"), sa.column("referees_required"), sa.column("interview", sa.Boolean()))
    competences = sa.table("title_competences", sa.column("title"), sa.column("code"), sa.column("area"),
                           sa.column("statement"))
    op.bulk_insert(titles, [TITLE])
    op.bulk_insert(competences, COMPETENCES)


def downgrade():
    op.execute("DELETE FROM title_competences WHERE title = 'RegisteredPractitioner'")
    op.execute("DELETE FROM registration_titles WHERE title = 'RegisteredPractitioner'")
