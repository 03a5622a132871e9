from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpd.core.models import UTCDateTime, utcnow
from cpd.extensions import db
from cpd.members.models import Member


class Credential(db.Model):
    """A credential issued to a member: an `attendance` one for a booking marked attended, a
    `registration` one for each registration year of a registration held (`period`, the year; 0 for
    attendance). Its id is unguessable: the JWT and the verify page are for anyone holding the link.
    Its revocation is the bit at `status_index` of status list `status_list` (Bitstring Status List
    v1.0), a position drawn at random so the list does not say whose it is."""

    __tablename__ = "credentials"
    __table_args__ = (sa.UniqueConstraint("kind", "source_id", "period"),
                      sa.UniqueConstraint("status_list", "status_index"))

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    # The booking (attendance) or the professional registration (registration) it certifies.
    source_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    name: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    achievement_url: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    started_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    ended_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    cpd_hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    # The subject is named by a salted hash of their email, never the address itself.
    subject_salt: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    subject_hash: Mapped[str] = mapped_column(sa.String(80), nullable=False)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    period: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0, server_default="0")
    status_list: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1, server_default="1")
    status_index: Mapped[int] = mapped_column(sa.Integer, nullable=False)

    holder: Mapped[Member] = relationship()
