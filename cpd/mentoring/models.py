from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpd.core.models import UTCDateTime, utcnow
from cpd.extensions import db


class Mentorship(db.Model):
    """A member's mentor or line manager (a member or not): invited by email with a private link,
    active once accepted, ended by the member at any time (the mentor's access ends at once).
    Dated, so the figures of a past year count the pairs active then."""

    __tablename__ = "mentorships"
    __table_args__ = (sa.Index("ix_mentorships_mentor", "mentor_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentee_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    email: Mapped[str] = mapped_column(sa.String(254), nullable=False)
    mentor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False, default="invited")  # invited|active|ended
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    link_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    active_since: Mapped[date | None] = mapped_column(sa.Date)
    ended_on: Mapped[date | None] = mapped_column(sa.Date)

    mentee = relationship("Member", foreign_keys=[mentee_id])
    mentor = relationship("Member", foreign_keys=[mentor_id])
    comments: Mapped[list["MentorComment"]] = relationship(back_populates="mentorship", cascade="all, delete-orphan",
                                                           order_by="MentorComment.id")


class MentorComment(db.Model):
    """A mentor's comment on the mentee's log (on one record, or on the whole)."""

    __tablename__ = "mentor_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(sa.ForeignKey("mentorships.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    record_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cpd_records.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(sa.Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    mentorship: Mapped[Mentorship] = relationship(back_populates="comments")
