from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpd.core.models import Timestamped, UTCDateTime, utcnow
from cpd.extensions import db
from cpd.members.models import Member


class RegistrationTitle(db.Model):
    """A title on a register (cpd.registration.frameworks): a higher level sits above a lower one
    on the same register."""

    __tablename__ = "registration_titles"

    title: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    register: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    level: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    competences: Mapped[list["TitleCompetence"]] = relationship(order_by="TitleCompetence.code")


class TitleCompetence(db.Model):
    __tablename__ = "title_competences"

    title: Mapped[str] = mapped_column(sa.ForeignKey("registration_titles.title", ondelete="CASCADE"),
                                       primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    area: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    statement: Mapped[str] = mapped_column(sa.String(300), nullable=False)


class Application(Timestamped, db.Model):
    """A member's application for a title, from draft to ratified or declined (STATUSES)."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    title: Mapped[str] = mapped_column(sa.ForeignKey("registration_titles.title"), nullable=False)
    status: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="draft", index=True)
    supporter_name: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    supporter_email: Mapped[str] = mapped_column(sa.String(254), nullable=False, default="")
    # The supporter's private link, kept only as a SHA-256; single-use and expiring.
    supporter_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    supporter_link_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    member: Mapped[Member] = relationship()
    statements: Mapped[list["ApplicationStatement"]] = relationship(cascade="all, delete-orphan",
                                                                    order_by="ApplicationStatement.code")
    evidence: Mapped[list["ApplicationEvidence"]] = relationship(cascade="all, delete-orphan")
    assessors: Mapped[list["Assessment"]] = relationship(cascade="all, delete-orphan", order_by="Assessment.id")
    history: Mapped[list["ApplicationStep"]] = relationship(cascade="all, delete-orphan", order_by="ApplicationStep.id")


class ApplicationStatement(db.Model):
    __tablename__ = "application_statements"

    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"),
                                                primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    text: Mapped[str] = mapped_column(sa.Text, nullable=False)


class ApplicationEvidence(db.Model):
    """A CPD record of the applicant's attached as evidence."""

    __tablename__ = "application_evidence"

    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"),
                                                primary_key=True)
    record_id: Mapped[int] = mapped_column(sa.ForeignKey("cpd_records.id", ondelete="CASCADE"), primary_key=True)


class Assessment(db.Model):
    """One of the two assessors an application has, and (once in) their assessment."""

    __tablename__ = "assessments"
    __table_args__ = (sa.UniqueConstraint("application_id", "assessor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False)
    assessor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"), index=True)
    appointed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    competences: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)  # {code: met|not_met}
    comment: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    recommendation: Mapped[str | None] = mapped_column(sa.String(16))
    assessed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    assessor: Mapped[Member | None] = relationship()


class ApplicationStep(db.Model):
    """The application's history: each transition, who made it and when."""

    __tablename__ = "application_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False,
                                                index=True)
    status: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    step: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
