from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cpd.core.models import UTCDateTime, utcnow
from cpd.extensions import db


class Publication(db.Model):
    """A journal issue, article, report, guidance or standard the body publishes."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    published_on: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)
    url: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    cpd_hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    audience: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="professionals",
                                          server_default="professionals")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class PublicationDownload(db.Model):
    """How many times a publication was opened through its download link on a day (nobody named)."""

    __tablename__ = "publication_downloads"

    publication_id: Mapped[int] = mapped_column(sa.ForeignKey("publications.id", ondelete="CASCADE"),
                                                primary_key=True)
    downloaded_on: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    n: Mapped[int] = mapped_column(sa.Integer, nullable=False)


class PublicationRead(db.Model):
    """A member read a publication ("I read this"): once each, dated, with the CPD record it made."""

    __tablename__ = "publication_reads"
    __table_args__ = (sa.UniqueConstraint("publication_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(sa.ForeignKey("publications.id", ondelete="CASCADE"), nullable=False)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    read_on: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)
    # The records domain's table: the draft record made for the reader to reflect on.
    record_id: Mapped[int | None] = mapped_column(sa.Integer)
