"""A member's personal data: everything we hold on them as one download, and erasure.

Erasure anonymises the person and removes what they wrote and kept, but keeps the facts the
strategy's figures count (grade, discipline, bookings, attendance, hours), so aggregate figures
do not change. Each domain erases and exports its own part.
"""
import io
import json
import zipfile
from datetime import date, datetime

from cpd.auth import services as auth_services
from cpd.core import audit
from cpd.core.errors import Conflict, NotFound
from cpd.core.models import utcnow
from cpd.credentials import personal_data as credentials_personal_data
from cpd.events import personal_data as events_personal_data
from cpd.extensions import db
from cpd.members import equality, permissions
from cpd.integrations import personal_data as integrations_personal_data
from cpd.mentoring import personal_data as mentoring_personal_data
from cpd.notices import personal_data as notices_personal_data
from cpd.organisations import personal_data as organisations_personal_data
from cpd.payments import personal_data as payments_personal_data
from cpd.records import services as record_services
from cpd.registration import applications
from cpd.revalidation import cases as revalidation_cases
from cpd.sigs import services as sig_services

ERASED_NAME = "Erased member"


def erase_member(actor, member):
    if not (actor.id == member.id or permissions.can_manage_members(actor)):
        raise NotFound("No such member.")
    if member.erased_at is not None:
        raise Conflict("This member's personal data has already been erased.")
    record_services.erase_personal_data(member.id)
    events_personal_data.erase_personal_data(member.id)
    payments_personal_data.erase_personal_data(member.id)
    notices_personal_data.erase_personal_data(member.id)
    sig_services.erase_personal_data(member.id)
    applications.erase_personal_data(member.id)
    revalidation_cases.erase_personal_data(member.id)
    credentials_personal_data.erase_personal_data(member.id)
    integrations_personal_data.erase_personal_data(member)
    organisations_personal_data.erase_personal_data(member.id)
    mentoring_personal_data.erase_personal_data(member.id)
    equality.give_answers(member, {"consent": False})
    auth_services.delete_all_tokens(member)
    audit.forget_email(member.email)
    member.email = f"erased-{member.id}@erased.invalid"
    member.full_name = ERASED_NAME
    member.password_hash = None
    member.erased_at = utcnow()
    audit.record(actor, "member.erase", "member", member.id, by_self=actor.id == member.id)
    db.session.flush()
    return member


def _json_default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def profile_document(member):
    fields = ("id", "email", "full_name", "role", "grade", "is_ambassador", "discipline", "sector", "career_stage",
              "cpd_policy", "created_at")
    return {**{field: getattr(member, field) for field in fields},
            "registrations": [{"title": r.title, "awarded_on": r.awarded_on} for r in member.registrations]}


def export_zip(member):
    """Everything held on the member: JSON documents and their evidence files, as zip bytes."""
    documents = {"profile.json": profile_document(member), "equality.json": equality.answers_of(member)}
    record_documents, evidence = record_services.personal_data(member.id)
    documents.update(record_documents)
    documents.update(events_personal_data.personal_data(member.id))
    documents.update(payments_personal_data.personal_data(member.id))
    documents.update(notices_personal_data.personal_data(member.id))
    documents.update(sig_services.personal_data(member.id))
    documents.update(applications.personal_data(member.id))
    documents.update(revalidation_cases.personal_data(member.id))
    documents.update(integrations_personal_data.personal_data(member))
    documents.update(organisations_personal_data.personal_data(member.id))
    documents.update(mentoring_personal_data.personal_data(member.id))
    documents["audit-log.json"] = audit.entries_about(member.id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, document in documents.items():
            archive.writestr(name, json.dumps(document, default=_json_default, indent=2, ensure_ascii=False))
        for name, path in evidence:
            try:
                archive.write(path, name)
            except FileNotFoundError:
                archive.writestr(f"{name}.missing.txt", "This evidence file could not be found.")
    audit.record(member, "member.export", "member", member.id)
    return buffer.getvalue()
