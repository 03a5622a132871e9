import marshmallow as ma

from cpd.auth.passwords import MAX_LENGTH, MIN_LENGTH
from cpd.core.schemas import Text, one_of
from cpd.members.vocabulary import CAREER_STAGES, DISCIPLINES, SECTORS


class RegisterSchema(ma.Schema):
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))
    password = ma.fields.String(
        required=True, load_only=True, validate=ma.validate.Length(min=MIN_LENGTH, max=MAX_LENGTH)
    )
    full_name = Text(required=True, min_length=1, max_length=200)
    discipline = ma.fields.String(allow_none=True, validate=one_of(list(DISCIPLINES)))
    sector = ma.fields.String(allow_none=True, validate=one_of(list(SECTORS)))
    career_stage = ma.fields.String(allow_none=True, validate=one_of(list(CAREER_STAGES)))


class TokenRequestSchema(ma.Schema):
    email = Text(required=True, max_length=254)
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(max=1024))


class TokenSchema(ma.Schema):
    token = ma.fields.String(required=True)
    expires_at = ma.fields.AwareDateTime(required=True)
