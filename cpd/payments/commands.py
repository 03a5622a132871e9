"""`flask payments reconcile`: what a lost webhook or an unanswered refund left, settled from the provider."""
import click
from flask.cli import AppGroup

from cpd.payments.reconcile import reconcile

payments_cli = AppGroup("payments", help="Paid events: settle orders and refunds with the payment provider.")


@payments_cli.command("reconcile")
def reconcile_command():
    """Ask the provider about every order still awaiting payment and every refund not yet settled."""
    counts = reconcile()
    click.echo(", ".join(f"{what}: {number}" for what, number in counts.items()))
