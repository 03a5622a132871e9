"""The learning platform of a professional body: create_app() builds the Flask application."""
import importlib
import os
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from werkzeug.routing import IntegerConverter

from cpd import settings
from cpd.core import database_deadline, read_transactions
from cpd.core.json_responses import FastJSONProvider
from cpd.extensions import api, csrf, db, limiter, login_manager, migrate

# Every model, so that the metadata (and Alembic) sees every table.
from cpd.auth import models as _auth_models  # noqa: F401
from cpd.core import audit as _audit_models  # noqa: F401
from cpd.members import models as _members_models  # noqa: F401
from cpd.events import models as _events_models  # noqa: F401
from cpd.notices import models as _notices_models  # noqa: F401
from cpd.events import notices as _event_notices  # noqa: F401 (registers the calendar attachment)
from cpd.records import models as _records_models  # noqa: F401
from cpd.sigs import models as _sigs_models  # noqa: F401
from cpd.payments import models as _payments_models  # noqa: F401
from cpd.organisations import models as _organisations_models  # noqa: F401
from cpd.mentoring import models as _mentoring_models  # noqa: F401
from cpd.publications import models as _publications_models  # noqa: F401
from cpd.engagement import models as _engagement_models  # noqa: F401
from cpd.surveys import models as _surveys_models  # noqa: F401
from cpd.metrics import models as _metrics_models  # noqa: F401
from cpd.registration import models as _registration_models  # noqa: F401
from cpd.revalidation import models as _revalidation_models  # noqa: F401
from cpd.credentials import models as _credentials_models  # noqa: F401
from cpd.exports import models as _exports_models  # noqa: F401
from cpd.integrations import models as _integrations_models  # noqa: F401
from cpd.integrations import webhook_events as _webhook_events  # noqa: F401 (announces changes as webhooks)
from cpd.records import standings as _standings  # noqa: F401 (keeps each member's standing as their log changes)
from cpd.events import programme_pages as _programme_pages  # noqa: F401 (revises an event when its sessions or prices change)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    """The application. `config`: None (from the environment), a settings class, or a dict of overrides."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.json = FastJSONProvider(app)
    configure(app, config)
    register_extensions(app)
    register_sign_on(app)
    register_domain_answers()
    register_blueprints(app)
    register_commands(app)
    register_errorhandlers(app)
    register_hooks(app)
    register_template_helpers(app)
    # Done here, once, rather than by the first request of each worker (half a second on this kind of
    # machine, spent while it holds a connection; with gunicorn's preload, done before the fork).
    sa.orm.configure_mappers()
    return app


def configure(app, config):
    overrides = {}
    if config is None or isinstance(config, dict):
        overrides = dict(config or {})
        config = settings.config_for(overrides.get("CPD_ENV"))
    app.config.from_object(config)
    app.config.update(overrides)
    app.config["CPD_ENV"] = app.config["ENV_NAME"]

    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            f"SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            f"string before starting with CPD_ENV={app.config['ENV_NAME']}."
        )
    minimum = app.config.get("MIN_SECRET_KEY_BYTES", 0)
    if len(str(app.config["SECRET_KEY"]).encode("utf-8")) < minimum:
        raise RuntimeError(
            f"SECRET_KEY is too short: use at least {minimum} bytes of random text, for example the output "
            f"of: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'."
        )
    _require_signing_key_in_production(app)
    _require_a_public_provider_in_production(app)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'cpd.sqlite3'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = settings.normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options["connect_args"] = {"timeout": 30, **options.get("connect_args", {})}
        # A file never drops a connection, so pinging it before each request only costs a statement.
        options.setdefault("pool_pre_ping", False)
    else:
        # A server restarted or a connection cut while idle is found before a request uses it.
        options.setdefault("pool_pre_ping", True)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": app.config["DATABASE_CONNECT_TIMEOUT"],
                                   **database_deadline.connect_arguments(app.config["DATABASE_CONNECT_TIMEOUT"]),
                                   **options.get("connect_args", {})}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if app.config.get("DATABASE_REPLICA_URL"):
        app.config["SQLALCHEMY_BINDS"] = {
            "replica": settings.normalise_database_url(app.config["DATABASE_REPLICA_URL"])}
    if not app.config.get("UPLOAD_DIR"):
        app.config["UPLOAD_DIR"] = str(Path(app.instance_path) / "uploads")


