import marshmallow as ma
from flask_smorest.fields import Upload

from cpd.core.pagination import PageArgsSchema, list_schema
from cpd.organisations.services import BILLING_FIELDS, KINDS


class OrganisationBillingSchema(ma.Schema):
    class Meta:
        fields = BILLING_FIELDS

    name = ma.fields.String(validate=ma.validate.Length(max=500))
    address = ma.fields.String(validate=ma.validate.Length(max=500))
    vat_number = ma.fields.String(validate=ma.validate.Length(max=500))
    email = ma.fields.String(validate=ma.validate.Length(max=500))


class OrganisationRequestSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS))
    billing = ma.fields.Nested(OrganisationBillingSchema, load_default=dict)


class OrganisationSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    kind = ma.fields.String(metadata={"enum": list(KINDS)})
    billing = ma.fields.Nested(OrganisationBillingSchema)
    created_on = ma.fields.Date()


OrganisationListSchema = list_schema(OrganisationSchema, "OrganisationList")


class AffiliationSchema(ma.Schema):
    organisation_id = ma.fields.Integer()
    member_id = ma.fields.Integer()
    is_admin = ma.fields.Boolean()
    since = ma.fields.Date()


class InvitationSchema(ma.Schema):
    url = ma.fields.String(metadata={"description": "the link the organisation's people join by (the one before "
                                                    "stops working)"})


class MyOrganisationSchema(ma.Schema):
    organisation_id = ma.fields.Integer()
    name = ma.fields.String()
    kind = ma.fields.String()
    is_admin = ma.fields.Boolean()
    since = ma.fields.Date()
    sharing = ma.fields.Boolean(metadata={"description": "the member shares their CPD standing with it"})


class InvitingOrganisationSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    kind = ma.fields.String()


class MyOrganisationListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MyOrganisationSchema))
    invitations = ma.fields.List(ma.fields.Nested(InvitingOrganisationSchema), metadata={
        "description": "organisations whose admin added me, waiting for me to confirm"})


class SharingRequestSchema(ma.Schema):
    organisation_id = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=2**31 - 1))
    share = ma.fields.Boolean(required=True)


class SharingSchema(ma.Schema):
    organisation_id = ma.fields.Integer()
    share = ma.fields.Boolean()


class StandingSchema(ma.Schema):
    policy = ma.fields.String()
    compliant = ma.fields.Boolean(allow_none=True)
    on_track = ma.fields.Boolean()
    period_start = ma.fields.Date()
    period_end = ma.fields.Date()
    total = ma.fields.Float()
    required = ma.fields.Float(allow_none=True)
    shortfalls = ma.fields.List(ma.fields.String())
    by_activity_type = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float())
    met_through_scheme = ma.fields.Dict(allow_none=True)


class PersonSchema(ma.Schema):
    member_id = ma.fields.Integer()
    full_name = ma.fields.String()
    is_admin = ma.fields.Boolean()
    since = ma.fields.Date()
    sharing = ma.fields.Boolean()
    standing = ma.fields.Nested(StandingSchema, allow_none=True, metadata={
        "description": "only for a person who shares their standing, and only while they do"})


PeopleListSchema = list_schema(PersonSchema, "OrganisationPeopleList")


class ApprovalRequestSchema(ma.Schema):
    policy = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    valid_from = ma.fields.Date(required=True, data_key="from")
    valid_until = ma.fields.Date(required=True, data_key="until")
    document_name = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))


class ApprovalSchema(ma.Schema):
    id = ma.fields.Integer()
    organisation_id = ma.fields.Integer()
    policy = ma.fields.String()
    valid_from = ma.fields.Date(data_key="from")
    valid_until = ma.fields.Date(data_key="until")
    document_name = ma.fields.String()


class ApprovalListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ApprovalSchema))


class OrganisationArgsSchema(PageArgsSchema):
    q = ma.fields.String(load_default="", validate=ma.validate.Length(max=100))


class SponsoredBookingSchema(ma.Schema):
    event_id = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=2**31 - 1))
    member_ids = ma.fields.List(ma.fields.Integer(validate=ma.validate.Range(min=1, max=2**31 - 1)), required=True,
                                validate=ma.validate.Length(min=1, max=200))
    price_id = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=2**31 - 1))
    purchase_order = ma.fields.String(load_default="", validate=ma.validate.Length(max=64))


class SelfAssessmentUploadSchema(ma.Schema):
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1950, max=9000))


class SelfAssessmentFileSchema(ma.Schema):
    file = Upload(required=True, metadata={"description": "the self-assessment, a PDF"})


class SelfAssessmentSchema(ma.Schema):
    id = ma.fields.Integer()
    approval_id = ma.fields.Integer()
    year = ma.fields.Integer()
    filename = ma.fields.String()
    status = ma.fields.String(metadata={"enum": ["submitted", "accepted", "returned"]})
    submitted_at = ma.fields.AwareDateTime()
    reviewed_at = ma.fields.AwareDateTime(allow_none=True)
    comment = ma.fields.String()


class SelfAssessmentListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SelfAssessmentSchema))


class ReviewRequestSchema(ma.Schema):
    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf(["accepted", "returned"]))
    comment = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))


class PersonRequestSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(min=3, max=254))


class PersonInvitedSchema(ma.Schema):
    member_id = ma.fields.Integer()
    full_name = ma.fields.String()
    status = ma.fields.String(metadata={"enum": ["invited"]})
