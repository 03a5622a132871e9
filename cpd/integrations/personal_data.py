"""What the integrations domain holds on a member: the xAPI statements about them (their export)
and their removal at erasure."""
import sqlalchemy as sa

from cpd.extensions import db
from cpd.integrations.models import XapiStatement


def _about(member):
    return sa.or_(XapiStatement.member_id == member.id, XapiStatement.actor_email == member.email)


def personal_data(member):
    statements = db.session.scalars(sa.select(XapiStatement).where(_about(member)).order_by(XapiStatement.id))
    return {"learning-statements.json": [
        {"statement_id": s.statement_id, "system": s.system, "verb": s.verb, "activity": s.activity_name,
         "hours": s.hours, "on": s.happened_on, "voided": s.voided, "received_at": s.received_at,
         "statement": s.statement} for s in statements]}


def erase_personal_data(member):
    """The statements naming the member go (the CPD records made from them are the records domain's)."""
    db.session.execute(sa.delete(XapiStatement).where(_about(member)))
