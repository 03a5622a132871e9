"""The contract's list shape: {"items": [...], "total": N, "page": P, "per_page": K}."""
import marshmallow as ma
import sqlalchemy as sa

from cpd.extensions import db
from cpd.core.limits import PAGE_NUMBER

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20


class PageArgsSchema(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=PAGE_NUMBER.low, max=PAGE_NUMBER.high))
    per_page = ma.fields.Integer(
        load_default=DEFAULT_PER_PAGE,
        validate=ma.validate.Range(min=1),
        metadata={"description": f"at most {MAX_PER_PAGE}; larger values are capped"},
    )

    @ma.post_load
    def cap_per_page(self, args, **kwargs):
        args["per_page"] = min(args["per_page"], MAX_PER_PAGE)
        return args


def list_schema(item_schema, name):
    """A response schema for a page of `item_schema` items."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "total": ma.fields.Integer(required=True),
            "page": ma.fields.Integer(required=True),
            "per_page": ma.fields.Integer(required=True),
        },
        name=name,
    )


def count_rows(statement):
    """How many rows a select() gives, counted by the database."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))


def paginate(statement, page, per_page, rows=False):
    """One COUNT and one page query for a select() of ORM entities (or, with rows, of rows)."""
    total = count_rows(statement)
    window = statement.limit(per_page).offset((page - 1) * per_page)
    items = db.session.execute(window).all() if rows else db.session.scalars(window).all()
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def page_args(args):
    """Split a loaded query dict into (filters, page, per_page)."""
    filters = dict(args)
    return filters, filters.pop("page", 1), filters.pop("per_page", DEFAULT_PER_PAGE)
