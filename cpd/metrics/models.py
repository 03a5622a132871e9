from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cpd.extensions import db


class MeasureTarget(db.Model):
    """What the body aims for on one measure in one year (cpd.metrics.targets.HEADLINES)."""

    __tablename__ = "measure_targets"

    year: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    measure: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    target: Mapped[Decimal] = mapped_column(sa.Numeric(14, 4), nullable=False)
