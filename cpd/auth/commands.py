"""`flask users create EMAIL --name "Full Name" --role member|staff --password-stdin`."""
import sys

import click
from flask.cli import AppGroup

from cpd.auth import services
from cpd.core.errors import DomainError
from cpd.extensions import db
from cpd.members.vocabulary import ROLES

users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", "full_name", required=True, help="The person's full name.")
@click.option("--role", type=click.Choice(list(ROLES)), default="member", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email, full_name, role, password_stdin):
    """Create an account (a member, or staff who run the programme)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        member = services.create_account(email=email, full_name=full_name, password=password, role=role)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created {member.role} account {member.email} (id {member.id}).")
