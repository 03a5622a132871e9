"""Who leads and who belongs to a SIG: the narrow questions the events domain asks of SIGs
(cpd.events.groups), answered from here."""
import sqlalchemy as sa

from cpd.extensions import db
from cpd.sigs.models import Sig, SigLead, SigMembership


def leads_sig(actor, sig_id):
    if actor is None or sig_id is None:
        return False
    return db.session.get(SigLead, (sig_id, actor.id)) is not None


def current_membership(sig_id, member_id):
    """The member's membership of the SIG as it stands (None if they are not in it now)."""
    return db.session.scalar(sa.select(SigMembership).where(
        SigMembership.sig_id == sig_id, SigMembership.member_id == member_id, SigMembership.left_at.is_(None)))


def belongs_to_sig(member, sig_id):
    return current_membership(sig_id, member.id) is not None


def sigs_led_by(actor):
    """[(sig id as text, name)] of the SIGs the actor may run sessions for (staff: all)."""
    if actor is None:
        return []
    statement = sa.select(Sig.id, Sig.name).order_by(Sig.name)
    if not actor.is_staff:
        statement = statement.join(SigLead, SigLead.sig_id == Sig.id).where(SigLead.member_id == actor.id)
    return [(str(sig_id), name) for sig_id, name in db.session.execute(statement)]


def members_only_refusal(member, event):
    """Why a members-only event is closed to this member, or None."""
    if event.sig_id is not None:
        if not belongs_to_sig(member, event.sig_id) and not leads_sig(member, event.sig_id):
            return "This session is open to members of the SIG only: join the SIG first."
        return None
    if member.grade is None:
        return "This event is open to members of the body only."
    return None


def sig_exists(sig_id):
    return db.session.get(Sig, sig_id) is not None


def answer_for_events():
    """Give the events domain these answers (called when the app is made)."""
    from cpd.events import groups

    groups.register(leads=leads_sig, led_by=sigs_led_by, exists=sig_exists, members_only_refusal=members_only_refusal)
