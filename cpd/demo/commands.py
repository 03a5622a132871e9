import click
from flask.cli import AppGroup

from cpd.demo import seed

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("seed")
def seed_command():
    """Fill an empty database with a year of demo activity; running it again changes nothing."""
    report = seed.seed_all()
    for line in report:
        click.echo(line)
