"""`flask webhooks send` (deliver what is due, without a worker), `flask xapi clients create NAME`
and `flask xapi pull`."""
import click
from flask import current_app
from flask.cli import AppGroup

from cpd.extensions import db
from cpd.integrations import lrs_pull, oidc_provider, webhooks, xapi

webhooks_cli = AppGroup("webhooks", help="Deliveries to the body's other systems.")


@webhooks_cli.command("send")
def send_command():
    """Send every webhook delivery that is due (retries included)."""
    delivered, failed = webhooks.deliver_due()
    click.echo(f"{delivered} delivered, {failed} not (retried later, or failed after a day).")


xapi_cli = AppGroup("xapi", help="Learning recorded in the body's other systems (xAPI).")
xapi_clients_cli = AppGroup("clients", help="The learning systems that send statements.")
xapi_cli.add_command(xapi_clients_cli)


@xapi_clients_cli.command("create")
@click.argument("name")
def create_xapi_client(name):
    """Register a learning system; prints its key and secret, this once."""
    try:
        client, secret = xapi.create_client(name)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"client: {client.name}\nkey: {client.key}\nsecret: {secret}\n"
               f"(the secret is not shown again; the endpoint is {current_app.config['PUBLIC_BASE_URL'].rstrip('/')}"
               f"/api/v1/xapi/)")


@xapi_cli.command("pull")
def pull_command():
    """Take the completions a learning record store (LRS_URL, LRS_KEY, LRS_SECRET) holds since the last pull."""
    try:
        pulled = lrs_pull.pull()
    except lrs_pull.PullFailed as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{pulled.taken} statements taken, {pulled.left_alone} with other verbs left alone, "
               f"{pulled.passed_over} unreadable passed over, in {pulled.pages} pages.")
    for error in pulled.errors[:20]:
        click.echo(f"  passed over {error}", err=True)


oidc_cli = AppGroup("oidc", help="Single sign-on: the systems that sign people in through this platform.")
oidc_clients_cli = AppGroup("clients", help="OpenID Connect clients.")
oidc_cli.add_command(oidc_clients_cli)


@oidc_clients_cli.command("create")
@click.argument("name")
@click.option("--redirect-uri", "redirect_uris", multiple=True, required=True, help="Matched exactly; repeatable.")
@click.option("--post-logout-redirect-uri", "post_logout_uris", multiple=True, help="Where logout may return.")
def create_oidc_client(name, redirect_uris, post_logout_uris):
    """Register a client; prints its client id and secret, this once."""
    try:
        client, secret = oidc_provider.create_client(name, redirect_uris, post_logout_uris)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"client: {client.name}\nclient_id: {client.client_id}\nclient_secret: {secret}\n"
               f"(the secret is not shown again; discovery: {current_app.config['PUBLIC_BASE_URL'].rstrip('/')}"
               f"/.well-known/openid-configuration)")
