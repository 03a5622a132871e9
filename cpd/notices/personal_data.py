"""What the outbox holds on a person, for their download and their erasure. Flushes, never commits."""
import sqlalchemy as sa

from cpd.extensions import db
from cpd.notices.models import Notice


def erase_personal_data(member_id):
    db.session.execute(sa.delete(Notice).where(Notice.member_id == member_id))
    db.session.flush()


def personal_data(member_id):
    notices = db.session.scalars(sa.select(Notice).where(Notice.member_id == member_id).order_by(Notice.id)).all()
    return {"notices.json": [{"kind": n.kind, "subject": n.subject, "body": n.body, "created_at": n.created_at,
                              "sent_at": n.sent_at} for n in notices]}
