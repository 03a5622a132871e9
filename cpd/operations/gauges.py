"""The gauges /metrics reads when scraped: notices waiting and failing, confirmed bookings, and the
background queue's length. Here, above every domain, so the ground floor's metrics import none."""
import sqlalchemy as sa
from prometheus_client.core import GaugeMetricFamily

from cpd.core.background import queue_length
from cpd.events.models import Booking
from cpd.extensions import db
from cpd.notices.delivery import waiting_and_failing


class OutboxAndBookings:
    def __init__(self, app):
        self.app = app

    def collect(self):
        with self.app.app_context():
            pending, failed = waiting_and_failing()
            bookings = db.session.scalar(sa.select(sa.func.count()).select_from(Booking)
                                         .where(Booking.status == "confirmed"))
            db.session.rollback()
            waiting = queue_length()
        yield GaugeMetricFamily("cpd_notices_pending", "Notices in the outbox not yet sent", value=pending)
        yield GaugeMetricFamily("cpd_notices_failed", "Unsent notices whose last attempt failed", value=failed)
        yield GaugeMetricFamily("cpd_bookings_confirmed", "Confirmed bookings held", value=int(bookings))
        yield GaugeMetricFamily("cpd_queue_length", "Jobs waiting for the background worker", value=waiting)
