from datetime import datetime
from zoneinfo import ZoneInfo

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
    # How many referees confirm an application, and whether a professional review interview
    # follows the assessment (the Engineering Council: for IEng and CEng).
    referees_required: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    interview: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
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
    # The evidence of underpinning knowledge: [{name, awarded_by, year}] and
    # [{role, employer, from, to, summary}] (dates as YYYY-MM; `to` empty for the current role).
    qualifications: Mapped[list] = mapped_column(sa.JSON, nullable=False, default=list)
    career_history: Mapped[list] = mapped_column(sa.JSON, nullable=False, default=list)
    code_of_conduct_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the applicant is told where they work when it comes back to them (a referee who
    # declined, the committee referring it back): {by, comment, competences{code: text}, at}.
    feedback: Mapped[dict | None] = mapped_column(sa.JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    appeal_grounds: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    appealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    member: Mapped[Member] = relationship(foreign_keys=[member_id])
    statements: Mapped[list["ApplicationStatement"]] = relationship(cascade="all, delete-orphan",
                                                                    order_by="ApplicationStatement.code")
    evidence: Mapped[list["ApplicationEvidence"]] = relationship(cascade="all, delete-orphan")
    referees: Mapped[list["Referee"]] = relationship(cascade="all, delete-orphan", order_by="Referee.position")
    assessors: Mapped[list["Assessment"]] = relationship(cascade="all, delete-orphan", order_by="Assessment.id")
    interview: Mapped["Interview | None"] = relationship(cascade="all, delete-orphan", uselist=False)
    interviewers: Mapped[list["InterviewReport"]] = relationship(cascade="all, delete-orphan",
                                                                 order_by="InterviewReport.id")
    history: Mapped[list["ApplicationStep"]] = relationship(cascade="all, delete-orphan", order_by="ApplicationStep.id")


class Referee(db.Model):
    """Someone who knows the applicant's work and confirms their statements, by a private link of
    their own (no account); a title sets how many (RegistrationTitle.referees_required)."""

    __tablename__ = "application_referees"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"),
                                                nullable=False, index=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    email: Mapped[str] = mapped_column(sa.String(254), nullable=False)
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False, default="named")  # REFEREE_STATUSES
    # The private link, kept only as a SHA-256; it works once, for REFEREE_LINK_DAYS.
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    link_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    comment: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    application: Mapped[Application] = relationship(back_populates="referees")


class ApplicationStatement(db.Model):
    __tablename__ = "application_statements"

    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"),
                                                primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    text: Mapped[str] = mapped_column(sa.Text, nullable=False)
    # The applicant's mentor or line manager vouched for this statement (shown to assessors as
    # "verified by ..."); cleared when the applicant changes the text.
    verified_by: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="", server_default="")
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


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


class Interview(db.Model):
    """The professional review interview: when, where (a place or an online link) and who scheduled it.
    `sequence` counts its changes, for the calendar invitation (RFC 5545 SEQUENCE)."""

    __tablename__ = "application_interviews"

    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"),
                                                primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    timezone: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    venue: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    online_url: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    scheduled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    sequence: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    @property
    def local_starts_at(self):
        return self.starts_at.astimezone(ZoneInfo(self.timezone))


class InterviewReport(db.Model):
    """One of the two interviewers, and (once in) their report: per competence, and a recommendation."""

    __tablename__ = "interview_reports"
    __table_args__ = (sa.UniqueConstraint("application_id", "interviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False)
    interviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"), index=True)
    competences: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)  # {code: met|not_met}
    comment: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    recommendation: Mapped[str | None] = mapped_column(sa.String(16))
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    interviewer: Mapped[Member | None] = relationship()


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
    # What a step closed, kept when it is cleared (the assessments and interview reports of a
    # round that was referred back).
    details: Mapped[dict | None] = mapped_column(sa.JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
