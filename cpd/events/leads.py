"""Whether a member leads a SIG. Until SIGs exist as a domain, nobody does."""


def leads_sig(actor, sig_id):
    return False


def members_only_refusal(member, event):
    """Why a members-only event is closed to this member, or None."""
    if member.grade is None:
        return "This event is open to members of the body only."
    return None


def sigs_led_by(actor):
    """[(sig id as text, name)] of the SIGs the actor may run sessions for."""
    return []
