"""Two-factor sign-in with time-based one-time codes (TOTP, RFC 6238: 6 digits, 30 s steps, SHA-1,
as every authenticator app reads them), and ten single-use recovery codes for a lost device.

Enrolment stores a new secret, unconfirmed; it takes effect only when the member proves their app
holds it by sending a current code. A code is accepted once (the step it belongs to is recorded).
"""
import io
import secrets

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm.attributes import set_committed_value

from cpd.auth.models import RecoveryCode
from cpd.core import audit
from cpd.core.errors import Conflict, Forbidden, Invalid
from cpd.core.models import utcnow
from cpd.core.tokens import digest
from cpd.extensions import db
from cpd.members.models import Member

ISSUER = "Learning and CPD"
RECOVERY_CODES = 10
# One step either side: a phone's clock a little off, or a code typed as it turned over.
VALID_WINDOW = 1


def is_required_for(member):
    """Staff need our two-factor sign-in, unless they sign in only through the body's identity
    provider (STAFF_SSO_ONLY): then the second factor is the provider's."""
    return bool(member.is_staff and current_app.config.get("STAFF_REQUIRE_2FA")
                and not current_app.config.get("STAFF_SSO_ONLY"))


def needs_enrolment(member):
    return is_required_for(member) and not member.has_two_factor


def enrolment_gate(member, enrolling):
    """The web layer's gate: staff who must turn on two-factor sign-in can do nothing else first."""
    if not enrolling and needs_enrolment(member):
        return ("Turn on two-factor sign-in first: POST /api/v1/me/two-factor, then confirm a code "
                "at POST /api/v1/me/two-factor/confirm.")
    return None


def begin_enrolment(member):
    """A fresh secret for the member's authenticator app; returns what the app needs."""
    if member.has_two_factor:
        raise Conflict("Two-factor sign-in is already on.")
    member.totp_secret = pyotp.random_base32()
    db.session.flush()
    return enrolment_details(member)


def enrolment_details(member):
    uri = pyotp.TOTP(member.totp_secret).provisioning_uri(name=member.email, issuer_name=ISSUER)
    return {"secret": member.totp_secret, "otpauth_uri": uri, "qr_svg": _qr_svg(uri)}


def _qr_svg(uri):
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True,
                                     title="QR code for your authenticator app")
    return buffer.getvalue().decode("utf-8")


def confirm_enrolment(member, code):
    """Turn two-factor sign-in on with a current code; returns the recovery codes (shown once)."""
    if member.has_two_factor:
        raise Conflict("Two-factor sign-in is already on.")
    if not member.totp_secret:
        raise Invalid.on_field("code", "Start the set-up first: no authenticator secret has been made.")
    if not _accept_totp(member, code):
        raise Invalid.on_field("code", "That code is not right: type the 6 digits your app shows now.")
    member.totp_confirmed_at = utcnow()
    codes = _new_recovery_codes(member)
    audit.record(member, "two_factor_on", "member", member.id)
    db.session.flush()
    return codes


def turn_off_with_code(member, code):
    """Turn two-factor sign-in off, proven by a current code; staff who must keep it cannot."""
    if is_required_for(member):
        raise Forbidden("Staff must keep two-factor sign-in on.")
    if not member.has_two_factor:
        return
    if not accept_code(member, code):
        raise Invalid.on_field("code", "That code is not right.")
    turn_off(member)


def turn_off(member):
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.member_id == member.id))
    member.totp_secret = member.totp_confirmed_at = member.totp_last_step = None
    audit.record(member, "two_factor_off", "member", member.id)
    db.session.flush()


def accept_code(member, code):
    """True for a current TOTP code not used before, or an unused recovery code (used up by this)."""
    code = "".join(str(code or "").split())
    if not code:
        return False
    if code.isdigit() and len(code) == 6:
        return _accept_totp(member, code)
    return _use_recovery_code(member, code)


def _accept_totp(member, code):
    code = "".join(str(code or "").split())
    if not (code.isdigit() and len(code) == 6) or not member.totp_secret:
        return False
    totp = pyotp.TOTP(member.totp_secret)
    current_step = totp.timecode(utcnow())
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = current_step + offset
        if step <= (member.totp_last_step or -1):
            continue  # a code already used (or an older one) never signs in again
        if secrets.compare_digest(totp.generate_otp(step), code):
            return _claim_step(member, step)
    return False


def _claim_step(member, step):
    """Record `step` as the account's last accepted one, if no other request got there first: a
    conditional UPDATE, so of many sign-ins racing with one code exactly one wins (RFC 6238, 5.2:
    "the verifier MUST NOT accept the second attempt of the OTP after the successful validation")."""
    claimed = db.session.execute(
        sa.update(Member).where(Member.id == member.id,
                                sa.or_(Member.totp_last_step.is_(None), Member.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        return False
    set_committed_value(member, "totp_last_step", step)
    return True


def _digest(code):
    """A recovery code as typed, in any case, with or without its dash."""
    return digest(code.strip().lower().replace("-", ""))


def _new_recovery_codes(member):
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.member_id == member.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(member_id=member.id, code_hash=_digest(raw)))
    db.session.flush()
    return codes


def _use_recovery_code(member, code):
    recovery = db.session.scalar(sa.select(RecoveryCode).where(
        RecoveryCode.member_id == member.id, RecoveryCode.code_hash == _digest(code),
        RecoveryCode.used_at.is_(None)))
    if recovery is None:
        return False
    recovery.used_at = utcnow()
    audit.record(member, "recovery_code_used", "member", member.id)
    db.session.flush()
    return True


def recovery_codes_left(member):
    return db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode).where(
        RecoveryCode.member_id == member.id, RecoveryCode.used_at.is_(None)))
