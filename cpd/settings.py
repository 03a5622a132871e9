"""Settings, built from the environment when the app is made (see the README's settings table):
nothing is read at import time, so one process can make apps of several settings.

`CPD_ENV` picks the kind: development (default), testing or production.
"""
import os
from datetime import timedelta

ENVIRONMENTS = ("development", "testing", "production")


def normalise_database_url(url):
    """Accept the common `postgres://` and `postgresql://` spellings and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _kinds(environ):
    """The settings classes, read from `environ` now."""

    def flag(name, default):
        value = environ.get(name)
        if value is None or value == "":
            return default
        return value.strip().lower() in ("1", "true", "yes", "on")

    def listed(name):
        value = environ.get(name, "")
        return [item.strip() for item in value.split(",") if item.strip()] or None

    class Config:
        ENV_NAME = "development"
        SECRET_KEY = environ.get("SECRET_KEY")
        SQLALCHEMY_DATABASE_URI = normalise_database_url(environ.get("DATABASE_URL", ""))
        SQLALCHEMY_ENGINE_OPTIONS = {}  # a server database's connections are pinged before use (create_app)
        SQLALCHEMY_RECORD_QUERIES = False

        # A whole request body: the largest evidence upload plus room for the form around it.
        EVIDENCE_MAX_BYTES = int(environ.get("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))
        MAX_CONTENT_LENGTH = EVIDENCE_MAX_BYTES + 256 * 1024
        UPLOAD_DIR = environ.get("UPLOAD_DIR", "")

        DEFAULT_CPD_POLICY = environ.get("DEFAULT_CPD_POLICY", "science_council")
        # The issuer named on certificates and Open Badges.
        BODY_NAME = environ.get("BODY_NAME", "Institute of Science & Technology")
        # Credentials: the current Ed25519 signing key (PEM) and earlier ones kept verifiable (PEMs).
        CREDENTIAL_SIGNING_KEY = environ.get("CREDENTIAL_SIGNING_KEY", "")
        CREDENTIAL_PREVIOUS_KEYS = environ.get("CREDENTIAL_PREVIOUS_KEYS", "")
        # Paid events (cpd.payments): prices are in CURRENCY, VAT included; a seat is held this long
        # while its card payment is made; an offer from the waiting list stays open OFFER_HOURS;
        # an invoice is due in INVOICE_DUE_DAYS. The body's address and VAT number go on its documents.
        CURRENCY = environ.get("CURRENCY", "GBP")
        PAYMENT_HOLD_MINUTES = int(environ.get("PAYMENT_HOLD_MINUTES", 15))
        OFFER_HOURS = int(environ.get("OFFER_HOURS", 48))
        # Webhooks: how often each process reads who is subscribed (seconds), and how long a delivery
        # is retried before it is marked failed (hours).
        WEBHOOK_SUBSCRIPTIONS_TTL = float(environ.get("WEBHOOK_SUBSCRIPTIONS_TTL", 5))
        WEBHOOK_RETRY_HOURS = float(environ.get("WEBHOOK_RETRY_HOURS", 24))
        # A learning record store `flask xapi pull` reads completions from (its statements resource's
        # base, such as https://lrs.example.org/xAPI/), with HTTP Basic credentials.
        # Single sign-on through the body's identity provider (OpenID Connect): "Sign in with ..." on
        # the sign-in page when OIDC_ISSUER is set; STAFF_SSO_ONLY makes it the only way in for staff.
        OIDC_ISSUER = environ.get("OIDC_ISSUER", "")
        OIDC_CLIENT_ID = environ.get("OIDC_CLIENT_ID", "")
        OIDC_CLIENT_SECRET = environ.get("OIDC_CLIENT_SECRET", "")
        OIDC_PROVIDER_NAME = environ.get("OIDC_PROVIDER_NAME", "the body's account")
        STAFF_SSO_ONLY = flag("STAFF_SSO_ONLY", False)
        LRS_URL = environ.get("LRS_URL", "")
        LRS_KEY = environ.get("LRS_KEY", "")
        LRS_SECRET = environ.get("LRS_SECRET", "")
        XAPI_BATCH_LIMIT = int(environ.get("XAPI_BATCH_LIMIT", 5000))  # statements in one POST
        INVOICE_DUE_DAYS = int(environ.get("INVOICE_DUE_DAYS", 30))
        BODY_ADDRESS = environ.get("BODY_ADDRESS", "1 Example Street, London, EC1A 1AA, United Kingdom")
        BODY_VAT_NUMBER = environ.get("BODY_VAT_NUMBER", "GB000000000")
        # Stripe, through its official library: the secret key, the webhook's signing secret, and
        # (tests and CI only: localstripe) another address for its API. Unset key: no card payments.
        STRIPE_SECRET_KEY = environ.get("STRIPE_SECRET_KEY", "")
        STRIPE_PUBLISHABLE_KEY = environ.get("STRIPE_PUBLISHABLE_KEY", "")
        STRIPE_WEBHOOK_SECRET = environ.get("STRIPE_WEBHOOK_SECRET", "")
        STRIPE_API_BASE = environ.get("STRIPE_API_BASE", "")
        # Stripe's script for the card form (the tests: localstripe's stand-in, at its /js.stripe.com/v3/).
        STRIPE_JS_URL = environ.get("STRIPE_JS_URL", "https://js.stripe.com/v3/")
        # The day each year's CPD declaration is due, as MM-DD (registrants are reminded 30 and 7 days
        # before); a registrant not declared this many days after it is overdue.
        DECLARATION_DEADLINE = environ.get("DECLARATION_DEADLINE", "12-31")
        DECLARATION_GRACE_DAYS = int(environ.get("DECLARATION_GRACE_DAYS", 60))
        # Days from an audit's draw to the day a sampled registrant's profile is due (HCPC's notice).
        AUDIT_SUBMIT_DAYS = int(environ.get("AUDIT_SUBMIT_DAYS", 90))

        RATELIMIT_STORAGE_URI = environ.get("RATELIMIT_STORAGE_URI", "memory://")
        # Background work (RQ): notices delivered as soon as their transaction commits, and the schedule.
        # Without it the same work runs in-process (`flask mail send`, `flask reminders send`).
        REDIS_URL = environ.get("REDIS_URL", "")
        # With a worker (REDIS_URL), exports of more rows than this are built in the background.
        EXPORT_BACKGROUND_ROWS = int(environ.get("EXPORT_BACKGROUND_ROWS", 20_000))
        # A year's figures are stored, and read instead of recomputed, this many days after it ends.
        FIGURES_CLOSE_AFTER_DAYS = int(environ.get("FIGURES_CLOSE_AFTER_DAYS", 90))
        # When the schedule runs its daily round (reminders, closing a year's figures): cron, in the scheduler's local time.
        DAILY_ROUND_CRON = environ.get("DAILY_ROUND_CRON", "15 3 * * *")
        # Optional: figures and exports read from a replica of the database.
        DATABASE_REPLICA_URL = environ.get("DATABASE_REPLICA_URL", "")
        # A bearer token for Prometheus to read /metrics (staff API tokens are accepted too).
        METRICS_TOKEN = environ.get("METRICS_TOKEN", "")
        RATELIMIT_ENABLED = flag("RATELIMIT_ENABLED", True)
        RATELIMIT_HEADERS_ENABLED = True
        # The limits' store (Redis) down: limits fail open to each process's own memory, with a logged
        # warning, and /readyz says the store is degraded; never a 500 for signing in (the README).
        RATELIMIT_SWALLOW_ERRORS = True
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        # A store that does not answer costs a request at most this long before the fallback takes over.
        RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
        RATELIMIT_KEY_PREFIX = environ.get("RATELIMIT_KEY_PREFIX", "cpd")
        # Failed sign-ins per client address; successful ones do not count.
        SIGN_IN_RATE_LIMIT = environ.get("SIGN_IN_RATE_LIMIT", "10 per minute")
        # Generous: a body registering a class of apprentices at once, or a script, must get through;
        # the hourly cap and the tighter one on "already registered" answers make probing for
        # accounts slow.
        REGISTER_RATE_LIMIT = environ.get("REGISTER_RATE_LIMIT", "200 per minute;1000 per hour")
        REGISTER_CONFLICT_LIMIT = environ.get("REGISTER_CONFLICT_LIMIT", "10 per minute;30 per hour")
        # Requests for a password-reset link: per client address, and per account asked about.
        PASSWORD_RESET_RATE_LIMIT = environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per minute;20 per hour")
        PASSWORD_RESET_ACCOUNT_LIMIT = environ.get("PASSWORD_RESET_ACCOUNT_LIMIT", "3 per hour")
        # Failed sign-ins per account from any address: a lockout that holds across processes
        # when RATELIMIT_STORAGE_URI is shared (Redis).
        ACCOUNT_LOCKOUT_LIMIT = environ.get("ACCOUNT_LOCKOUT_LIMIT", "20 per hour")

        MAIL_SERVER = environ.get("MAIL_SERVER", "")
        MAIL_PORT = int(environ.get("MAIL_PORT", 587))
        MAIL_USE_TLS = flag("MAIL_USE_TLS", True)
        MAIL_USERNAME = environ.get("MAIL_USERNAME", "")
        MAIL_PASSWORD = environ.get("MAIL_PASSWORD", "")
        MAIL_FROM = environ.get("MAIL_FROM", "Learning and CPD <noreply@example.org>")
        # The host part of calendar UIDs: stable for one deployment.
        CALENDAR_UID_HOST = environ.get("CALENDAR_UID_HOST", "cpd.example.org")
        # Where people reach the service: every absolute link (notices, calendars, xAPI ids) starts
        # with it, whatever Host header a request carries.
        PUBLIC_BASE_URL = environ.get("PUBLIC_BASE_URL") or f"https://{CALENDAR_UID_HOST}"
        # Host headers accepted (comma-separated); others get 400. Unset: any.
        TRUSTED_HOSTS = listed("TRUSTED_HOSTS")
        # Staff must turn on two-factor sign-in before any staff page or staff API call.
        STAFF_REQUIRE_2FA = flag("STAFF_REQUIRE_2FA", False)
        PASSWORD_RESET_LIFETIME = timedelta(hours=1)
        EMAIL_CHANGE_LIFETIME = timedelta(hours=24)

        # A database that stops answering costs a request a few seconds and a 503, not a worker.
        DATABASE_CONNECT_TIMEOUT = int(environ.get("DATABASE_CONNECT_TIMEOUT", 5))
        DATABASE_STATEMENT_TIMEOUT = int(environ.get("DATABASE_STATEMENT_TIMEOUT", 15))

        API_TOKEN_LIFETIME = timedelta(days=int(environ.get("API_TOKEN_DAYS", 30)))

        # Argon2id, the OWASP-recommended memory-hard settings (19 MiB, 2 passes).
        ARGON2_TIME_COST = 2
        ARGON2_MEMORY_COST = 19 * 1024
        ARGON2_PARALLELISM = 1

        SESSION_COOKIE_HTTPONLY = True
        SESSION_COOKIE_SAMESITE = "Lax"
        REMEMBER_COOKIE_HTTPONLY = True
        REMEMBER_COOKIE_SAMESITE = "Lax"
        PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

        WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

        API_TITLE = "CPD and learning platform API"
        API_VERSION = "v1"
        OPENAPI_VERSION = "3.0.3"
        OPENAPI_URL_PREFIX = "/api/v1"
        OPENAPI_JSON_PATH = "openapi.json"
        API_SPEC_OPTIONS = {
            "info": {
                "description": "Members, bookings, CPD records and the strategy's measures. "
                "Authenticate with `Authorization: Bearer TOKEN` from POST /api/v1/auth/token.",
            },
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"},
                                    "basicAuth": {"type": "http", "scheme": "basic"}},
            },
        }


    class DevelopmentConfig(Config):
        ENV_NAME = "development"
        DEBUG = True
        SECRET_KEY = Config.SECRET_KEY or "development-only-not-secret"
        PUBLIC_BASE_URL = environ.get("PUBLIC_BASE_URL") or f"http://127.0.0.1:{environ.get('PORT', 5000)}"


    class TestingConfig(Config):
        ENV_NAME = "testing"
        TESTING = True
        SECRET_KEY = Config.SECRET_KEY or "testing-only-not-secret"
        # Cheap hashing keeps the suite quick; the scheme is the same.
        ARGON2_TIME_COST = 1
        ARGON2_MEMORY_COST = 1024
        # One process: a subscription made is known at once, and no statement counted in a test is
        # the periodic read of who listens.
        WEBHOOK_SUBSCRIPTIONS_TTL = float("inf")


    class ProductionConfig(Config):
        ENV_NAME = "production"
        # Cookies only over HTTPS; SESSION_COOKIE_SECURE=0 for a trial of production over plain HTTP.
        SESSION_COOKIE_SECURE = flag("SESSION_COOKIE_SECURE", True)
        REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
        PREFERRED_URL_SCHEME = "https"
        STAFF_REQUIRE_2FA = flag("STAFF_REQUIRE_2FA", True)
        MIN_SECRET_KEY_BYTES = 32

    return {"development": DevelopmentConfig, "testing": TestingConfig, "production": ProductionConfig}


def config_for(env_name=None, environ=None):
    """The settings class for `env_name` (default: CPD_ENV), read from `environ` (default: os.environ) now."""
    environ = os.environ if environ is None else environ
    name = (env_name or environ.get("CPD_ENV") or "development").strip().lower()
    if name not in ENVIRONMENTS:
        raise RuntimeError(f"CPD_ENV must be one of {', '.join(ENVIRONMENTS)}, not {name!r}.")
    return _kinds(environ)[name]