def _require_a_public_provider_in_production(app):
    """In production the payment provider's API is Stripe's own, or another public HTTPS address:
    never plain HTTP, and never a private or loopback address (a fake provider is for tests)."""
    from cpd.core.outbound import is_public_https

    base = app.config.get("STRIPE_API_BASE") or ""
    if app.config["ENV_NAME"] == "production" and base and not is_public_https(base):
        raise RuntimeError("STRIPE_API_BASE must be a public https:// address in production, or unset for Stripe's own.")
    issuer = app.config.get("OIDC_ISSUER") or ""
    if app.config["ENV_NAME"] == "production" and issuer and not is_public_https(issuer):
        raise RuntimeError("OIDC_ISSUER must be a public https:// address in production.")


def _require_signing_key_in_production(app):
    """Production signs credentials only with a key of its own: one derived from SECRET_KEY would let
    a leaked SECRET_KEY mint credentials, and rotating it would silently break every credential."""
    app.config["CREDENTIAL_SIGNING_KEY"] = app.config.get("CREDENTIAL_SIGNING_KEY") or ""
    if app.config["ENV_NAME"] == "production" and not app.config["CREDENTIAL_SIGNING_KEY"].strip():
        raise RuntimeError(
            "CREDENTIAL_SIGNING_KEY is not set. Production signs credentials with a key of its own: set "
            "CREDENTIAL_SIGNING_KEY to a private key in PEM, for example the output of: "
            "flask --app wsgi credentials new-key")
    if app.config["CREDENTIAL_SIGNING_KEY"].strip():
        from cpd.credentials.keys import check_current, load_key

        try:
            check_current(load_key(app.config["CREDENTIAL_SIGNING_KEY"]))
        except ValueError as error:
            raise RuntimeError(f"CREDENTIAL_SIGNING_KEY is not a usable private key in PEM: {error}") from None


