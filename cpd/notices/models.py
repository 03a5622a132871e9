from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpd.core.models import UTCDateTime, utcnow
from cpd.extensions import db


class Notice(db.Model):
    """The outbox: a message to a member, written in the same transaction as what it tells."""

    __tablename__ = "notices"
    __table_args__ = (
        sa.Index("ix_notices_unsent", "sent_at", "next_attempt_at"),
        # The day-before reminder goes once, however often the mail command runs.
        sa.Index(
            "uq_notices_one_reminder",
            "member_id",
            "event_id",
            unique=True,
            sqlite_where=sa.text("kind = 'reminder'"),
            postgresql_where=sa.text("kind = 'reminder'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True)
    # The event a notice is about, if any: the calendar entry it carries, and one reminder per event.
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    # Another address than the member's own (the new address of an email change).
    to_address: Mapped[str | None] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    # An .ics stored with the notice (older notices; now built at delivery by the events domain).
    calendar: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(sa.Text)

    # By name, so this package imports no domain: the members' model is mapped by then.
    member = relationship("Member")
