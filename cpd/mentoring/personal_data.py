"""What the mentoring domain holds on a member: their mentors and mentees and the comments made on
their log (their export); at erasure every mentoring of theirs ends at once, the mentor's address
and the comments go, and the dated pairs (no personal data left) keep past years' figures."""
import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.mentoring.models import MentorComment, Mentorship


def _theirs(member_id):
    return sa.or_(Mentorship.mentee_id == member_id, Mentorship.mentor_id == member_id)


def personal_data(member_id):
    mentorships = db.session.scalars(sa.select(Mentorship).where(_theirs(member_id)).order_by(Mentorship.id)).all()
    return {"mentoring.json": [
        {"role": "mentee" if m.mentee_id == member_id else "mentor", "mentor_email": m.email, "status": m.status,
         "invited_at": m.invited_at, "active_since": m.active_since, "ended_on": m.ended_on,
         "comments": [{"text": c.text, "record_id": c.record_id, "at": c.created_at} for c in m.comments]}
        for m in mentorships]}


def erase_personal_data(member_id):
    ids = list(db.session.scalars(sa.select(Mentorship.id).where(_theirs(member_id))))
    if not ids:
        return
    db.session.execute(sa.delete(MentorComment).where(MentorComment.mentorship_id.in_(ids)))
    today = utcnow().date()
    db.session.execute(sa.update(Mentorship).where(Mentorship.id.in_(ids), Mentorship.status != "ended")
                       .values(status="ended", ended_on=today).execution_options(synchronize_session=False))
    db.session.execute(sa.update(Mentorship).where(Mentorship.id.in_(ids))
                       .values(email="erased", token_hash=None).execution_options(synchronize_session=False))
