"""What the organisations domain holds on a member: the organisations they belong to and their
sharing history (their export); at erasure both end (so no admin sees anything of them), and the
dated rows, with no personal data in them, keep the figures of the years they counted in."""
import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.organisations.models import Affiliation, Organisation, Sharing


def personal_data(member_id):
    belonging = db.session.execute(sa.select(Organisation.name, Affiliation).join(Affiliation).where(
        Affiliation.member_id == member_id).order_by(Affiliation.since)).all()
    sharing = db.session.execute(sa.select(Organisation.name, Sharing).join(
        Sharing, Sharing.organisation_id == Organisation.id).where(Sharing.member_id == member_id)
        .order_by(Sharing.since)).all()
    return {"organisations.json": {
        "belonging": [{"organisation": name, "admin": a.is_admin, "since": a.since, "until": a.until}
                      for name, a in belonging],
        "sharing": [{"organisation": name, "since": s.since, "until": s.until} for name, s in sharing]}}


def erase_personal_data(member_id):
    now = utcnow()
    db.session.execute(sa.update(Sharing).where(Sharing.member_id == member_id, Sharing.until.is_(None))
                       .values(until=now).execution_options(synchronize_session=False))
    db.session.execute(sa.update(Affiliation).where(Affiliation.member_id == member_id, Affiliation.until.is_(None))
                       .values(until=now.date(), is_admin=False).execution_options(synchronize_session=False))
