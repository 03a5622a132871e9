"""Issuing and revoking credentials. A member's credentials follow their record: one for each booking
marked attended and one for each registration year of a registration held; a booking marked
absent, a lapsed registration or an erased member revokes. Functions flush, never commit; the
caller commits once."""
import hashlib
import secrets
import uuid

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
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
from cpd.records.models import CpdRecord

# Bitstring Status List v1.0 asks for lists of at least 131,072 entries ("a minimum of 16KB") so a
# credential's position says nothing of whose it is; a list is kept a quarter full at most, so a
# position drawn at random is free at the first or second draw.
STATUS_LIST_SIZE = 131_072
STATUS_LIST_FILL = STATUS_LIST_SIZE // 4


def subject_hash(email, salt):
    """OB 3.0 IdentityObject hash of an email: sha256$ + hex(sha256(email + salt))."""
    return "sha256$" + hashlib.sha256(f"{email.strip().lower()}{salt}".encode("utf-8")).hexdigest()


def subject_id(member):
    """The member's opaque id in credentials (urn:uuid:...), given on first use."""
    if member.credential_subject_id is None:
        member.credential_subject_id = str(uuid.uuid4())
        db.session.flush()
    return f"urn:uuid:{member.credential_subject_id}"


def _new(member, kind, source_id, period=0, **fields):
    salt = secrets.token_hex(8)
    return Credential(id=secrets.token_urlsafe(16), kind=kind, source_id=source_id, period=period,
                      member_id=member.id, subject_salt=salt, subject_hash=subject_hash(member.email, salt), **fields)


def _attendance_fields(event, booking, credited):
    local_start, local_end = event.local_starts_at.date(), event.local_ends_at.date()
    sessions = [s.title for s in event.sessions if s.id in {a.session_id for a in booking.sessions_attended}]
    description = f"Attended {event.title}" + (f" (sessions: {', '.join(sessions)})" if sessions else "") + "."
    return {"name": f"Certificate of attendance: {event.title}"[:300], "description": description,
            "achievement_url": public_url("events.event_detail", event_id=event.id), "started_on": local_start,
            "ended_on": max(local_end, local_start), "cpd_hours": credited}


def _registration_fields(registration, year):
    title = label(REGISTRATION_TITLES, registration.title)
    return {"name": f"Professional registration: {title}"[:300],
            "description": f"Registered as {title} ({registration.title}), awarded {registration.awarded_on:%-d %B %Y}; "
                           f"registration year {year}.",
            "achievement_url": public_url("registration.overview") + f"#{registration.title}",
            "started_on": registration.awarded_on, "ended_on": registration.awarded_on, "cpd_hours": None}


def _credited_hours(member, bookings):
    """{event id: the CPD hours credited to the member for it} (their record made from the register)."""
    events = [booking.event_id for booking in bookings]
    if not events:
        return {}
    return dict(db.session.execute(sa.select(CpdRecord.source_event_id, CpdRecord.hours).where(
        CpdRecord.member_id == member.id, CpdRecord.source_event_id.in_(events))).all())


def issue_due(member):
    """Issue what the member's record entitles them to and does not hold yet (a registration's
    credential for this registration year, renewed each year it is held): three queries when
    nothing is due."""
    if not member.is_active:
        return []
    held = set(db.session.execute(sa.select(Credential.kind, Credential.source_id, Credential.period)
                                  .where(Credential.member_id == member.id)).all())
    bookings = db.session.scalars(sa.select(Booking).join(Event, Event.id == Booking.event_id).where(
        Booking.member_id == member.id, Booking.attended.is_(True), Booking.status == "confirmed")
        .options(selectinload(Booking.event).selectinload(Event.sessions),
                 selectinload(Booking.sessions_attended))).all()
    registrations = db.session.scalars(sa.select(ProfessionalRegistration).where(
        ProfessionalRegistration.member_id == member.id, ProfessionalRegistration.lapsed_on.is_(None))).all()
    year = utcnow().year
    due_bookings = [booking for booking in bookings if ("attendance", booking.id, 0) not in held]
    credited = _credited_hours(member, due_bookings)
    issued = [_new(member, "attendance", booking.id, **_attendance_fields(booking.event, booking,
                                                                            credited.get(booking.event_id)))
              for booking in due_bookings]
    issued += [_new(member, "registration", registration.id, year, **_registration_fields(registration, year))
               for registration in registrations if ("registration", registration.id, year) not in held]
    if issued:
        subject_id(member)
        for credential in issued:
            _add_at_a_free_position(credential)
    return issued


