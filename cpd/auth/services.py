"""Accounts and API tokens. Functions flush, never commit; the caller commits once."""
import hashlib
import secrets

import marshmallow as ma
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from cpd.auth import passwords
from cpd.auth.models import ApiToken
from cpd.core.errors import Conflict, Invalid
from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members import services as member_services
from cpd.members.models import Member

_email_format = ma.validate.Email(error="Not a valid email address.")


def normalise_email(email):
    email = (email or "").strip().lower()
    try:
        _email_format(email)
    except ma.ValidationError:
        raise Invalid.on_field("email", "Not a valid email address.") from None
    if len(email) > 254:
        raise Invalid.on_field("email", "At most 254 characters.")
    return email


def check_new_password(password):
    if not isinstance(password, str) or len(password) < passwords.MIN_LENGTH:
        raise Invalid.on_field("password", f"Use at least {passwords.MIN_LENGTH} characters.")
    if len(password) > passwords.MAX_LENGTH:
        raise Invalid.on_field("password", f"Use at most {passwords.MAX_LENGTH} characters.")
    if "\x00" in password:
        raise Invalid.on_field("password", "Contains a character that cannot be used.")


def find_by_email(email):
    return db.session.scalar(sa.select(Member).where(Member.email == email.strip().lower()))


def create_account(email, full_name, password, role="member", **profile):
    """A new account; 409 when the email (in any case) already has one."""
    email = normalise_email(email)
    check_new_password(password)
    values = {"full_name": full_name, "role": role, **profile}
    values.setdefault("cpd_policy", current_app.config["DEFAULT_CPD_POLICY"])
    cleaned = {field: member_services.check_profile_value(field, v) for field, v in values.items()}
    if find_by_email(email) is not None:
        raise Conflict("An account with this email already exists.", {"email": ["Already registered."]})
    member = Member(email=email, password_hash=passwords.hash_password(password), **cleaned)
    try:
        with db.session.begin_nested():
            db.session.add(member)
    except sa.exc.IntegrityError:
        # Another request registered the same email between our check and our insert.
        raise Conflict("An account with this email already exists.", {"email": ["Already registered."]}) from None
    return member


def authenticate(email, password):
    """The member with this email and password, or None; the same work either way."""
    member = find_by_email(email or "")
    if member is None or not member.is_active:
        passwords.verify_password(None, password or "")
        return None
    if not passwords.verify_password(member.password_hash, password or ""):
        return None
    if passwords.needs_rehash(member.password_hash):
        member.password_hash = passwords.hash_password(password)
    return member


def _digest(raw_token):
    return hashlib.sha256(raw_token.encode("utf-8")).hexdigest()


def issue_token(member):
    """A new API token for `member`: returns (the token to show once, its record)."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken(
        member_id=member.id,
        token_hash=_digest(raw),
        expires_at=utcnow() + current_app.config["API_TOKEN_LIFETIME"],
    )
    db.session.add(token)
    db.session.flush()
    return raw, token


def member_for_token(raw_token):
    token = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == _digest(raw_token)).options(joinedload(ApiToken.member))
    )
    if token is None or not token.is_usable(utcnow()) or not token.member.is_active:
        return None
    return token.member


def revoke_token(raw_token):
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _digest(raw_token)))
    if token is not None and token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()



def member_by_id(member_id):
    """Flask-Login's loader: the signed-in member, unless erased."""
    try:
        member = db.session.get(Member, int(member_id))
    except (TypeError, ValueError):
        return None
    return member if member is not None and member.is_active else None


def delete_all_tokens(member):
    db.session.execute(sa.delete(ApiToken).where(ApiToken.member_id == member.id))
