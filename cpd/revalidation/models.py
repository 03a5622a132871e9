from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpd.core.models import UTCDateTime, utcnow
from cpd.extensions import db
from cpd.members.models import Member


class Declaration(db.Model):
    """A registrant declares, for a year, that they meet the CPD standards."""

    __tablename__ = "declarations"
    __table_args__ = (sa.UniqueConstraint("member_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False)
    year: Mapped[int] = mapped_column(sa.Integer, nullable=False, index=True)
    meets_standards: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)
    statement: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class CpdAudit(db.Model):
    """A year's random sample of registrants, drawn reproducibly from a seed."""

    __tablename__ = "cpd_audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(sa.Integer, nullable=False, unique=True)
    sample_percent: Mapped[Decimal] = mapped_column(sa.Numeric(6, 3), nullable=False)
    seed: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
    eligible: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    drawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    cases: Mapped[list["AuditCase"]] = relationship(back_populates="audit", order_by="AuditCase.id")


class AuditCase(db.Model):
    """One sampled registrant's case: notified, submitted (a frozen CPD profile), reviewed."""

    __tablename__ = "audit_cases"
    __table_args__ = (sa.UniqueConstraint("audit_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(sa.ForeignKey("cpd_audits.id", ondelete="CASCADE"), nullable=False)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    status: Mapped[str] = mapped_column(sa.String(24), nullable=False, default="notified", index=True)
    # The CPD profile as submitted: a copy later edits do not change.
    profile: Mapped[dict | None] = mapped_column(sa.JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deferral_reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    # The day the profile is due (AUDIT_SUBMIT_DAYS after the draw; moved by an extension or by a
    # request for more information).
    due_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    outcome: Mapped[str | None] = mapped_column(sa.String(24))
    outcome_reason: Mapped[str] = mapped_column(sa.String(24), nullable=False, default="")  # e.g. no_response
    outcome_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    # Not met: the registrations lapse on `lapse_on`, after the appeal window, unless an appeal holds it.
    lapse_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    appeal_grounds: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    appealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    audit: Mapped[CpdAudit] = relationship(back_populates="cases")
    member: Mapped[Member] = relationship(foreign_keys=[member_id])
    history: Mapped[list["AuditCaseStep"]] = relationship(cascade="all, delete-orphan", order_by="AuditCaseStep.id")


class AuditCaseStep(db.Model):
    __tablename__ = "audit_case_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("audit_cases.id", ondelete="CASCADE"), nullable=False,
                                         index=True)
    status: Mapped[str] = mapped_column(sa.String(24), nullable=False)
    step: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class ReminderSent(db.Model):
    """A reminder already queued: each goes once (`occasion` says which, e.g. declaration:2026:4w)."""

    __tablename__ = "reminders_sent"
    __table_args__ = (sa.UniqueConstraint("member_id", "occasion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False)
    occasion: Mapped[str] = mapped_column(sa.String(80), nullable=False)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
