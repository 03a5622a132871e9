"""Who may see and change member profiles."""


def can_manage_members(actor):
    return actor is not None and actor.is_staff

