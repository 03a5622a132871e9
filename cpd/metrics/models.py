from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cpd.core.models import UTCDateTime, utcnow
from cpd.extensions import db


class MeasureTarget(db.Model):
    """What the body aims for on one measure in one year (cpd.metrics.targets.HEADLINES)."""

    __tablename__ = "measure_targets"

    year: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    measure: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    target: Mapped[Decimal] = mapped_column(sa.Numeric(14, 4), nullable=False)


class ClosedYearFigures(db.Model):
    """A closed year's measures, computed once (cpd.metrics.closed_years): a past year's figures
    depend only on facts dated in or before it, so once the year is closed they are read, not
    recomputed. `flask metrics recount --check` proves them equal to a recomputation."""

    __tablename__ = "closed_year_figures"

    year: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    figures: Mapped[dict] = mapped_column(sa.JSON, nullable=False)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
