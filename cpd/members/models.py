from datetime import date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpd.core.models import Timestamped, UTCDateTime
from cpd.extensions import db


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
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
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
    __table_args__ = (sa.UniqueConstraint("member_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    awarded_on: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)

    member: Mapped[Member] = relationship(back_populates="registrations")
