"""Links sent by email that act on an account: a password reset (valid one hour) and the
confirmation of a new email address. Each is single-use and kept only as a SHA-256."""
import secrets

import sqlalchemy as sa
from flask import current_app

from cpd.auth import services
from cpd.auth.models import AccountLink
from cpd.core import audit
from cpd.core.errors import Conflict, Gone, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.tokens import digest
from cpd.core.urls import public_url
from cpd.notices import queue_notice
from cpd.extensions import db

PASSWORD_RESET = "password_reset"
EMAIL_CHANGE = "email_change"



def _new_link(member, purpose, lifetime, **fields):
    raw = secrets.token_urlsafe(32)
    db.session.add(AccountLink(member_id=member.id, purpose=purpose, token_hash=digest(raw),
                               expires_at=utcnow() + lifetime, **fields))
    db.session.flush()
    return raw


def find_link(raw, purpose):
    """The usable link for `raw`: NotFound when there is none (an altered link), Gone when it
    was used or has expired."""
    link = db.session.scalar(sa.select(AccountLink).where(
        AccountLink.token_hash == digest(str(raw)), AccountLink.purpose == purpose))
    if link is None or not link.member.is_active:
        raise NotFound("This link is not valid: check that it was copied whole, or ask for a new one.")
    if not link.is_usable(utcnow()):
        raise Gone("This link has expired or has already been used: ask for a new one.")
    return link


def request_password_reset(email):
    """Send a reset link if an account has this email. The caller answers the same either way, and
    the work is the same too (a token made and hashed, a row written, a commit), so the time taken
    says nothing about whether the address has an account (OWASP's Forgot Password cheat sheet:
    "ensure that responses return in a consistent amount of time")."""
    raw = secrets.token_urlsafe(32)
    token_hash = digest(raw)
    try:
        email = services.normalise_email(email)
    except Invalid:  # an address that cannot exist has no account: the same answer
        email = None
    member = services.find_by_email(email) if email else None
    if member is None or not member.is_active:
        audit.record(None, "password_reset_requested")  # no account: who was asked about is not kept
        db.session.flush()
        return None
    lifetime = current_app.config["PASSWORD_RESET_LIFETIME"]
    db.session.add(AccountLink(member_id=member.id, purpose=PASSWORD_RESET, token_hash=token_hash,
                               expires_at=utcnow() + lifetime))
    minutes = int(lifetime.total_seconds() // 60)
    queue_notice(member, "password_reset", "Reset your password",
                  "Someone (we hope you) asked to reset the password of your account. To choose a new "
                  f"password, open this link within {minutes} minutes:\n\n"
                  f"{public_url('auth.reset_password', token=raw)}\n\n"
                  "It works once. If you did not ask, ignore this message: your password stays as it is.")
    audit.record(None, "password_reset_requested", "member", member.id)
    db.session.flush()
    return raw


def reset_password(raw, new_password):
    link = find_link(raw, PASSWORD_RESET)
    member = link.member
    services.set_password(member, new_password, field="password")  # every other link of the account ends
    link.used_at = utcnow()
    audit.record(member, "password_reset", "member", member.id)
    db.session.flush()
    return member


def request_email_change(member, new_email, password):
    services.check_current_password(member, password, field="password")
    new_email = services.normalise_email(new_email)
    if new_email == member.email:
        raise Conflict("That is already your email address.", {"email": ["Already your address."]})
    if services.find_by_email(new_email) is not None:
        raise Conflict("Another account uses this email address.", {"email": ["Already registered."]})
    # Only the latest request counts: an earlier link to another address stops working.
    db.session.execute(sa.update(AccountLink).where(
        AccountLink.member_id == member.id, AccountLink.purpose == EMAIL_CHANGE,
        AccountLink.used_at.is_(None)).values(used_at=utcnow()), execution_options={"synchronize_session": False})
    raw = _new_link(member, EMAIL_CHANGE, current_app.config["EMAIL_CHANGE_LIFETIME"], new_email=new_email)
    queue_notice(member, "email_change_confirm", "Confirm your new email address",
                  f"To make {new_email} the address of your account, open this link:\n\n"
                  f"{public_url('auth.confirm_email', token=raw)}\n\n"
                  "If you did not ask for this, ignore this message.", to_address=new_email)
    queue_notice(member, "email_change_requested", "Your email address is being changed",
                  f"Someone signed in to your account asked to change its email address to {new_email}. "
                  "It changes only when the link sent there is followed. If this was not you, change your "
                  "password now and sign out everywhere from your profile page.",
                  links=[("Your profile", public_url("members.profile"))])
    audit.record(member, "email_change_requested", "member", member.id)
    db.session.flush()
    return raw


def confirm_email_change(raw):
    link = find_link(raw, EMAIL_CHANGE)
    member = link.member
    if services.find_by_email(link.new_email) is not None:
        raise Conflict("Another account now uses this email address.")
    old_email = member.email
    member.email = link.new_email
    link.used_at = utcnow()
    # A reset link sent to the old address must not open the account at its new one.
    services.end_account_links(member, keep=link)
    audit.record(member, "email_changed", "member", member.id)
    queue_notice(member, "email_changed", "Your email address was changed",
                  f"The email address of your account is now {member.email}. If this was not you, "
                  "reset your password and tell us.", to_address=old_email,
                  links=[("Reset your password", public_url("auth.forgot_password"))])
    db.session.flush()
    return member
