from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpd.core.models import Timestamped, UTCDateTime, utcnow
from cpd.extensions import db
from cpd.members.models import Member
from cpd.records.vocabulary import AREA_TOPIC_PREFIX


class CpdPolicy(db.Model):
    """A professional body's CPD requirement, as data: what must be logged, over which period."""

    __tablename__ = "cpd_policies"

    code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    period_kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)  # calendar_year | rolling_months
    period_months: Mapped[int | None] = mapped_column(sa.Integer)
    unit: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="hours")
    # Points per hour of each activity type, when the unit is points (a missing type: 1).
    weights: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    required_total: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    type_minimums: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    type_maximums: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    verified_minimum: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    distinct_types_minimum: Mapped[int | None] = mapped_column(sa.Integer)
    reflection_required: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    reflection: Mapped[str] = mapped_column(sa.String(32), nullable=False, default="learning_and_a_benefit",
                                            server_default="learning_and_a_benefit")
    formal_minimum: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    verifiable_minimum: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    # {topic: hours}; a topic in topic_windows is measured over its own rolling months instead.
    topic_minimums: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict, server_default="{}")
    topic_windows: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict, server_default="{}")
    record_by: Mapped[int | None] = mapped_column(sa.Integer)  # days of grace after the period to record
    advisory: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False, server_default=sa.false())
    # Verifiable hours beyond the year's requirements that carry into the next year, at most this many
    # (ACCA's unit route: up to 21, never in a member's first CPD year); None: nothing carries.
    carry_forward_limit: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    # The record is to be continuous (the Science Council's standard 1): the summary names each gap.
    continuous_record: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False,
                                                    server_default=sa.false())
    # {topic: hours} asked of academics and teachers as well (Engineers Australia: 40 hours of industry
    # involvement in every three years); a member is one when their sector is academia or education.
    academic_topic_minimums: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict,
                                                          server_default="{}")

    def __repr__(self):
        return f"<CpdPolicy {self.code}>"


class Objective(Timestamped, db.Model):
    """An objective of a member's development plan."""

    __tablename__ = "objectives"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    why: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    target_date: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False, default="planned")

    member: Mapped[Member] = relationship()
    records: Mapped[list["CpdRecord"]] = relationship(back_populates="objective", order_by="CpdRecord.started_on")
    competence_rows: Mapped[list["ObjectiveCompetence"]] = relationship(cascade="all, delete-orphan",
                                                                        order_by="ObjectiveCompetence.code")

    @property
    def competences(self):
        return [row.code for row in self.competence_rows]


