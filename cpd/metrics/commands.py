"""`flask metrics close` and `flask metrics recount [--check]`: the stored figures of closed years."""
import click
from flask.cli import AppGroup

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.metrics import measures

metrics_cli = AppGroup("metrics", help="The stored figures of closed years.")


@metrics_cli.command("close")
def close_command():
    """Store the figures of every closed year not stored yet."""
    now = utcnow()
    stored = measures.close_years(now.date(), now)
    db.session.commit()
    click.echo(f"Stored the figures of {', '.join(map(str, stored))}." if stored else "No closed year waiting.")


@metrics_cli.command("recount")
@click.option("--check", is_flag=True, help="Only compare; exit 1 when any stored figure differs.")
@click.option("--year", type=int, multiple=True, help="Only this year (may be given more than once).")
def recount_command(check, year):
    """Recompute the stored years from the facts; restate those that differ (or, with --check, fail)."""
    found = measures.recount(check, utcnow(), list(year) or None)
    db.session.commit()
    for stored_year, lines in found.items():
        click.echo(f"{stored_year}: " + ("as stored" if not lines else
                                         ("differs" if check else "restated") + "\n  " + "\n  ".join(lines)))
    if not found:
        click.echo("No stored year.")
    if check and any(found.values()):
        raise SystemExit(1)