def _add_at_a_free_position(credential):
    """Add `credential` at a random free position of the status list being filled."""
    issued = db.session.scalar(sa.select(sa.func.count()).select_from(Credential))
    credential.status_list = 1 + issued // STATUS_LIST_FILL
    for _ in range(20):
        credential.status_index = secrets.randbelow(STATUS_LIST_SIZE)
        try:
            with db.session.begin_nested():
                db.session.add(credential)
                db.session.flush()
            return
        except IntegrityError:
            if db.session.scalar(sa.select(sa.exists().where(
                    Credential.kind == credential.kind, Credential.source_id == credential.source_id,
                    Credential.period == credential.period))):
                return  # another request issued the same credential first: theirs stands
            # else the position was taken meanwhile (the savepoint let go of the row): draw again
    raise RuntimeError("No free position in the status list after 20 draws.")


def revoked_in_list(status_list):
    """The positions of the credentials in `status_list` that no longer hold: revoked, or their
    record says so now (the attendance unmarked, the registration lapsed, the holder erased), in
    one query, so the list is right without waiting for anyone to open each credential."""
    booking_holds = sa.exists().where(Booking.id == Credential.source_id, Booking.status == "confirmed",
                                      Booking.attended.is_(True))
    today = utcnow().date()
    registration_holds = sa.exists().where(
        ProfessionalRegistration.id == Credential.source_id,
        sa.or_(ProfessionalRegistration.lapsed_on.is_(None), ProfessionalRegistration.lapsed_on > today))
    holder_erased = sa.exists().where(Member.id == Credential.member_id, Member.erased_at.is_not(None))
    no_longer = sa.or_(Credential.revoked_at.is_not(None), holder_erased,
                       sa.and_(Credential.kind == "attendance", sa.not_(booking_holds)),
                       sa.and_(Credential.kind == "registration", sa.not_(registration_holds)))
    return db.session.scalars(sa.select(Credential.status_index).where(Credential.status_list == status_list,
                                                                        no_longer)).all()


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


def year_of(credential):
    """The year a credential belongs to in transcripts: its registration year, or the event's."""
    return credential.period if credential.kind == "registration" else credential.started_on.year


def transcript_years(credentials):
    """The years, latest first, that `credentials` give a transcript for (those not revoked)."""
    return sorted({year_of(credential) for credential in credentials if credential.revoked_at is None}, reverse=True)


def check_status_list(number):
    """NotFound unless status list `number` holds a credential (or is the first)."""
    if number != 1 and not db.session.scalar(sa.select(sa.exists().where(Credential.status_list == number))):
        raise NotFound("No such status list.")


def transcript_credentials(member, year):
    """The member's credentials for `year` that still hold: attendance at events that started in it,
    and the registration year's credentials; NotFound for a year with none."""
    if not 1950 <= year <= 9999:
        raise NotFound("No transcript for that year.")
    issue_due(member)
    found = db.session.scalars(sa.select(Credential).where(
        Credential.member_id == member.id,
        sa.or_(sa.and_(Credential.kind == "attendance", sa.extract("year", Credential.started_on) == year),
               sa.and_(Credential.kind == "registration", Credential.period == year)))
        .order_by(Credential.started_on, Credential.id)).all()
    holding = [credential for credential in found if settle(credential) is None]
    if not holding:
        raise NotFound(f"No credentials of yours for {year}.")
    return holding


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
