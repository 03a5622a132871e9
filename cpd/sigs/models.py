from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpd.core.models import Timestamped, UTCDateTime, utcnow
from cpd.extensions import db
from cpd.members.models import Member


class Sig(Timestamped, db.Model):
    __tablename__ = "sigs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False, unique=True)
    discipline: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")

    leads: Mapped[list["SigLead"]] = relationship(back_populates="sig", cascade="all, delete-orphan",
                                                  order_by="SigLead.appointed_at")

    # Counted by the services for the request (see sigs.services.with_member_counts), never stored.
    member_count = 0

    @property
    def lead_ids(self):
        return [lead.member_id for lead in self.leads]


class SigMembership(db.Model):
    """A time a member belonged to a SIG. Leaving ends it (`left_at`) and keeps it: the figures of
    a past year count who was in the SIG then. Rejoining starts a new one."""

    __tablename__ = "sig_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    sig_id: Mapped[int] = mapped_column(sa.ForeignKey("sigs.id", ondelete="CASCADE"), nullable=False)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    __table_args__ = (
        # One current membership per member and SIG.
        sa.Index("uq_sig_memberships_current", "sig_id", "member_id", unique=True,
                 sqlite_where=sa.text("left_at IS NULL"), postgresql_where=sa.text("left_at IS NULL")),
        sa.Index("ix_sig_memberships_sig_id", "sig_id"),
    )


class SigLead(db.Model):
    __tablename__ = "sig_leads"

    sig_id: Mapped[int] = mapped_column(sa.ForeignKey("sigs.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
    appointed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    appointed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))

    sig: Mapped[Sig] = relationship(back_populates="leads")
    member: Mapped[Member] = relationship(foreign_keys=[member_id])


class OutreachReach(db.Model):
    """Head counts of an outreach event: the young people, parents and teachers it reached."""

    __tablename__ = "outreach_reach"
    __table_args__ = (
        sa.CheckConstraint("young_people >= 0 AND parents >= 0 AND teachers >= 0", name="counts_not_negative"),
    )

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    young_people: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    parents: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    teachers: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)
