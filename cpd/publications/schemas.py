import marshmallow as ma
from flask import url_for

from cpd.core.pagination import PageArgsSchema, list_schema
from cpd.core.schemas import Text, one_of
from cpd.publications.vocabulary import PUBLICATION_AUDIENCES, PUBLICATION_KINDS


class PublicationSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    title = Text(required=True, min_length=1, max_length=300)
    kind = ma.fields.String(required=True, validate=one_of(list(PUBLICATION_KINDS)))
    published_on = ma.fields.Date(required=True)
    url = Text(load_default="", max_length=500)
    cpd_hours = ma.fields.Float(allow_none=True, load_default=None, allow_nan=False)
    audience = ma.fields.String(load_default="professionals", validate=one_of(list(PUBLICATION_AUDIENCES)),
                                metadata={"description": "schools: an education resource"})
    download_url = ma.fields.Method("_download_url", dump_only=True, metadata={
        "description": "opens the publication, counting the download (null without a web address)"})

    def _download_url(self, publication):
        return url_for("publications.download", publication_id=publication.id, _external=True) if publication.url else None


PublicationListSchema = list_schema(PublicationSchema, "PublicationList")


class PublicationArgsSchema(PageArgsSchema):
    kind = ma.fields.String(validate=one_of(list(PUBLICATION_KINDS)))
