"""The rules for SIGs. Functions flush, never commit; the caller commits once."""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cpd.core import audit, limits
from cpd.core.errors import Conflict, Forbidden, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.events import permissions as event_permissions
from cpd.events import catalogue
from cpd.events.models import Booking, Event
from cpd.extensions import db
from cpd.members.models import Member
from cpd.members.vocabulary import DISCIPLINES
from cpd.sigs.leadership import current_membership, leads_sig
from cpd.sigs.models import OutreachReach, Sig, SigLead, SigMembership


def _staff_only(actor, doing):
    if actor is None or not actor.is_staff:
        raise Forbidden(f"Only staff {doing}.")


def _clean_sig(values):
    errors = {}
    name = " ".join((values.get("name") or "").split())
    if not limits.NAME.low <= len(name) <= limits.NAME.high:
        errors["name"] = [f"Give a name of {limits.NAME.low} to {limits.NAME.high} characters."]
    if values.get("discipline") is not None and values["discipline"] not in DISCIPLINES:
        errors["discipline"] = [f"Must be one of: {', '.join(DISCIPLINES)}."]
    description = limits.check_text(values, "description", limits.DESCRIPTION, errors, one_line=False)
    if errors:
        raise Invalid.from_fields(errors)
    return {"name": name, "discipline": values.get("discipline"), "description": description}


def _name_taken(name, sig_id=None):
    # SQL's lower() knows only ASCII on SQLite: compare the exact name too.
    statement = sa.select(Sig.id).where(sa.or_(Sig.name == name, sa.func.lower(Sig.name) == name.lower()))
    if sig_id:
        statement = statement.where(Sig.id != sig_id)
    return db.session.scalar(statement) is not None


def create_sig(actor, values):
    _staff_only(actor, "create SIGs")
    cleaned = _clean_sig(values)
    if _name_taken(cleaned["name"]):
        raise Conflict(f"There is already a SIG called {cleaned['name']}.")
    sig = Sig(**cleaned)
    try:
        with db.session.begin_nested():
            db.session.add(sig)
    except sa.exc.IntegrityError:
        raise Conflict(f"There is already a SIG called {cleaned['name']}.") from None
    audit.record(actor, "sig.create", "sig", sig.id)
    return sig


def update_sig(actor, sig, changes):
    _staff_only(actor, "change SIGs")
    cleaned = _clean_sig({"name": sig.name, "discipline": sig.discipline, "description": sig.description, **changes})
    if _name_taken(cleaned["name"], sig.id):
        raise Conflict(f"There is already a SIG called {cleaned['name']}.")
    changed = {field: (getattr(sig, field), cleaned[field]) for field in changes
               if getattr(sig, field) != cleaned[field]}
    for field in changes:
        setattr(sig, field, cleaned[field])
    audit.record(actor, "sig.update", "sig", sig.id, changes=audit.changes_of(changed))
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:
        raise Conflict(f"There is already a SIG called {cleaned['name']}.") from None
    return count_members(sig)


def member_counts(sig_ids):
    rows = db.session.execute(
        sa.select(SigMembership.sig_id, sa.func.count())
        .where(SigMembership.sig_id.in_(sig_ids), SigMembership.left_at.is_(None))
        .group_by(SigMembership.sig_id)
    )
    return dict(rows.all())


def count_members(sig):
    sig.member_count = member_counts([sig.id]).get(sig.id, 0)
    return sig


def sig_search(discipline=None):
    statement = sa.select(Sig).options(selectinload(Sig.leads)).order_by(Sig.name)
    if discipline:
        statement = statement.where(Sig.discipline == discipline)
    return statement


def with_member_counts(page):
    counts = member_counts([sig.id for sig in page["items"]])
    for sig in page["items"]:
        sig.member_count = counts.get(sig.id, 0)
    return page


def get_sig(sig_id):
    sig = db.session.get(Sig, sig_id)
    if sig is None:
        raise NotFound("No such SIG.")
    return count_members(sig)


def sessions_of(sig_id, actor=None, upcoming=True, limit=50):
    """The SIG's published sessions, soonest first (or most recent first for past ones), with seats."""
    now = utcnow()
    statement = catalogue.event_search(actor, sig_id=sig_id)
    if upcoming:
        statement = statement.where(Event.ends_at >= now)
    else:
        statement = statement.where(Event.ends_at < now).order_by(None).order_by(Event.starts_at.desc())
    events = db.session.scalars(statement.limit(limit)).all()
    catalogue.load_programmes(events)
    return events


# --- membership -------------------------------------------------------------------------------

def join(member, sig):
    if current_membership(sig.id, member.id) is not None:
        raise Conflict(f"You are already a member of {sig.name}.")
    membership = SigMembership(sig_id=sig.id, member_id=member.id)
    try:
        with db.session.begin_nested():
            db.session.add(membership)
    except sa.exc.IntegrityError:
        raise Conflict(f"You are already a member of {sig.name}.") from None
    return membership


def leave(member, sig):
    membership = current_membership(sig.id, member.id)
    if membership is None:
        raise NotFound(f"You are not a member of {sig.name}.")
    if leads_sig(member, sig.id):
        raise Conflict("You lead this SIG: ask staff to appoint another lead before you leave.")
    membership.left_at = utcnow()  # kept: a past year's figures count who was in the SIG then
    db.session.flush()


