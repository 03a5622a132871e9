"""Accounts and API tokens. Functions flush, never commit; the caller commits once."""
import functools
import secrets

import marshmallow as ma
import sqlalchemy as sa
from flask import current_app

from cpd.auth import passwords, two_factor
from cpd.auth.models import AccountLink, ApiToken
from cpd.core import audit
from cpd.core.errors import Conflict, Invalid
from cpd.core.models import utcnow
from cpd.core.tokens import digest
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


def check_new_password(password, email=None, field="password"):
    """Raise Invalid, naming `field`, unless the password meets the policy (cpd.auth.passwords)."""
    problem = passwords.password_problem(password, email)
    if problem:
        raise Invalid.on_field(field, problem)


def find_by_email(email):
    return db.session.scalar(sa.select(Member).where(Member.email == email.strip().lower()))


def create_account(email, full_name, password, role="member", **profile):
    """A new account; 409 when the email (in any case) already has one."""
    email = normalise_email(email)
    check_new_password(password, email)
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


def authenticate(email, password, code=None):
    """The member with this email and password (and, with two-factor sign-in on, a current code),
    or None: the same answer and the same work whichever part was wrong."""
    member = find_by_email(email or "")
    if member is None or not member.is_active:
        passwords.verify_password(None, password or "")
        return None
    if not passwords.verify_password(member.password_hash, password or ""):
        return None
    if member.has_two_factor and not two_factor.accept_code(member, code):
        return None
    if passwords.needs_rehash(member.password_hash):
        member.password_hash = passwords.hash_password(password)
    return member


STAFF_USE_THE_PROVIDER = "Staff sign in through the body's identity provider: use \"Sign in with\" on the sign-in page."


def password_refusal(member):
    """Why this member may not sign in with a password, or None: with STAFF_SSO_ONLY, staff sign in
    only through the body's identity provider. Asked after the password proved right, so it tells
    nobody who does not know the password that the account is staff."""
    if member.is_staff and current_app.config.get("STAFF_SSO_ONLY"):
        return STAFF_USE_THE_PROVIDER
    return None


def check_current_password(member, password, field="current_password"):
    if not passwords.verify_password(member.password_hash, password or ""):
        raise Invalid.on_field(field, "This is not your current password.")


def set_password(member, new_password, keep_token=None, field="new_password"):
    """A new password: every page session and API token of the account ends, except
    `keep_token` (the API token making the change), so a thief holding an old one is shut out."""
    check_new_password(new_password, member.email, field=field)
    member.password_hash = passwords.hash_password(new_password)
    end_sessions(member, keep_token=keep_token)
    end_account_links(member)


def end_account_links(member, keep=None):
    """Every reset link and pending email change of the account dies: a thief who asked for one
    before the owner took the account back (a reset, a new password, a new address) is shut out.
    `keep` is the link being used, which its caller marks used itself."""
    statement = sa.update(AccountLink).where(AccountLink.member_id == member.id, AccountLink.used_at.is_(None))
    if keep is not None:
        statement = statement.where(AccountLink.id != keep.id)
    db.session.execute(statement.values(used_at=utcnow()), execution_options={"synchronize_session": False})
    db.session.flush()


def change_password(member, current_password, new_password, keep_token=None):
    check_current_password(member, current_password)
    set_password(member, new_password, keep_token=keep_token)
    audit.record(member, "password_changed", "member", member.id)


def end_sessions(member, keep_token=None):
    """Sign the account out everywhere: page sessions (by the session generation) and API tokens."""
    member.session_generation = (member.session_generation or 0) + 1
    statement = sa.update(ApiToken).where(ApiToken.member_id == member.id, ApiToken.revoked_at.is_(None))
    if keep_token is not None:
        statement = statement.where(ApiToken.token_hash != digest(keep_token))
    db.session.execute(statement.values(revoked_at=utcnow()))
    db.session.flush()


def turn_on_two_factor(member, code, keep_token=None):
    """Confirm two-factor sign-in with a current code; every session and API token made with the
    password alone ends, except `keep_token` (the API call confirming it). Returns the recovery
    codes. A page caller signs its own browser in again (Member.get_id carries the generation)."""
    codes = two_factor.confirm_enrolment(member, code)
    end_sessions(member, keep_token=keep_token)
    return codes


def end_page_sessions(member):
    """Signing out: every page session of the account ends (a copied cookie stops working too)."""
    member.session_generation = (member.session_generation or 0) + 1
    db.session.flush()



def issue_token(member):
    """A new API token for `member`: returns (the token to show once, its record)."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken(
        member_id=member.id,
        token_hash=digest(raw),
        expires_at=utcnow() + current_app.config["API_TOKEN_LIFETIME"],
    )
    db.session.add(token)
    db.session.flush()
    return raw, token


@functools.cache
def _member_for_token_statement():
    """Built once (every API call runs it): the member a usable token belongs to, the token's own
    row not loaded."""
    return sa.select(Member).join(ApiToken, ApiToken.member_id == Member.id).where(
        ApiToken.token_hash == sa.bindparam("token_hash"), ApiToken.revoked_at.is_(None),
        ApiToken.expires_at > sa.bindparam("now"))


def member_for_token(raw_token):
    member = db.session.scalar(_member_for_token_statement(), {"token_hash": digest(raw_token), "now": utcnow()})
    if member is None or not member.is_active:
        return None
    return member


def revoke_token(raw_token):
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == digest(raw_token)))
    if token is not None and token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()



def member_by_id(session_id):
    """Flask-Login's loader: the signed-in member, unless erased or signed out since
    (the session keeps "id.generation", see Member.get_id)."""
    member_id, _, generation = str(session_id).partition(".")
    try:
        member = db.session.get(Member, int(member_id))
        generation = int(generation)
    except (TypeError, ValueError):
        return None
    if member is None or not member.is_active or generation != (member.session_generation or 0):
        return None
    return member


def delete_all_tokens(member):
    db.session.execute(sa.delete(ApiToken).where(ApiToken.member_id == member.id))
