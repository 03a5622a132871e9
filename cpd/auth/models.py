from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpd.core.models import UTCDateTime, utcnow
from cpd.extensions import db
from cpd.members.models import Member


class ApiToken(db.Model):
    """A bearer token for the API. Only its SHA-256 is kept; the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    member: Mapped[Member] = relationship()

    def is_usable(self, now):
        return self.revoked_at is None and self.expires_at > now


class AccountLink(db.Model):
    """A single-use link sent by email: a password reset, or the confirmation of a new address.
    Only the SHA-256 of its secret is kept, so a copy of the database opens no account."""

    __tablename__ = "account_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True
    )
    purpose: Mapped[str] = mapped_column(sa.String(16), nullable=False)  # password_reset | email_change
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    new_email: Mapped[str | None] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    member: Mapped[Member] = relationship()

    def is_usable(self, now):
        return self.used_at is None and self.expires_at > now


class RecoveryCode(db.Model):
    """One of the ten single-use codes that stand in for a lost authenticator (kept as SHA-256)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
