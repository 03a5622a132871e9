"""`flask mail send`: queue the day-before reminders, then deliver the outbox."""
import click
from flask.cli import AppGroup

from cpd.core.models import utcnow
from cpd.events import notices, booking as booking_service
from cpd.extensions import db

mail_cli = AppGroup("mail", help="Notices to members.")


@mail_cli.command("send")
def send_command():
    """Deliver due notices over SMTP (MAIL_SERVER), or print them when none is set."""
    now = utcnow()
    for booking in booking_service.upcoming_events_needing_reminders(now):
        notices.queue(booking.member, booking.event, "reminder")
    db.session.commit()
    sent, failed = notices.deliver_pending(now, echo=click.echo)
    click.echo(f"{sent} sent, {failed} failed (failed notices stay in the outbox and are retried).")