def _configure_sqlite(dbapi_connection, connection_record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets readers go on while one request writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _postgresql_setup(statement_timeout_seconds):
    def configure(dbapi_connection, connection_record):
        with dbapi_connection.cursor() as cursor:
            # Monthly figures group by the UTC month, whatever the server's own timezone.
            cursor.execute("SET TIME ZONE 'UTC'")
            # A statement the server cannot finish in time ends with an error (a 503), not a stuck worker.
            cursor.execute(f"SET statement_timeout = {int(statement_timeout_seconds * 1000)}")
        dbapi_connection.commit()

    return configure


def _end_what_only_read(error):
    if error is None and db.session.registry.has():  # (a request that used no session makes none here)
        read_transactions.commit_if_only_read(db.session())


def register_extensions(app):
    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                sa.event.listen(engine, "connect", _configure_sqlite)
            elif engine.dialect.name == "postgresql":
                sa.event.listen(engine, "connect", _postgresql_setup(app.config["DATABASE_STATEMENT_TIMEOUT"]))
                database_deadline.watch(engine, app.config["DATABASE_CONNECT_TIMEOUT"],
                                        app.config["DATABASE_STATEMENT_TIMEOUT"])
                read_transactions.watch(engine)
    # Registered after Flask-SQLAlchemy's own: teardowns run last first, so this precedes its remove().
    app.teardown_appcontext(_end_what_only_read)

    login_manager.init_app(app)
    login_manager.login_view = "auth.signin"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"

    from cpd.auth.services import member_by_id

    login_manager.user_loader(member_by_id)

    csrf.init_app(app)
    limiter.init_app(app)
    api.init_app(app)


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route: ids past what the database stores are simply not found (404),
    never an overflow deep in the driver."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


# The pages: each module's `bp`, registered in this order.
PAGE_MODULES = (
    "cpd.core.health", "cpd.home.views", "cpd.auth.views", "cpd.members.views", "cpd.privacy.views",
    "cpd.records.views", "cpd.events.views", "cpd.sigs.views", "cpd.metrics.views", "cpd.publications.views",
    "cpd.engagement.views", "cpd.surveys.views", "cpd.registration.views", "cpd.revalidation.views",
    "cpd.credentials.views", "cpd.operations.views", "cpd.exports.views", "cpd.payments.views",
    "cpd.integrations.oidc_views", "cpd.integrations.identity_views", "cpd.organisations.views",
    "cpd.mentoring.views",
)

# The JSON API: (module, blueprint, URL prefix). It authenticates by bearer token (cpd.web.current),
# so it needs no CSRF token.
API_BLUEPRINTS = (
    ("cpd.auth.api", "blp", "/api/v1/auth"),
    ("cpd.auth.api", "account_blp", "/api/v1/me"),
    ("cpd.members.api", "me_blp", "/api/v1/me"),
    ("cpd.members.api", "members_blp", "/api/v1/members"),
    ("cpd.privacy.api", "blp", "/api/v1"),
    ("cpd.records.api", "blp", "/api/v1"),
    ("cpd.records.api", "policies_blp", "/api/v1/cpd-policies"),
    ("cpd.events.api", "blp", "/api/v1"),
    ("cpd.events.api", "courses_blp", "/api/v1/courses"),
    ("cpd.sigs.api", "blp", "/api/v1"),
    ("cpd.metrics.api", "blp", "/api/v1/metrics"),
    ("cpd.exports.api", "blp", "/api/v1/exports"),
    ("cpd.privacy.audit_api", "blp", "/api/v1/audit-log"),
    ("cpd.publications.api", "blp", "/api/v1/publications"),
    ("cpd.engagement.api", "blp", "/api/v1"),
    ("cpd.surveys.api", "blp", "/api/v1/surveys"),
    ("cpd.registration.api", "blp", "/api/v1"),
    ("cpd.revalidation.api", "blp", "/api/v1"),
    ("cpd.credentials.api", "blp", "/api/v1"),
    ("cpd.payments.api", "blp", "/api/v1"),
    ("cpd.integrations.api", "blp", "/api/v1"),
    ("cpd.integrations.xapi_api", "blp", "/api/v1/xapi"),
    ("cpd.organisations.api", "blp", "/api/v1"),
    ("cpd.mentoring.api", "blp", "/api/v1"),
)


def register_blueprints(app):
    app.url_map.converters["int"] = DatabaseIdConverter
    for module in PAGE_MODULES:
        app.register_blueprint(importlib.import_module(module).bp)
    for module, name, prefix in API_BLUEPRINTS:
        blueprint = getattr(importlib.import_module(module), name)
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint, url_prefix=prefix)