class ObjectiveCompetence(db.Model):
    """A competence of a registration framework that an objective works towards."""

    __tablename__ = "objective_competences"

    objective_id: Mapped[int] = mapped_column(sa.ForeignKey("objectives.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True, index=True)


class CpdRecord(Timestamped, db.Model):
    """One CPD activity in a member's log, with its reflection."""

    __tablename__ = "cpd_records"
    __table_args__ = (
        # One verified record per member per attended event, however often the register is sent.
        sa.Index(
            "uq_cpd_records_member_event",
            "member_id",
            "source_event_id",
            unique=True,
            sqlite_where=sa.text("source_event_id IS NOT NULL"),
            postgresql_where=sa.text("source_event_id IS NOT NULL"),
        ),
        sa.Index("ix_cpd_records_member_dates", "member_id", "started_on", "ended_on"),
        # The year's figures sum the hours, by type, of the records reaching into the year (by the days
        # inside it): the index alone answers them (a third of a million rows a year at scale, no row
        # read). Exports sum the hours each event credited.
        sa.Index("ix_cpd_records_ended_started_type_hours", "ended_on", "started_on", "activity_type", "hours"),
        sa.Index("ix_cpd_records_source_event_id", "source_event_id"),
        sa.CheckConstraint("hours > 0", name="hours_positive"),
        sa.CheckConstraint("ended_on >= started_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    activity_type: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    started_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    ended_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(7, 2), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    learning: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    benefit_to_practice: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    benefit_to_users: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    objective_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("objectives.id", ondelete="SET NULL"), index=True
    )
    verified: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    # Structured learning with outcomes (RICS's formal CPD), whatever its activity type.
    formal: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False, server_default=sa.false())
    # Claimed verifiable by the member (ACCA): it counts as such only with evidence attached.
    verifiable: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False, server_default=sa.false())
    # The event whose recorded attendance made this record (events are another domain's table).
    source_event_id: Mapped[int | None] = mapped_column(sa.Integer)
    # Learning recorded in another of the body's systems (an xAPI statement from its learning system):
    # the system's name and the statement's id, one record per statement.
    source_system: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="", server_default="")
    source_statement_id: Mapped[str | None] = mapped_column(sa.String(36), unique=True)

    member: Mapped[Member] = relationship()
    objective: Mapped[Objective | None] = relationship(back_populates="records")
    evidence: Mapped[list["Evidence"]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="Evidence.id"
    )
    topic_rows: Mapped[list["RecordTopic"]] = relationship(cascade="all, delete-orphan", order_by="RecordTopic.topic")
    competence_rows: Mapped[list["RecordCompetence"]] = relationship(cascade="all, delete-orphan",
                                                                     order_by="RecordCompetence.code")

    @property
    def topics(self):
        return [row.topic for row in self.topic_rows if not row.topic.startswith(AREA_TOPIC_PREFIX)]

    @property
    def practice_areas(self):
        """The member's areas of practice the record relates to (where they name more than one)."""
        return [row.topic.removeprefix(AREA_TOPIC_PREFIX) for row in self.topic_rows
                if row.topic.startswith(AREA_TOPIC_PREFIX)]

    @property
    def competences(self):
        return [row.code for row in self.competence_rows]

    @property
    def is_reflected(self):
        """What was learned, and its benefit to practice or to the users of the member's work."""
        return bool(self.learning.strip()) and bool(
            self.benefit_to_practice.strip() or self.benefit_to_users.strip()
        )

    @property
    def days(self):
        return (self.ended_on - self.started_on).days + 1


class RecordTopic(db.Model):
    """A topic a record is about (cpd.records.vocabulary.TOPICS)."""

    __tablename__ = "cpd_record_topics"

    record_id: Mapped[int] = mapped_column(sa.ForeignKey("cpd_records.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(40), primary_key=True, index=True)


class RecordCompetence(db.Model):
    """A competence of a registration framework that a record evidences."""

    __tablename__ = "cpd_record_competences"

    record_id: Mapped[int] = mapped_column(sa.ForeignKey("cpd_records.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True, index=True)


class CpdExemption(db.Model):
    """Staff excuse a member from part of their CPD requirement for a while (a career break,
    parental leave, illness, retirement, part-time work...). `reduction` is the share of the
    requirement lifted while it lasts (1: all of it); `distinct_types_minimum` lowers the number
    of types needed (the Science Council's "exceptionally two")."""

    __tablename__ = "cpd_exemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    starts_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    reduction: Mapped[Decimal] = mapped_column(sa.Numeric(4, 3), nullable=False, default=Decimal(1))
    distinct_types_minimum: Mapped[int | None] = mapped_column(sa.Integer)
    note: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    @property
    def days(self):
        return (self.ends_on - self.starts_on).days + 1


class Evidence(Timestamped, db.Model):
    """A file kept as evidence of a CPD record, stored under UPLOAD_DIR with a random name."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cpd_records.id", ondelete="CASCADE"), nullable=False, index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    stored_name: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    size_bytes: Mapped[int] = mapped_column(sa.Integer, nullable=False)

    record: Mapped[CpdRecord] = relationship(back_populates="evidence")


class CpdStanding(db.Model):
    """A member's standing against the policy they follow, as of a day: what the year's figures
    count (cpd.records.standings keeps it equal to a recomputation)."""

    __tablename__ = "cpd_standings"

    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    policy_code: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    as_of: Mapped[date] = mapped_column(sa.Date, nullable=False)
    on_track: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)
    # The hours (or points) counted towards the policy, and how many of its requirements are not met yet.
    counted: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2), nullable=False)
    short: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class StandingsRound(db.Model):
    """A day on which every member's standing was recomputed (the daily round): each stored standing
    is as of the latest such day or later."""

    __tablename__ = "cpd_standing_rounds"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    members: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
