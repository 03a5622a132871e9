import marshmallow as ma

from cpd.auth.passwords import MIN_LENGTH
from cpd.core.schemas import Text, one_of
from cpd.members.vocabulary import CAREER_STAGES, DISCIPLINES, SECTORS
from cpd.core.limits import EMAIL, PASSWORD_INPUT


class RegisterSchema(ma.Schema):
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=EMAIL.high))
    password = ma.fields.String(
        required=True, load_only=True, validate=ma.validate.Length(max=PASSWORD_INPUT.high),
        metadata={"description": f"at least {MIN_LENGTH} characters, not a commonly used password"},
    )
    full_name = Text(required=True, min_length=1, max_length=200)
    discipline = ma.fields.String(allow_none=True, validate=one_of(list(DISCIPLINES)))
    sector = ma.fields.String(allow_none=True, validate=one_of(list(SECTORS)))
    career_stage = ma.fields.String(allow_none=True, validate=one_of(list(CAREER_STAGES)))
    cpd_policy = Text(max_length=64, metadata={"description": "code from GET /cpd-policies (default: the body's)"})


class TokenRequestSchema(ma.Schema):
    email = Text(required=True, max_length=254)
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(max=PASSWORD_INPUT.high))
    code = Text(load_only=True, max_length=32, metadata={
        "description": "with two-factor sign-in on: the authenticator's current code, or a recovery code"})


class TokenSchema(ma.Schema):
    token = ma.fields.String(required=True)
    expires_at = ma.fields.AwareDateTime(required=True)


class PasswordResetRequestSchema(ma.Schema):
    email = Text(required=True, max_length=254)


class NewPasswordSchema(ma.Schema):
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(max=PASSWORD_INPUT.high))


class PasswordChangeSchema(ma.Schema):
    current_password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(max=PASSWORD_INPUT.high))
    new_password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(max=PASSWORD_INPUT.high))


class EmailChangeSchema(ma.Schema):
    email = Text(required=True, max_length=254)
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(max=PASSWORD_INPUT.high))


class AcceptedSchema(ma.Schema):
    message = ma.fields.String(required=True)


class TwoFactorStatusSchema(ma.Schema):
    enabled = ma.fields.Boolean(required=True)
    required = ma.fields.Boolean(required=True)
    recovery_codes_left = ma.fields.Integer(required=True)


class TwoFactorEnrolmentSchema(ma.Schema):
    secret = ma.fields.String(required=True, metadata={"description": "base32, for typing into the app"})
    otpauth_uri = ma.fields.String(required=True, metadata={"description": "what the QR code holds"})


class TwoFactorCodeSchema(ma.Schema):
    code = Text(required=True, max_length=32)


class RecoveryCodesSchema(ma.Schema):
    recovery_codes = ma.fields.List(ma.fields.String(), required=True,
                                    metadata={"description": "ten single-use codes, shown this once"})
