import marshmallow as ma

from cpd.core.pagination import list_schema
from cpd.credentials.badges import credential_url, verify_url


class CredentialSchema(ma.Schema):
    id = ma.fields.String()
    kind = ma.fields.String(metadata={"enum": ["attendance", "registration"]})
    name = ma.fields.String()
    started_on = ma.fields.Date(metadata={"description": "the event's first day, or the day a registration was awarded"})
    ended_on = ma.fields.Date()
    period = ma.fields.Integer(metadata={"description": "a registration credential's registration year (0: none)"})
    issued_on = ma.fields.Function(lambda c: c.issued_at.date().isoformat())
    revoked = ma.fields.Function(lambda c: c.revoked_at is not None)
    cpd_hours = ma.fields.Float(allow_none=True)
    verify_url = ma.fields.Method("_verify_url")
    jwt_url = ma.fields.Method("_jwt_url")

    def _verify_url(self, credential):
        return verify_url(credential)

    def _jwt_url(self, credential):
        return credential_url(credential)


CredentialListSchema = list_schema(CredentialSchema, "CredentialList")


class VerificationSchema(ma.Schema):
    id = ma.fields.String()
    valid = ma.fields.Boolean()
    revoked = ma.fields.Boolean()
    reason = ma.fields.String(allow_none=True)
    kind = ma.fields.String()
    name = ma.fields.String()
    issued_on = ma.fields.Date()
    valid_until = ma.fields.Date(allow_none=True)
    holder = ma.fields.String(allow_none=True, metadata={"description": "whose, where the holder lets it show"})
    revoked_on = ma.fields.Date(allow_none=True)
    issuer = ma.fields.String()
    issuer_url = ma.fields.String()
    cpd_hours = ma.fields.Float(allow_none=True)


class CredentialTokenSchema(ma.Schema):
    jwt = ma.fields.String(required=True, validate=ma.validate.Length(max=20_000))


class CredentialTokenVerificationSchema(VerificationSchema):
    signature_valid = ma.fields.Boolean()
    problem = ma.fields.String(allow_none=True)
