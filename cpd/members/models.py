import uuid
from datetime import date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpd.core.models import Timestamped, UTCDateTime, utcnow
from cpd.extensions import db


def _day_created_if_graded(context):
    """A member given a grade at creation joined, and holds that grade, from the day the account was made."""
    row = context.get_current_parameters()
    if row.get("grade") is None:
        return None
    created = row.get("created_at") or utcnow()
    return created.date() if isinstance(created, datetime) else created


def _day_created_if_ambassador(context):
    row = context.get_current_parameters()
    return _day_created_if_graded(context) if row.get("is_ambassador") else None


class Member(UserMixin, Timestamped, db.Model):
    """Anyone with an account: members of the body (with a grade), non-members and staff."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique index makes emails unique whatever their case.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True, nullable=False)
    full_name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(16), nullable=False, default="member", index=True)
    grade: Mapped[str | None] = mapped_column(sa.String(16), index=True)
    is_ambassador: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    discipline: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    sector: Mapped[str | None] = mapped_column(sa.String(32))
    career_stage: Mapped[str | None] = mapped_column(sa.String(32))
    cpd_policy: Mapped[str] = mapped_column(sa.ForeignKey("cpd_policies.code"), nullable=False)
    # The areas of practice the member names (codes, comma-separated and sorted: dated like the
    # sector, as one value); a policy may ask for hours in each (Engineers Australia).
    areas_of_practice: Mapped[str | None] = mapped_column(sa.String(255))
    # Who the member is in their credentials (credentialSubject.id, as urn:uuid:): opaque, no personal
    # data; given when first needed (cpd.credentials.issuing) to accounts made before it existed.
    # The member lets their name show on their credentials' public verify pages (off unless they say so).
    name_on_credentials: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False,
                                                      server_default=sa.false())
    credential_subject_id: Mapped[str | None] = mapped_column(sa.String(36), unique=True,
                                                              default=lambda: str(uuid.uuid4()))
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Membership history (the figures of a past year read only facts dated in or before it): the
    # day they joined the body, the day they left (lapsed or resigned), the day their grade took
    # effect (earlier grades are in grade_history) and the day they became an ambassador.
    joined_on: Mapped[date | None] = mapped_column(sa.Date, default=_day_created_if_graded)
    left_on: Mapped[date | None] = mapped_column(sa.Date)
    grade_since: Mapped[date | None] = mapped_column(sa.Date, default=_day_created_if_graded)
    ambassador_since: Mapped[date | None] = mapped_column(sa.Date, default=_day_created_if_ambassador)
    # Bumped to end every signed-in session at once (sign-out, a new password): the page session
    # carries the number it was made with, and an older one is no longer accepted.
    session_generation: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0, server_default="0")
    # Two-factor sign-in (TOTP, RFC 6238): the shared secret, set at enrolment and confirmed by a code.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)  # a code is accepted once
    # created_at (from Timestamped) is indexed below: the figures count who had joined by a date.
    __table_args__ = (sa.Index("ix_members_created_at", "created_at"),)

    registrations: Mapped[list["ProfessionalRegistration"]] = relationship(
        back_populates="member",
        cascade="all, delete-orphan",
        order_by="ProfessionalRegistration.awarded_on",
    )
    earlier_grades: Mapped[list["GradePeriod"]] = relationship(
        cascade="all, delete-orphan", order_by="GradePeriod.since", passive_deletes=True,
    )

    @property
    def grade_history(self):
        """Every grade held, oldest first: [{grade, since, until}] (until None: held today)."""
        history = [{"grade": p.grade, "since": p.since, "until": p.until} for p in self.earlier_grades]
        if self.grade is not None:
            history.append({"grade": self.grade, "since": self.grade_since or self.joined_on, "until": None})
        return history

    @property
    def area_codes(self):
        """The areas of practice named, as a list of codes."""
        return [code for code in (self.areas_of_practice or "").split(",") if code]

    @property
    def member_number(self):
        """The number other systems know the member by (single sign-on's claim, an xAPI account's
        name): the account's id, zero-padded, and never reused."""
        return f"{self.id:07d}"

    @property
    def is_staff(self):
        return self.role == "staff"

    @property
    def is_active(self):
        return self.erased_at is None

    @property
    def has_two_factor(self):
        return self.totp_confirmed_at is not None

    def get_id(self):
        """What the page session keeps: the id and the session generation it was signed in under."""
        return f"{self.id}.{self.session_generation or 0}"

    def __repr__(self):
        return f"<Member {self.id} {self.email}>"


class ProfessionalRegistration(Timestamped, db.Model):
    """A registration title awarded to a member (CEng, CSci ...), recorded by staff."""

    __tablename__ = "professional_registrations"
    # A title is held once at a time; a lapsed one stays as history beside a later award or reinstatement.
    __table_args__ = (sa.Index("uq_professional_registrations_held", "member_id", "title", unique=True,
                               sqlite_where=sa.text("lapsed_on IS NULL"),
                               postgresql_where=sa.text("lapsed_on IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    awarded_on: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)
    # The day it stopped being held (a CPD audit not met, a resignation); None while held.
    lapsed_on: Mapped[date | None] = mapped_column(sa.Date)
    # Why it stopped being held ("left the body", "CPD audit not met") and, for a registration that
    # reinstated a lapsed one, the reason staff gave.
    lapse_reason: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    reinstatement_reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")

    member: Mapped[Member] = relationship(back_populates="registrations")


class GradePeriod(db.Model):
    """A grade a member held before their current one: from `since` to `until`, both included."""

    __tablename__ = "grade_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    grade: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    since: Mapped[date] = mapped_column(sa.Date, nullable=False)
    until: Mapped[date] = mapped_column(sa.Date, nullable=False)
    __table_args__ = (sa.CheckConstraint("until >= since", name="until_after_since"),)


class ProfilePeriod(db.Model):
    """A value a member's profile held until a day (inclusive) before it changed: their CPD policy,
    discipline, sector or career stage. Before the earliest change the value held is that row's;
    after the latest, today's. A year's figures read the value of the year's last day, so a change
    made today never moves them."""

    __tablename__ = "profile_history"
    __table_args__ = (sa.Index("ix_profile_history_member_field_until", "member_id", "field", "until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False)
    field: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    value: Mapped[str | None] = mapped_column(sa.String(255))
    until: Mapped[date] = mapped_column(sa.Date, nullable=False)


class EqualityAnswers(db.Model):
    """A member's voluntary equality answers, kept only while they consent (withdrawing deletes the
    row). Shown to no one but the member; the figures use it only as counts of five or more."""

    __tablename__ = "equality_answers"

    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    gender: Mapped[str | None] = mapped_column(sa.String(32))
    age_band: Mapped[str | None] = mapped_column(sa.String(32))
    ethnicity: Mapped[str | None] = mapped_column(sa.String(32))
    disability: Mapped[str | None] = mapped_column(sa.String(32))
    recorded_on: Mapped[date] = mapped_column(sa.Date, nullable=False)


class EqualityYearCount(db.Model):
    """Anonymous counts of answers that counted in a past year's figures and were since changed or
    withdrawn: the year keeps its figures (nothing dated in it moves) while nothing personal is kept.
    No member is named; the counts are only ever added to a year's live ones, and shown suppressed."""

    __tablename__ = "equality_year_counts"

    year: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    question: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    answer: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    n: Mapped[int] = mapped_column(sa.Integer, nullable=False)