def sigs_of(member):
    """The SIGs the member belongs to, by name."""
    if member is None:
        return []
    return db.session.scalars(sa.select(Sig).join(SigMembership, SigMembership.sig_id == Sig.id)
                              .where(SigMembership.member_id == member.id, SigMembership.left_at.is_(None))
                              .order_by(Sig.name)).all()


def is_member(member, sig):
    return member is not None and current_membership(sig.id, member.id) is not None


# --- leads --------------------------------------------------------------------------------------

def appoint_lead(actor, sig, member_id):
    _staff_only(actor, "appoint SIG leads")
    member = db.session.get(Member, member_id)
    if member is None or not member.is_active:
        raise NotFound("No such member.")
    if member.grade is None:
        raise Invalid(f"{member.full_name} is not a member of the body: a SIG lead must be one.",
                      {"member_id": ["Not a member of the body (no grade)."]})
    lead = db.session.get(SigLead, (sig.id, member.id))
    if lead is None:
        lead = SigLead(sig_id=sig.id, member_id=member.id, appointed_by_id=actor.id)
        db.session.add(lead)
        audit.record(actor, "sig.appoint_lead", "sig", sig.id, member_id=member.id)
    if current_membership(sig.id, member.id) is None:
        db.session.add(SigMembership(sig_id=sig.id, member_id=member.id))
    db.session.flush()
    db.session.refresh(sig)
    return count_members(sig)


def remove_lead(actor, sig, member_id):
    _staff_only(actor, "remove SIG leads")
    lead = db.session.get(SigLead, (sig.id, member_id))
    if lead is None:
        raise NotFound("That member does not lead this SIG.")
    db.session.delete(lead)
    audit.record(actor, "sig.remove_lead", "sig", sig.id, member_id=member_id)
    db.session.flush()
    db.session.refresh(sig)
    return count_members(sig)


# --- outreach -------------------------------------------------------------------------------------

def record_reach(actor, event, young_people, parents, teachers):
    """Head counts of an outreach event, for the strategy's measures."""
    if not event_permissions.can_manage_event(actor, event):
        raise Forbidden("Only staff, or the SIG's leads, record the reach of this event.")
    if event.kind != "outreach":
        raise Invalid("Reach is recorded for outreach events only.", {"event": ["Not an outreach event."]})
    counts = {"young_people": young_people, "parents": parents, "teachers": teachers}
    bad = {k: ["Must be a whole number from 0."] for k, v in counts.items()
           if not isinstance(v, int) or isinstance(v, bool) or v < 0 or v > 10_000_000}
    if bad:
        raise Invalid("Head counts must be whole numbers from 0.", bad)
    reach = db.session.get(OutreachReach, event.id)
    if reach is None:
        reach = OutreachReach(event_id=event.id)
        db.session.add(reach)
    audit.record(actor, "event.reach", "event", event.id, changes=audit.changes_of(
        {field: (getattr(reach, field), value) for field, value in counts.items() if getattr(reach, field) != value}))
    for field, value in counts.items():
        setattr(reach, field, value)
    reach.recorded_by_id = actor.id
    reach.recorded_at = utcnow()
    db.session.flush()
    return reach


def get_reach(event_id):
    return db.session.get(OutreachReach, event_id)


# --- the lead's room --------------------------------------------------------------------------

def led_sigs(actor):
    """The SIGs the actor leads, each with its sessions' fill and attendance rates: three queries."""
    sigs = db.session.scalars(
        sa.select(Sig).join(SigLead, SigLead.sig_id == Sig.id).where(SigLead.member_id == actor.id)
        .order_by(Sig.name)
    ).all()
    if not sigs:
        return []
    counts = member_counts([s.id for s in sigs])
    attended = sa.func.sum(sa.case((Booking.attended.is_(True), 1), else_=0))
    rows = db.session.execute(
        sa.select(Event, attended)
        .outerjoin(Booking, Booking.event_id == Event.id)
        .where(Event.sig_id.in_([s.id for s in sigs]), Event.status != "cancelled")
        .group_by(Event.id)
        .order_by(Event.starts_at.desc())
    ).all()
    report = {s.id: {"sig": s, "sessions": []} for s in sigs}
    now = utcnow()
    for event, came in rows:
        booked, came = event.confirmed_count, int(came or 0)
        report[event.sig_id]["sessions"].append({
            "event": event,
            "confirmed": booked,
            "fill_rate": round(booked / event.capacity, 3) if event.capacity else None,
            "attended": came if event.starts_at <= now else None,
            "attendance_rate": round(came / booked, 3) if booked and event.starts_at <= now else None,
        })
    for sig in sigs:
        sig.member_count = counts.get(sig.id, 0)
    return list(report.values())


# --- personal data ------------------------------------------------------------------------------

def erase_personal_data(member_id):
    """Memberships stay (the figures count SIG members); leadership, a role, ends."""
    db.session.execute(sa.delete(SigLead).where(SigLead.member_id == member_id))
    db.session.flush()


def personal_data(member_id):
    rows = db.session.execute(
        sa.select(Sig.id, Sig.name, SigMembership.joined_at, SigMembership.left_at)
        .join(SigMembership, SigMembership.sig_id == Sig.id)
        .where(SigMembership.member_id == member_id).order_by(SigMembership.joined_at)).all()
    leads = set(db.session.scalars(sa.select(SigLead.sig_id).where(SigLead.member_id == member_id)))
    return {"sigs.json": [{"sig_id": sig_id, "name": name, "joined_at": joined, "left_at": left,
                           "lead": sig_id in leads and left is None}
                          for sig_id, name, joined, left in rows]}
