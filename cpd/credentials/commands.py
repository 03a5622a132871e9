"""`flask credentials new-key`: a new private key (PEM) for CREDENTIAL_SIGNING_KEY."""
import click
from flask.cli import AppGroup

from cpd.credentials import keys

credentials_cli = AppGroup("credentials", help="The keys that sign credentials.")


@credentials_cli.command("new-key")
def new_key_command():
    """Print a new signing key (PEM) to set as CREDENTIAL_SIGNING_KEY; when rotating, keep the old one
    in CREDENTIAL_PREVIOUS_KEYS so what it signed still verifies."""
    click.echo(keys.new_private_key_pem(), nl=False)
