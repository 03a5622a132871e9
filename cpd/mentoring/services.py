"""Mentors and line managers: the member invites one by email (a member or not) with a private link
that expires; a member mentor accepts in their own account, anyone else reads through the link. An
active mentor reads the mentee's log and plan, comments, and logs mentoring meetings, which are CPD
records (for the mentee; for a member mentor too, as professional activity). The member ends it at
any time, and the mentor then hears 404, as if it had never been.

As the bodies run it: IET Career Manager's "interim verification" by a line manager who need not be
a member; mentoring for registration candidates (Engineering Council, UK-SPEC)."""
import secrets
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from cpd.core import audit
from cpd.core.errors import Conflict, Gone, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.tokens import digest
from cpd.core.urls import public_url
from cpd.extensions import db
from cpd.members.models import Member
from cpd.mentoring.models import MentorComment, Mentorship
from cpd.notices import queue_notice
from cpd.records import services as records
from cpd.records.models import CpdRecord

LINK_DAYS = 30
LIVE = ("invited", "active")


def _email(value):
    email = (value or "").strip().lower()
    if not email or "@" not in email or len(email) > 254:
        raise Invalid.on_field("email", "Give the mentor's email address.")
    return email


def invite(member, email):
    """Invite a mentor: a private link by email (it works for LINK_DAYS); a member with that address
    also sees the invitation in their account."""
    email = _email(email)
    if email == member.email:
        raise Invalid.on_field("email", "Your mentor is someone else.")
    if db.session.scalar(sa.select(Mentorship.id).where(Mentorship.mentee_id == member.id, Mentorship.email == email,
                                                        Mentorship.status.in_(LIVE))) is not None:
        raise Conflict(f"You have already invited {email}.")
    raw = secrets.token_urlsafe(32)
    mentor = db.session.scalar(sa.select(Member).where(Member.email == email, Member.erased_at.is_(None)))
    mentorship = Mentorship(mentee_id=member.id, email=email, mentor_id=mentor.id if mentor else None,
                            token_hash=digest(raw), link_expires_at=utcnow() + timedelta(days=LINK_DAYS))
    db.session.add(mentorship)
    db.session.flush()
    link = public_url("mentoring.mentee_page", token=raw)
    queue_notice(member, "mentor_invitation", f"{member.full_name} asks you to be their mentor",
                 f"{member.full_name} asks you to mentor them: to read their CPD log and development plan, comment "
                 f"on it, and log your mentoring meetings. The link is yours alone and works for {LINK_DAYS} days"
                 + ("; you can also accept in your account." if mentor else "; no account is needed."),
                 links=[("Open the invitation", link)], to_address=email, greeting=email)
    audit.record(member, "mentoring.invite", "mentorship", mentorship.id)
    return mentorship


def mentors_of(member):
    return db.session.scalars(sa.select(Mentorship).where(Mentorship.mentee_id == member.id)
                              .order_by(Mentorship.invited_at.desc(), Mentorship.id.desc())).all()


def end(member, mentorship_id):
    """The member ends it: the mentor loses access at once (the link too)."""
    mentorship = db.session.get(Mentorship, mentorship_id)
    if mentorship is None or mentorship.mentee_id != member.id or mentorship.status == "ended":
        raise NotFound("No such mentor.")
    mentorship.status, mentorship.ended_on, mentorship.token_hash = "ended", utcnow().date(), None
    audit.record(member, "mentoring.end", "mentorship", mentorship.id)
    db.session.flush()
    return mentorship


# --- the mentor's side ----------------------------------------------------------------------------

def invitations_and_mentees(mentor):
    """The mentorships a member mentor has been invited to or accepted, live ones only."""
    return db.session.scalars(sa.select(Mentorship).where(
        sa.or_(Mentorship.mentor_id == mentor.id, Mentorship.email == mentor.email),
        Mentorship.status.in_(LIVE)).order_by(Mentorship.invited_at.desc())).all()


