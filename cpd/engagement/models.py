from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpd.core.models import UTCDateTime, utcnow
from cpd.extensions import db


class Engagement(db.Model):
    """A meeting, consultation response or visit with an outside organisation, dated."""

    __tablename__ = "engagements"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False, index=True)
    organisation: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    happened_on: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)
    notes: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    topic_rows: Mapped[list["EngagementTopic"]] = relationship(cascade="all, delete-orphan",
                                                               order_by="EngagementTopic.topic")

    @property
    def topics(self):
        return [row.topic for row in self.topic_rows]


class EngagementTopic(db.Model):
    """A topic an engagement was about (cpd.engagement.vocabulary.ENGAGEMENT_TOPICS)."""

    __tablename__ = "engagement_topics"

    engagement_id: Mapped[int] = mapped_column(sa.ForeignKey("engagements.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(40), primary_key=True)


class TechnicalSupporter(db.Model):
    """An organisation that supports the body's work with technicians (from `since`, until `until`)."""

    __tablename__ = "technical_supporters"
    __table_args__ = (sa.CheckConstraint("until IS NULL OR until >= since", name="until_after_since"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    since: Mapped[date] = mapped_column(sa.Date, nullable=False)
    until: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
