"""Issuing and revoking credentials. A member's credentials follow their record: one for each booking
marked attended and each registration held; a booking marked absent, a lapsed registration or an
erased member revokes. Functions flush, never commit; the caller commits once."""
import hashlib
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cpd.core.errors import Gone, NotFound
from cpd.core.models import utcnow
from cpd.core.pagination import paginate
from cpd.core.urls import public_url
from cpd.events.models import Booking, Event
from cpd.extensions import db
from cpd.members.models import Member, ProfessionalRegistration
from cpd.members.vocabulary import REGISTRATION_TITLES, label
from cpd.credentials.models import Credential


def subject_hash(email, salt):
    """OB 3.0 IdentityObject hash of an email: sha256$ + hex(sha256(email + salt))."""
    return "sha256$" + hashlib.sha256(f"{email.strip().lower()}{salt}".encode("utf-8")).hexdigest()


def _new(member, kind, source_id, **fields):
    salt = secrets.token_hex(8)
    return Credential(id=secrets.token_urlsafe(16), kind=kind, source_id=source_id, member_id=member.id,
                      subject_salt=salt, subject_hash=subject_hash(member.email, salt), **fields)


def _attendance_fields(event, booking):
    local_start, local_end = event.local_starts_at.date(), event.local_ends_at.date()
    sessions = [s.title for s in event.sessions if s.id in {a.session_id for a in booking.sessions_attended}]
    description = f"Attended {event.title}" + (f" (sessions: {', '.join(sessions)})" if sessions else "") + "."
    hours = event.cpd_hours
    return {"name": f"Certificate of attendance: {event.title}"[:300], "description": description,
            "achievement_url": public_url("events.event_detail", event_id=event.id), "started_on": local_start,
            "ended_on": max(local_end, local_start), "cpd_hours": hours}


def _registration_fields(registration):
    title = label(REGISTRATION_TITLES, registration.title)
    return {"name": f"Professional registration: {title}"[:300],
            "description": f"Registered as {title} ({registration.title}), awarded {registration.awarded_on:%-d %B %Y}.",
            "achievement_url": public_url("registration.overview") + f"#{registration.title}",
            "started_on": registration.awarded_on, "ended_on": registration.awarded_on, "cpd_hours": None}


def issue_due(member):
    """Issue what the member's record entitles them to and does not hold yet: three queries when
    nothing is due."""
    if not member.is_active:
        return []
    held = set(db.session.execute(sa.select(Credential.kind, Credential.source_id)
                                  .where(Credential.member_id == member.id)).all())
    bookings = db.session.scalars(sa.select(Booking).join(Event, Event.id == Booking.event_id).where(
        Booking.member_id == member.id, Booking.attended.is_(True), Booking.status == "confirmed")
        .options(selectinload(Booking.event).selectinload(Event.sessions),
                 selectinload(Booking.sessions_attended))).all()
    registrations = db.session.scalars(sa.select(ProfessionalRegistration).where(
        ProfessionalRegistration.member_id == member.id, ProfessionalRegistration.lapsed_on.is_(None))).all()
    issued = []
    for booking in bookings:
        if ("attendance", booking.id) not in held:
            issued.append(_new(member, "attendance", booking.id, **_attendance_fields(booking.event, booking)))
    for registration in registrations:
        if ("registration", registration.id) not in held:
            issued.append(_new(member, "registration", registration.id, **_registration_fields(registration)))
    db.session.add_all(issued)
    db.session.flush()
    return issued


def revocation_of(credential):
    """Why the credential no longer holds (None while it does): checked against the record itself,
    so marking absent, a lapse or an erasure revokes at once."""
    if credential.revoked_at is not None:
        return credential.revoked_reason or "revoked"
    member = db.session.get(Member, credential.member_id)
    if member is None or not member.is_active:
        return "the holder's record was erased"
    if credential.kind == "attendance":
        booking = db.session.get(Booking, credential.source_id)
        if booking is None or booking.status != "confirmed" or not booking.attended:
            return "the attendance is no longer recorded"
    else:
        registration = db.session.get(ProfessionalRegistration, credential.source_id)
        if registration is None or (registration.lapsed_on is not None and registration.lapsed_on <= utcnow().date()):
            return "the registration has lapsed"
    return None


def settle(credential):
    """Record a revocation the record now calls for; returns the reason or None."""
    reason = revocation_of(credential)
    if reason and credential.revoked_at is None:
        credential.revoked_at, credential.revoked_reason = utcnow(), reason
        db.session.flush()
    return reason


def refuse_if_revoked(credential):
    """Gone (410) for a credential that no longer holds (its verify page records why)."""
    reason = settle(credential)
    if reason:
        raise Gone(f"This credential was revoked: {reason}. Its verify page says so.")


def own_credentials(member, page=1, per_page=200):
    """A page of the member's credentials, newest first, after issuing any now due, each with any
    revocation its record now calls for settled."""
    issue_due(member)
    listing = paginate(sa.select(Credential).where(Credential.member_id == member.id)
                       .order_by(Credential.started_on.desc(), Credential.id), page, per_page)
    for credential in listing["items"]:
        settle(credential)
    return listing


def get_credential(credential_id):
    credential = db.session.get(Credential, credential_id) if isinstance(credential_id, str) else None
    if credential is None:
        raise NotFound("No such credential.")
    return credential


def get_own(member, credential_id):
    credential = get_credential(credential_id)
    if credential.member_id != member.id:
        raise NotFound("No such credential.")
    return credential
