"""The names of the CPD policies a member may follow, read from the policies' own table: the profile
(members) and sign-up (auth) offer them, and neither reaches up to the records domain that keeps
and measures the policies (cpd.records.policies)."""
import sqlalchemy as sa

from cpd.extensions import db

# The table cpd.records.models.CpdPolicy maps, seen here by its name and the columns read.
_policies = sa.table("cpd_policies", sa.column("code"), sa.column("name"), sa.column("description"))


def policy_codes():
    return db.session.scalars(sa.select(_policies.c.code).order_by(_policies.c.code)).all()


def policy_names():
    """{code: the body's name for it}, for choosing a policy on a page."""
    return dict(db.session.execute(sa.select(_policies.c.code, _policies.c.name).order_by(_policies.c.name)).all())


# Whom each shipped policy serves, in one line for choosing one at sign-up.
SERVES = {
    "science_council": "Registered scientists and science technicians (RSciTech, RSci, CSci).",
    "iet": "Engineers and technicians registered with the Engineering Council through the IET.",
    "rics": "Chartered surveyors and other RICS members.",
    "engineers_ireland": "Members of Engineers Ireland.",
    "engineers_australia": "Chartered engineers and National Engineering Register registrants in Australia.",
    "acca": "ACCA members (the unit route).",
}


def policy_one_liners():
    """{code: one line on whom the policy serves}: the shipped ones' own words, else the first
    sentence of the description."""
    lines = {}
    for code, description in policy_descriptions().items():
        lines[code] = SERVES.get(code) or (description or "").split(". ")[0].rstrip(".") + "."
    return lines


def policy_descriptions():
    return dict(db.session.execute(sa.select(_policies.c.code, _policies.c.description)).all())
