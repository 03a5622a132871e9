"""`flask mail send`: queue the day-before reminders, then deliver the outbox; `flask events recount
[--check]`: the seat figures each event keeps, against a count of its bookings."""
import click
from flask.cli import AppGroup

from cpd.core.models import utcnow
from cpd.events import notices, booking as booking_service, seats
from cpd.notices import delivery
from cpd.extensions import db

mail_cli = AppGroup("mail", help="Notices to members.")


@mail_cli.command("send")
def send_command():
    """Deliver due notices over SMTP (MAIL_SERVER), or print them when none is set."""
    now = utcnow()
    for booking in booking_service.upcoming_events_needing_reminders(now):
        notices.queue(booking.member, booking.event, "reminder")
    db.session.commit()
    sent, failed = delivery.deliver_pending(now, echo=click.echo)
    click.echo(f"{sent} sent, {failed} failed (failed notices stay in the outbox and are retried).")


events_cli = AppGroup("events", help="The programme's events.")


@events_cli.command("recount")
@click.option("--check", is_flag=True, help="Only compare; exit 1 when any event's seat figures differ.")
def recount_command(check):
    """Compare every event's seat figures with a count of its bookings; mend those that differ
    (or, with --check, fail)."""
    drift = seats.drifted()
    for event_id, kept, counted in drift:
        held = (f", {kept[2]} held", f", {counted[2]} held") if kept[2] or counted[2] else ("", "")
        click.echo(f"event {event_id}: kept {kept[0]} confirmed, {kept[1]} waiting{held[0]}; "
                   f"counted {counted[0]} confirmed, {counted[1]} waiting{held[1]}")
        if not check:
            seats.recount(event_id)
            db.session.commit()
    if not drift:
        click.echo("Every event's seat figures match its bookings.")
    elif check:
        raise SystemExit(1)
    else:
        click.echo(f"Mended {len(drift)} event{'s' if len(drift) != 1 else ''}.")