def register_commands(app):
    from cpd.auth.commands import users_cli
    from cpd.core.backups import backup_cli
    from cpd.credentials.commands import credentials_cli
    from cpd.demo.commands import demo_cli
    from cpd.events.commands import events_cli, mail_cli
    from cpd.metrics.commands import metrics_cli
    from cpd.revalidation.commands import reminders_cli
    from cpd.operations.commands import schedule_cli, worker_command
    from cpd.payments.commands import payments_cli
    from cpd.integrations.commands import oidc_cli, webhooks_cli, xapi_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(events_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(schedule_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(payments_cli)
    app.cli.add_command(metrics_cli)
    app.cli.add_command(credentials_cli)
    app.cli.add_command(webhooks_cli)
    app.cli.add_command(xapi_cli)
    app.cli.add_command(oidc_cli)


def register_errorhandlers(app):
    from cpd.core.errors import register_error_handlers

    register_error_handlers(app)


def register_hooks(app):
    from cpd.core.observability import register_observability
    from cpd.core.security import add_security_headers

    register_observability(app)
    register_access(app)
    production = app.config["ENV_NAME"] == "production"
    app.after_request(lambda response: add_security_headers(response, production))


def register_sign_on(app):
    """Single sign-on both ways (Authlib): this platform as an OpenID provider, and as a client of the
    body's identity provider when OIDC_ISSUER is set."""
    from cpd.integrations import identity_provider, oidc_provider

    oidc_provider.configure(app)
    identity_provider.configure(app)


def register_domain_answers():
    """A lower domain's questions answered by a higher one, given when the app is made, so no import
    runs upward: the events domain asks the SIGs who leads them (cpd.events.groups), and hands a paid
event's booking to the payments domain's checkout, which hears of the holds that lapse; the records
domain asks the organisations whether an approved employer scheme meets a member's policy."""
    from cpd.core import answers
    from cpd.events import booking, hooks
    from cpd.organisations import schemes
    from cpd.payments import checkout, orders, refunds
    from cpd.sigs.leadership import answer_for_events

    answer_for_events()
    booking.register_checkout(checkout.checkout)
    hooks.listen("holds_lapsed", orders.holds_lapsed)
    hooks.listen("bookings_cancelled", refunds.bookings_cancelled)
    hooks.listen("cancellations_committed", refunds.settle_event_refunds)
    hooks.answer("orders_of_bookings", orders.summaries_for_bookings)
    answers.answer("scheme_covering", schemes.scheme_covering)


def register_access(app):
    """Who is calling, and whether they may, before flask-smorest reads any input (cpd.web.current);
    the auth domain hands the web layer the token owner and the two-factor gate."""
    from cpd.auth import services as auth_services, two_factor
    from cpd.web import current

    current.configure(app, token_owner=auth_services.member_for_token, gate=two_factor.enrolment_gate)
    app.before_request(current.check_access_first)


# The template filters that show a stored code in the body's words: filter name -> vocabulary.
VOCABULARY_FILTERS = {
    "activity_type": ("cpd.records.vocabulary", "ACTIVITY_TYPES"),
    "objective_status": ("cpd.records.vocabulary", "OBJECTIVE_STATUSES"),
    "cpd_topic": ("cpd.records.vocabulary", "TOPICS"),
    "exemption_kind": ("cpd.records.vocabulary", "EXEMPTION_KINDS"),
    "publication_kind": ("cpd.publications.vocabulary", "PUBLICATION_KINDS"),
    "engagement_kind": ("cpd.engagement.vocabulary", "ENGAGEMENT_KINDS"),
    "supporter_kind": ("cpd.engagement.vocabulary", "SUPPORTER_KINDS"),
    "engagement_topic": ("cpd.engagement.vocabulary", "ENGAGEMENT_TOPICS"),
    "publication_audience": ("cpd.publications.vocabulary", "PUBLICATION_AUDIENCES"),
    "event_kind": ("cpd.events.vocabulary", "EVENT_KINDS"),
    "booking_status": ("cpd.events.vocabulary", "BOOKING_STATUSES"),
}


def register_template_helpers(app):
    from cpd.members import vocabulary

    @app.template_filter("vocab")
    def vocab(code, vocabulary_name):
        """The body's label for a stored code: {{ member.grade|vocab('GRADES') }}."""
        return vocabulary.label(getattr(vocabulary, vocabulary_name), code)

    def labeller(module, name):
        words = getattr(importlib.import_module(module), name)
        return lambda code: vocabulary.label(words, code)

    for filter_name, (module, name) in VOCABULARY_FILTERS.items():
        app.add_template_filter(labeller(module, name), filter_name)
    app.add_template_filter(lambda code, question: vocabulary.label(vocabulary.EQUALITY_QUESTIONS[question], code),
                            "equality_answer")

    @app.template_filter("short_when")
    def short_when(moment):
        """"Mon 8 Mar, 09:00", with the year where it is not this year ("Mon 8 Mar 2027, 09:00")."""
        from cpd.core.models import utcnow

        return moment.strftime("%a %-d %b" + ("" if moment.year == utcnow().year else " %Y") + ", %H:%M")
