"""`flask webhooks send`: deliver what is due, without a worker (from cron)."""
import click
from flask.cli import AppGroup

from cpd.integrations import webhooks

webhooks_cli = AppGroup("webhooks", help="Deliveries to the body's other systems.")


@webhooks_cli.command("send")
def send_command():
    """Send every webhook delivery that is due (retries included)."""
    delivered, failed = webhooks.deliver_due()
    click.echo(f"{delivered} delivered, {failed} not (retried later, or failed after a day).")
