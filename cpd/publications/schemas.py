import marshmallow as ma

from cpd.core.pagination import PageArgsSchema, list_schema
from cpd.core.schemas import Text, one_of
from cpd.publications.vocabulary import PUBLICATION_KINDS


class PublicationSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    title = Text(required=True, min_length=1, max_length=300)
    kind = ma.fields.String(required=True, validate=one_of(list(PUBLICATION_KINDS)))
    published_on = ma.fields.Date(required=True)
    url = Text(load_default="", max_length=500)
    cpd_hours = ma.fields.Float(allow_none=True, load_default=None, allow_nan=False)


PublicationListSchema = list_schema(PublicationSchema, "PublicationList")


class PublicationArgsSchema(PageArgsSchema):
    kind = ma.fields.String(validate=one_of(list(PUBLICATION_KINDS)))