def _activate(mentorship, mentor=None):
    if mentorship.status == "invited":
        mentorship.status, mentorship.active_since = "active", utcnow().date()
    if mentor is not None:
        mentorship.mentor_id = mentor.id


def accept(mentor, mentorship_id):
    mentorship = db.session.get(Mentorship, mentorship_id)
    if mentorship is None or mentorship.status not in LIVE or mentor.email != mentorship.email:
        raise NotFound("No such invitation.")
    _activate(mentorship, mentor)
    db.session.flush()
    return mentorship


def for_link(raw):
    """The mentorship a private link opens (accepting it on first use); 404 once ended, 410 expired."""
    mentorship = db.session.scalar(sa.select(Mentorship).where(Mentorship.token_hash == digest(str(raw))))
    if mentorship is None or mentorship.status not in LIVE:
        raise NotFound("This link is not valid, or the mentoring it was for has ended.")
    if mentorship.link_expires_at < utcnow():
        raise Gone("This link has expired: ask for a new invitation.")
    _activate(mentorship)
    db.session.flush()
    return mentorship


def active_mentorship(mentor, mentee_id):
    """The active mentorship of a member mentor with this mentee; 404 for anyone else (never 403:
    who mentors whom is not told)."""
    mentorship = db.session.scalar(sa.select(Mentorship).where(
        Mentorship.mentee_id == mentee_id, Mentorship.mentor_id == mentor.id, Mentorship.status == "active"))
    if mentorship is None:
        raise NotFound("No such mentee.")
    return mentorship


def own_active_mentorship(member, mentorship_id):
    """One of the member's own mentorships, active; 404 otherwise."""
    mentorship = db.session.get(Mentorship, mentorship_id)
    if mentorship is None or mentorship.mentee_id != member.id or mentorship.status != "active":
        raise NotFound("No such mentor.")
    return mentorship


def shared_records(mentorship):
    return records.record_search(mentorship.mentee_id)


def comment(mentorship, text, record_id=None):
    text = (text or "").strip()
    if not text or len(text) > 5000:
        raise Invalid.on_field("text", "Write a comment (up to 5,000 characters).")
    if record_id is not None and db.session.scalar(sa.select(CpdRecord.id).where(
            CpdRecord.id == record_id, CpdRecord.member_id == mentorship.mentee_id)) is None:
        raise NotFound("No such CPD record.")
    made = MentorComment(mentorship=mentorship, record_id=record_id, text=text)
    db.session.add(made)
    db.session.flush()
    return made


def comments_on(member_id):
    """Mentors' comments on the member's log, newest first (for the member)."""
    return db.session.scalars(sa.select(MentorComment).join(Mentorship).where(Mentorship.mentee_id == member_id)
                              .order_by(MentorComment.created_at.desc(), MentorComment.id.desc())).all()


def log_meeting(mentorship, values, logged_by):
    """A mentoring meeting: a CPD record for the mentee (work-based learning), and for a member mentor
    one of professional activity (mentoring others is CPD for the mentor too)."""
    on, hours = values.get("on"), values.get("hours")
    if on is None or on > utcnow().date():
        raise Invalid.on_field("on", "The day of the meeting (not in the future).")
    notes = (values.get("notes") or "").strip()[:5000]
    mentee = db.session.get(Member, mentorship.mentee_id)
    made = [records.add_record(mentee, {"title": "Mentoring meeting", "activity_type": "work_based",
                                        "started_on": on, "hours": Decimal(str(hours)), "description": notes})]
    if mentorship.mentor_id is not None:
        mentor = db.session.get(Member, mentorship.mentor_id)
        made.append(records.add_record(mentor, {"title": f"Mentoring {mentee.full_name}",
                                                "activity_type": "professional_activity", "started_on": on,
                                                "hours": Decimal(str(hours)), "description": notes}))
    audit.record(logged_by, "mentoring.meeting", "mentorship", mentorship.id)
    return made

