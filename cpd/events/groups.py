"""What the events domain asks of the groups whose leads run sessions (the SIGs): whether someone
leads one, which they lead, whether a group exists, why a members-only session is closed to someone.

Events sits below SIGs in the design, so it imports nothing of theirs: the sigs domain gives its
answers when the app is made (cpd.sigs.leadership.answer_for_events)."""
_answers = {}


def register(leads, led_by, exists, members_only_refusal):
    _answers.update(leads=leads, led_by=led_by, exists=exists, members_only_refusal=members_only_refusal)


def leads_group(actor, group_id):
    return _answers["leads"](actor, group_id)


def groups_led_by(actor):
    """[(id as text, name)] of the groups the actor may run sessions for (staff: all)."""
    return _answers["led_by"](actor)


def group_exists(group_id):
    return _answers["exists"](group_id)


def members_only_refusal(member, event):
    """Why a members-only event is closed to this member, or None."""
    return _answers["members_only_refusal"](member, event)
