"""Organisations and their people: made by staff, joined by an invitation link, with admins who are
members; a member shares their CPD standing with an organisation they belong to, and withdraws it,
at any time; an admin sees the standing of those who share, while they share, and each look is in
the audit log."""
import secrets

import sqlalchemy as sa

from cpd.core import audit
from cpd.core.errors import Conflict, Forbidden, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.pagination import count_rows
from cpd.core.tokens import digest
from cpd.core.urls import public_url
from cpd.extensions import db
from cpd.members.models import Member
from cpd.notices import queue_notice
from cpd.organisations.models import Affiliation, Organisation, PersonInvitation, Sharing
from cpd.records import services as records

KINDS = ("employer", "university", "other")
BILLING_FIELDS = ("name", "address", "vat_number", "email")


def _today():
    return utcnow().date()


def _clean_billing(billing, errors):
    if billing is None:
        return {}
    if not isinstance(billing, dict) or set(billing) - set(BILLING_FIELDS):
        errors["billing"] = [f"Give any of: {', '.join(BILLING_FIELDS)}."]
        return {}
    cleaned = {}
    for name, value in billing.items():
        if not isinstance(value, str) or len(value) > 500:
            errors[f"billing.{name}"] = ["Text of up to 500 characters."]
        else:
            cleaned[name] = value.strip()
    return cleaned


def create(actor, values):
    errors = {}
    name = (values.get("name") or "").strip()
    if not name or len(name) > 200:
        errors["name"] = ["Name the organisation (up to 200 characters)."]
    if values.get("kind") not in KINDS:
        errors["kind"] = [f"One of: {', '.join(KINDS)}."]
    billing = _clean_billing(values.get("billing"), errors)
    if errors:
        raise Invalid.from_fields(errors)
    organisation = Organisation(name=name, kind=values["kind"], billing=billing, created_by_id=actor.id,
                                created_on=_today())
    db.session.add(organisation)
    db.session.flush()
    audit.record(actor, "organisation.create", "organisation", organisation.id)
    return organisation


def get(organisation_id):
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("No such organisation.")
    return organisation


def search(text=""):
    query = sa.select(Organisation).order_by(Organisation.name, Organisation.id)
    if text:
        query = query.where(Organisation.name.ilike(f"%{text}%"))
    return query


# --- people ---------------------------------------------------------------------------------------

def _current_affiliation(organisation_id, member_id):
    return db.session.scalar(sa.select(Affiliation).where(
        Affiliation.organisation_id == organisation_id, Affiliation.member_id == member_id,
        Affiliation.until.is_(None)))


def belongs(organisation_id, member_id):
    return _current_affiliation(organisation_id, member_id) is not None


def is_admin(actor, organisation_id):
    affiliation = _current_affiliation(organisation_id, actor.id)
    return affiliation is not None and affiliation.is_admin


def require_admin(actor, organisation_id):
    """The organisation, for one of its admins; 404 to anyone else (staff included: an
    organisation's people are its admins' business, and staff are not its admins)."""
    organisation = get(organisation_id)
    if not is_admin(actor, organisation_id):
        raise NotFound("No such organisation.")
    return organisation


def _join(organisation, member, is_admin_too=False):
    affiliation = _current_affiliation(organisation.id, member.id)
    if affiliation is None:
        affiliation = Affiliation(organisation=organisation, member_id=member.id, since=_today())
        db.session.add(affiliation)
    affiliation.is_admin = affiliation.is_admin or is_admin_too
    db.session.flush()
    return affiliation


def make_admin(actor, organisation_id, member_id):
    """Staff make a member an admin of an organisation (joining them to it if they were not)."""
    organisation = get(organisation_id)
    member = db.session.get(Member, member_id)
    if member is None or not member.is_active:
        raise NotFound("No such member.")
    affiliation = _join(organisation, member, is_admin_too=True)
    audit.record(actor, "organisation.admin", "organisation", organisation.id, member_id=member.id)
    return affiliation


def invitation_link(actor, organisation_id):
    """A fresh invitation link (the one before stops working), for an admin to pass to their people."""
    organisation = require_admin(actor, organisation_id)
    raw = secrets.token_urlsafe(24)
    organisation.invitation_hash = digest(raw)
    db.session.flush()
    return public_url("organisations.join_page", token=raw)


def organisation_for_invitation(raw):
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.invitation_hash == digest(raw)))
    if organisation is None:
        raise NotFound("This invitation is not valid: ask the organisation's admin for a new link.")
    return organisation


def join_by_invitation(member, raw):
    organisation = organisation_for_invitation(raw)
    if belongs(organisation.id, member.id):
        raise Conflict(f"You already belong to {organisation.name}.")
    return _join(organisation, member)


