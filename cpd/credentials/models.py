from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cpd.core.models import UTCDateTime, utcnow
from cpd.extensions import db


class Credential(db.Model):
    """A credential issued to a member: an `attendance` one for a booking marked attended, a
    `registration` one for a registration held. Its id is unguessable: the JWT and the verify page
    are for anyone holding the link."""

    __tablename__ = "credentials"
    __table_args__ = (sa.UniqueConstraint("kind", "source_id"),)

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
