"""`flask reminders send [--today YYYY-MM-DD]`: queue the day's revalidation and CPD reminders."""
from datetime import datetime

import click
from flask.cli import AppGroup

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.revalidation.reminders import send_reminders

reminders_cli = AppGroup("reminders", help="Reminders to registrants and members, each sent once.")


@reminders_cli.command("send")
@click.option("--today", default=None, help="The day to act as (YYYY-MM-DD); default: today.")
def send_command(today):
    """Queue today's reminders in the outbox (`flask mail send` delivers them)."""
    day = datetime.strptime(today, "%Y-%m-%d").date() if today else utcnow().date()
    queued = send_reminders(day)
    db.session.commit()
    click.echo(", ".join(f"{n} {kind} reminder{'s' if n != 1 else ''}" for kind, n in queued.items()) + " queued.")
