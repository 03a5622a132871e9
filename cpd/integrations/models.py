from datetime import date, datetime
from decimal import Decimal

import hmac

import sqlalchemy as sa
from authlib.integrations.sqla_oauth2 import OAuth2AuthorizationCodeMixin, OAuth2ClientMixin, OAuth2TokenMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpd.core.models import UTCDateTime, utcnow
from cpd.core.tokens import digest
from cpd.extensions import db


class WebhookSubscription(db.Model):
    """A URL staff subscribed to some of the platform's events. Its signing secret (Standard
    Webhooks, `whsec_...`) is shown once when made and kept to sign each delivery."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    events: Mapped[list] = mapped_column(sa.JSON, nullable=False)
    secret: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class WebhookDelivery(db.Model):
    """One event for one subscription, written in the transaction that made the event (the outbox),
    sent by the worker or `flask webhooks send`, retried with back-off for a day, and logged."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (sa.Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(sa.ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"),
                                                 nullable=False, index=True)
    message_id: Mapped[str] = mapped_column(sa.String(40), nullable=False, unique=True)
    event_type: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    payload: Mapped[dict] = mapped_column(sa.JSON, nullable=False)
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False, default="pending")  # pending|delivered|failed
    attempts: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_status_code: Mapped[int | None] = mapped_column(sa.Integer)
    last_duration_ms: Mapped[int | None] = mapped_column(sa.Integer)
    last_error: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    subscription: Mapped[WebhookSubscription] = relationship()


class XapiClient(db.Model):
    """A learning system staff registered to send xAPI statements (HTTP Basic: its key and a secret
    shown once and kept only as a digest)."""

    __tablename__ = "xapi_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False, unique=True)
    key: Mapped[str] = mapped_column(sa.String(40), nullable=False, unique=True)
    secret_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class XapiStatement(db.Model):
    """An xAPI statement taken (pushed by a client or pulled from a learning record store), once per
    statement id: what of it we read, whom it was matched to, and the statement as sent."""

    __tablename__ = "xapi_statements"
    __table_args__ = (sa.Index("ix_xapi_statements_unmatched", "member_id", "verb"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[str] = mapped_column(sa.String(36), nullable=False, unique=True)
    system: Mapped[str] = mapped_column(sa.String(120), nullable=False)  # the client's name, or the LRS's host
    verb: Mapped[str] = mapped_column(sa.String(16), nullable=False)  # completed | passed | voided
    actor_email: Mapped[str] = mapped_column(sa.String(320), nullable=False, default="")
    actor_account: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    activity_id: Mapped[str] = mapped_column(sa.String(500), nullable=False)  # a voiding one: the voided id
    activity_name: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(7, 2))
    happened_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"), index=True)
    voided: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    statement: Mapped[dict] = mapped_column(sa.JSON, nullable=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class LrsPullCursor(db.Model):
    """Where `flask xapi pull` stopped reading a learning record store: the `stored` time of the last
    statement it took (xAPI's `since` is exclusive)."""

    __tablename__ = "lrs_pull_cursors"

    lrs_url: Mapped[str] = mapped_column(sa.String(500), primary_key=True)
    since: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    pulled_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


# --- single sign-on: this platform as an OpenID Connect provider (Authlib's mixins) ----------------

class OidcClient(db.Model, OAuth2ClientMixin):
    """A system of the body's that signs people in through us, registered by staff. Its secret is
    shown once and kept as a digest (`client_secret`); its redirect URIs are matched exactly."""

    __tablename__ = "oidc_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    def check_client_secret(self, client_secret):
        return hmac.compare_digest(self.client_secret or "", digest(client_secret))

    def check_endpoint_auth_method(self, method, endpoint):
        # A confidential client authenticates at the token endpoint with its secret (Basic or in the form).
        return endpoint != "token" or method in ("client_secret_basic", "client_secret_post")


class OidcAuthorizationCode(db.Model, OAuth2AuthorizationCodeMixin):
    """A code given to a client's redirect URI: kept as a digest, used once, for five minutes."""

    __tablename__ = "oidc_authorization_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False)


class OidcToken(db.Model, OAuth2TokenMixin):
    """An access token (an hour) and its refresh token (rotated on each use), both kept as digests."""

    __tablename__ = "oidc_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False,
                                           index=True)


class OidcConsent(db.Model):
    """A member let a client have these scopes: asked on first use, not again for the same or fewer."""

    __tablename__ = "oidc_consents"

    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    client_id: Mapped[str] = mapped_column(sa.String(48), primary_key=True)
    scope: Mapped[str] = mapped_column(sa.Text, nullable=False)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
