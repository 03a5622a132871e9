"""`flask metrics close` and `flask metrics recount [--check]`: the stored figures of closed years;
`flask metrics standings [--check]`: the members' stored CPD standings the year's figures read."""
import click
from flask.cli import AppGroup

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members.history import today
from cpd.metrics import measures
from cpd.records import standings

metrics_cli = AppGroup("metrics", help="The stored figures of closed years and the stored CPD standings.")


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


@metrics_cli.command("standings")
@click.option("--check", is_flag=True, help="Only compare; exit 1 naming each stored standing that differs.")
def standings_command(check):
    """Recompute every member's stored CPD standing as of today (the daily round does this), or with
    --check compare each with a recomputation as of its own day."""
    if not check:
        measured = standings.recompute_everyone(today(), replace=True)
        click.echo(f"Recomputed the standings of {measured:,} members as of {today().isoformat()}.")
        return
    found = standings.differences()
    db.session.rollback()
    for line in found:
        click.echo(line)
    if found:
        click.echo(f"{len(found):,} stored standing{'s' if len(found) != 1 else ''} differ from a recomputation.")
        raise SystemExit(1)
    click.echo(f"Every stored standing agrees with a recomputation (round of {standings.last_round() or 'none yet'}).")
