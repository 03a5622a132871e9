"""The audit log: who did what, when. Staff actions and sign-ins are recorded here, in the same
transaction as the change they describe."""
from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy.orm import Mapped, mapped_column

from cpd.core.models import UTCDateTime, utcnow
from cpd.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(64), nullable=False, index=True)
    target_type: Mapped[str | None] = mapped_column(sa.String(32))
    target_id: Mapped[int | None] = mapped_column(sa.Integer)
    details: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    ip_address: Mapped[str | None] = mapped_column(sa.String(45))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


def record(actor, action, target_type=None, target_id=None, **details):
    """Add an entry to the caller's transaction."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None), action=action, target_type=target_type, target_id=target_id,
        details=details, ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def record_staff_action(actor, action, target_type=None, target_id=None, **details):
    """Record the action if a member of staff did it (members' own everyday actions are not logged)."""
    if actor is not None and getattr(actor, "is_staff", False):
        return record(actor, action, target_type, target_id, **details)
    return None


def typed_email(email):
    """A failed sign-in's address as the log keeps it: trimmed and in lower case, so erasure finds it."""
    return (email or "").strip().lower()[:254]


def forget_email(email):
    """Erasure: failed sign-ins name the address tried; those of an erased member no longer do,
    however the address was typed (any case, spaces around it: older rows kept it as typed)."""
    email = typed_email(email)
    if not email:
        return
    typed = AuditEntry.details["email"].as_string()
    candidates = db.session.execute(sa.select(AuditEntry.id, typed).where(
        AuditEntry.action == "sign_in_failed", sa.func.lower(typed).contains(email, autoescape=True))).all()
    matching = [entry_id for entry_id, value in candidates if typed_email(value) == email]
    for start in range(0, len(matching), 500):
        db.session.execute(sa.update(AuditEntry).where(AuditEntry.id.in_(matching[start:start + 500]))
                           .values(details={"email": "(erased)"}).execution_options(synchronize_session=False))


def record_personal_data_read(actor, what, member_id, **details):
    """Staff reading or exporting someone else's personal data is kept in the log."""
    if actor is not None and actor.id != member_id:
        record(actor, f"personal_data.{what}", "member", member_id, **details)


def changes_of(changed):
    """{field: (old, new)} as the audit log keeps it: {field: {"old": ..., "new": ...}}, in JSON's words."""
    def plain(value):
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return str(value)

    return {field: {"old": plain(old), "new": plain(new)} for field, (old, new) in sorted(changed.items())}


def search(action=None, actor_id=None):
    statement = sa.select(AuditEntry).order_by(AuditEntry.id.desc())
    if action:
        statement = statement.where(AuditEntry.action == action)
    if actor_id:
        statement = statement.where(AuditEntry.actor_id == actor_id)
    return statement


def entries_about(member_id):
    """The audit entries a member made or that concern them, for their data download."""
    rows = db.session.scalars(
        sa.select(AuditEntry).where(sa.or_(AuditEntry.actor_id == member_id,
                                           sa.and_(AuditEntry.target_type == "member",
                                                   AuditEntry.target_id == member_id)))
        .order_by(AuditEntry.id)).all()
    return [{"action": e.action, "at": e.created_at.isoformat(), "by_self": e.actor_id == member_id}
            for e in rows]
