"""Who may run which events: staff run everything; a SIG's leads run that SIG's sessions."""
from cpd.events.groups import groups_led_by, leads_group

LEAD_KINDS = ("sig_session", "outreach")


def can_create_event(actor, kind, sig_id):
    if actor is None:
        return False
    if actor.is_staff:
        return True
    return kind in LEAD_KINDS and sig_id is not None and leads_group(actor, sig_id)


def may_create_some_event(actor):
    """Staff, or a lead of some SIG: who may call "create an event" at all, before its kind is read."""
    return actor is not None and (actor.is_staff or bool(groups_led_by(actor)))


def can_manage_event(actor, event):
    """Change, cancel, see the bookings of, and take the register of this event."""
    return can_create_event(actor, event.kind, event.sig_id)


# What a SIG lead may change on their own sessions: what the lead's page offers. What the event is
# (kind, course, SIG) stays staff's, so a lead cannot turn a session into a course run.
STAFF_ONLY_EVENT_FIELDS = ("kind", "course_id", "sig_id")


def may_join_online(actor, event, booking=None):
    """The online joining link goes to confirmed bookers, staff and the event's leads only."""
    if actor is None:
        return False
    if booking is not None and booking.status == "confirmed" and booking.member_id == actor.id:
        return True
    return can_manage_event(actor, event)


def is_visible_to_all(event):
    """Anyone may see an event but a draft (its managers only)."""
    return event.status != "draft"


def can_see_event(actor, event):
    return is_visible_to_all(event) or can_manage_event(actor, event)


def may_be_given_the_link(actor, event):
    """Whether the joining link is in question at all: an event that has one, asked for by someone
    signed in (may_join_online then says whether they get it)."""
    return actor is not None and bool(event.online_url)


def can_manage_programme(actor, event):
    return actor is not None and actor.is_staff


def can_manage_booking(actor, booking):
    return actor is not None and (actor.id == booking.member_id or actor.is_staff)


def can_create_any_event(actor):
    return actor is not None and (actor.is_staff or bool(groups_led_by(actor)))
