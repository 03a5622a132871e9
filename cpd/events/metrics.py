"""The events domain's figures for the operator's metrics."""
import sqlalchemy as sa

from cpd.events.models import Booking, Notice
from cpd.extensions import db


def outbox_and_bookings():
    """(notices pending, notices whose last attempt failed, confirmed bookings): one query."""
    row = db.session.execute(sa.select(
        sa.select(sa.func.count()).select_from(Notice).where(Notice.sent_at.is_(None)).scalar_subquery(),
        sa.select(sa.func.count()).select_from(Notice).where(Notice.sent_at.is_(None), Notice.attempts > 0)
        .scalar_subquery(),
        sa.select(sa.func.count()).select_from(Booking).where(Booking.status == "confirmed").scalar_subquery(),
    )).one()
    db.session.rollback()
    return tuple(int(value) for value in row)
