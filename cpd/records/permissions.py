"""Who may see and change CPD records: the member, and (to read) staff."""


def can_read_record(actor, record):
    return actor is not None and (actor.id == record.member_id or actor.is_staff)


def can_change_record(actor, record):
    return actor is not None and actor.id == record.member_id


def can_read_member_records(actor, member):
    return actor is not None and (actor.id == member.id or actor.is_staff)