def add_person(actor, organisation_id, email):
    """The admin adds a member by their account's email: they are asked, and belong once they confirm."""
    organisation = require_admin(actor, organisation_id)
    member = db.session.scalar(sa.select(Member).where(Member.email == (email or "").strip().lower(),
                                                       Member.erased_at.is_(None)))
    if member is None:
        raise NotFound("No account here uses that email: send them the invitation link instead.")
    if belongs(organisation.id, member.id):
        raise Conflict(f"{member.full_name} already belongs to {organisation.name}.")
    if db.session.get(PersonInvitation, (organisation.id, member.id)) is None:
        db.session.add(PersonInvitation(organisation_id=organisation.id, member_id=member.id, invited_by_id=actor.id))
        queue_notice(member, "organisation_invitation", f"{organisation.name} added you as one of its people",
                     f"{actor.full_name} added you to {organisation.name} on this platform, so that it can book you "
                     "onto courses and conferences. Confirm it if you work or study there; it sees your CPD standing "
                     "only if you choose to share it.", links=[("Confirm or ignore", public_url("organisations.mine"))])
    db.session.flush()
    return member


def confirm_invitation(member, organisation_id):
    invitation = db.session.get(PersonInvitation, (organisation_id, member.id))
    if invitation is None:
        raise NotFound("No such invitation.")
    db.session.delete(invitation)
    return _join(get(organisation_id), member)


def invitations_for(member_id):
    return db.session.scalars(sa.select(Organisation).join(
        PersonInvitation, PersonInvitation.organisation_id == Organisation.id).where(
        PersonInvitation.member_id == member_id).order_by(Organisation.name)).all()


def leave(member, organisation_id):
    affiliation = _current_affiliation(organisation_id, member.id)
    if affiliation is None:
        raise NotFound("You do not belong to that organisation.")
    stop_sharing(member.id, organisation_id)
    affiliation.until = _today()
    db.session.flush()


def organisations_of(member_id):
    """[(organisation, affiliation, sharing?)] the member belongs to today."""
    rows = db.session.execute(sa.select(Organisation, Affiliation).join(Affiliation).where(
        Affiliation.member_id == member_id, Affiliation.until.is_(None)).order_by(Organisation.name)).all()
    sharing = set(db.session.scalars(sa.select(Sharing.organisation_id).where(
        Sharing.member_id == member_id, Sharing.until.is_(None))))
    return [(organisation, affiliation, organisation.id in sharing) for organisation, affiliation in rows]


# --- sharing, by consent ---------------------------------------------------------------------------

def _open_sharing(member_id, organisation_id):
    return db.session.scalar(sa.select(Sharing).where(Sharing.member_id == member_id,
                                                      Sharing.organisation_id == organisation_id,
                                                      Sharing.until.is_(None)))


def stop_sharing(member_id, organisation_id):
    sharing = _open_sharing(member_id, organisation_id)
    if sharing is not None:
        sharing.until = utcnow()


def set_sharing(member, organisation_id, share):
    """Share (or stop sharing) the member's CPD standing with an organisation they belong to."""
    get(organisation_id)
    if not belongs(organisation_id, member.id):
        raise Forbidden("You can share your standing only with an organisation you belong to.")
    if share and _open_sharing(member.id, organisation_id) is None:
        db.session.add(Sharing(member_id=member.id, organisation_id=organisation_id, since=utcnow()))
    elif not share:
        stop_sharing(member.id, organisation_id)
    audit.record(member, "organisation.sharing", "organisation", organisation_id, share=bool(share))
    db.session.flush()
    return {"organisation_id": organisation_id, "share": bool(share)}


def standing_of(member):
    """What an organisation sees of a sharing member: where they stand, never their log."""
    summary = records.summary_for(member)
    return {"policy": summary.policy, "compliant": summary.compliant, "on_track": summary.on_track,
            "period_start": summary.period_start, "period_end": summary.period_end,
            "total": float(summary.total), "required": None if summary.required is None else float(summary.required),
            "shortfalls": list(summary.shortfalls), "by_activity_type": {k: float(v) for k, v in
                                                                         summary.by_activity_type.items()},
            "met_through_scheme": getattr(summary, "met_through_scheme", None)}


def people(actor, organisation_id, page, per_page):
    """The organisation's people, for its admin: standing only for those who share, while they do."""
    organisation = require_admin(actor, organisation_id)
    query = (sa.select(Member, Affiliation).join(Affiliation, Affiliation.member_id == Member.id)
             .where(Affiliation.organisation_id == organisation.id, Affiliation.until.is_(None))
             .order_by(Member.full_name, Member.id))
    total = count_rows(query)
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    sharing = set(db.session.scalars(sa.select(Sharing.member_id).where(
        Sharing.organisation_id == organisation.id, Sharing.until.is_(None),
        Sharing.member_id.in_([member.id for member, _ in rows]))))
    items = [{"member_id": member.id, "full_name": member.full_name, "is_admin": affiliation.is_admin,
              "since": affiliation.since, "sharing": member.id in sharing,
              "standing": standing_of(member) if member.id in sharing else None} for member, affiliation in rows]
    audit.record(actor, "organisation.people_viewed", "organisation", organisation.id,
                 standings_seen=sorted(member_id for member_id in sharing))
    return {"items": items, "total": total, "page": page, "per_page": per_page}


