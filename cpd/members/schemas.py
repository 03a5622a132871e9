"""The member resource in the API."""
import marshmallow as ma

from cpd.core.pagination import PageArgsSchema, list_schema
from cpd.core.schemas import Text, one_of
from cpd.members.vocabulary import (
    CAREER_STAGES,
    DISCIPLINES,
    EQUALITY_QUESTIONS,
    AREAS_OF_PRACTICE,
    GRADES,
    REGISTRATION_TITLES,
    ROLES,
    SECTORS,
)


class RegistrationSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    title = ma.fields.String(required=True, validate=one_of(list(REGISTRATION_TITLES)))
    awarded_on = ma.fields.Date(required=True)
    lapsed_on = ma.fields.Date(dump_only=True, allow_none=True)
    lapse_reason = ma.fields.String(dump_only=True)
    reinstatement_reason = ma.fields.String(dump_only=True)


class GradePeriodSchema(ma.Schema):
    grade = ma.fields.String()
    since = ma.fields.Date(allow_none=True)
    until = ma.fields.Date(allow_none=True)


class MemberSchema(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    full_name = ma.fields.String()
    role = ma.fields.String(metadata={"enum": list(ROLES)})
    grade = ma.fields.String(allow_none=True, metadata={"enum": list(GRADES)})
    is_ambassador = ma.fields.Boolean()
    discipline = ma.fields.String(allow_none=True)
    sector = ma.fields.String(allow_none=True)
    career_stage = ma.fields.String(allow_none=True)
    cpd_policy = ma.fields.String()
    areas_of_practice = ma.fields.List(ma.fields.String(), attribute="area_codes",
                                       metadata={"description": "codes: the areas of practice named"})
    name_on_credentials = ma.fields.Boolean(metadata={"description": "the name shows on credentials' verify pages"})
    registrations = ma.fields.List(ma.fields.Nested(RegistrationSchema))
    joined_on = ma.fields.Date(allow_none=True, metadata={"description": "joined the body"})
    left_on = ma.fields.Date(allow_none=True, metadata={"description": "left the body (lapsed or resigned)"})
    grade_since = ma.fields.Date(allow_none=True)
    grade_history = ma.fields.List(ma.fields.Nested(GradePeriodSchema), metadata={"description": "oldest first"})
    created_at = ma.fields.AwareDateTime()

MemberListSchema = list_schema(MemberSchema, "MemberList")


class ProfileUpdateSchema(ma.Schema):
    """Changes to a profile. grade, role and is_ambassador are staff's: a member sending them gets 403."""

    full_name = Text(min_length=1, max_length=200)
    discipline = ma.fields.String(allow_none=True, validate=one_of(list(DISCIPLINES)))
    sector = ma.fields.String(allow_none=True, validate=one_of(list(SECTORS)))
    career_stage = ma.fields.String(allow_none=True, validate=one_of(list(CAREER_STAGES)))
    cpd_policy = Text(max_length=64)
    name_on_credentials = ma.fields.Boolean(truthy={True}, falsy={False})
    areas_of_practice = ma.fields.List(Text(max_length=40), validate=ma.validate.Length(max=len(AREAS_OF_PRACTICE)),
                                       metadata={"description": f"any of: {', '.join(AREAS_OF_PRACTICE)} (a policy "
                                                                "may ask for hours in each)"})
    grade = ma.fields.String(allow_none=True, validate=one_of(list(GRADES)))
    role = ma.fields.String(validate=one_of(list(ROLES)))
    is_ambassador = ma.fields.Boolean(truthy={True}, falsy={False})
    grade_since = ma.fields.Date(metadata={"description": "with grade: the day it took effect (default today)"})
    joined_on = ma.fields.Date(allow_none=True)
    left_on = ma.fields.Date(allow_none=True)


class EqualitySchema(ma.Schema):
    """Voluntary; every answer may also be prefer_not_to_say. consent false deletes them."""

    consent = ma.fields.Boolean(required=True)
    gender = ma.fields.String(allow_none=True, load_default=None, metadata={"enum": list(EQUALITY_QUESTIONS["gender"])})
    age_band = ma.fields.String(allow_none=True, load_default=None,
                                metadata={"enum": list(EQUALITY_QUESTIONS["age_band"])})
    ethnicity = ma.fields.String(allow_none=True, load_default=None,
                                 metadata={"enum": list(EQUALITY_QUESTIONS["ethnicity"])})
    disability = ma.fields.String(allow_none=True, load_default=None,
                                  metadata={"enum": list(EQUALITY_QUESTIONS["disability"])})


class MemberSearchArgsSchema(PageArgsSchema):
    query = Text(data_key="q", max_length=100, metadata={"description": "part of the name or email"})
    role = ma.fields.String(validate=one_of(list(ROLES)))
    grade = ma.fields.String(validate=one_of([*GRADES, "none"]))
    discipline = ma.fields.String(validate=one_of(list(DISCIPLINES)))
