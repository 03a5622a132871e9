"""Small query helpers every domain's searches share, and SQL functions spelled per database."""
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from cpd.extensions import db


def contains_pattern(text):
    """A LIKE pattern matching `text` anywhere, with the user's own % and _ taken literally.

    Use with `.like(pattern, escape="\\\\")`.
    """
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def holds_text(column, text):
    """SQL: `column` holds `text` anywhere, whatever the case (the user's % and _ taken literally)."""
    return sa.func.lower(column).like(contains_pattern(text), escape="\\")


class year_month(FunctionElement):
    """A date's year and month as 'YYYY-MM' text, in SQL (for monthly GROUP BYs)."""

    type = sa.String()
    inherit_cache = True


@compiles(year_month, "sqlite")
def _year_month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(list(element.clauses)[0], **kw)})"


@compiles(year_month)
def _year_month_default(element, compiler, **kw):
    return f"to_char({compiler.process(list(element.clauses)[0], **kw)}, 'YYYY-MM')"


class days_between(FunctionElement):
    """Whole days from the first date to the second (second minus first), in SQL."""

    type = sa.Integer()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    first, second = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(julianday({second}) - julianday({first}) AS INTEGER)"


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    first, second = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({second} - {first})"


def _dialect_insert(table):
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def insert_ignoring_twin(table, row):
    """INSERT `row`, doing nothing when a row with its key is there already (another process won)."""
    return _dialect_insert(table).values(**row).on_conflict_do_nothing()


def insert_or_add(table, row, keys, counter):
    """INSERT `row`, or add its `counter` to the row already under the same `keys`: one statement,
    safe when two processes count the same key at once."""
    insert = _dialect_insert(table).values(**row)
    column = table.c[counter]
    return insert.on_conflict_do_update(index_elements=list(keys), set_={counter: column + insert.excluded[counter]})


def insert_or_replace(table, key, only_where=None):
    """INSERT rows (given at execution, many at once), replacing the row already under the same `key`
    (a column name) unless `only_where` (SQL on the row already there) does not hold: one statement."""
    insert = _dialect_insert(table)
    replaced = {column.name: insert.excluded[column.name] for column in table.c if column.name != key}
    return insert.on_conflict_do_update(index_elements=[key], set_=replaced, where=only_where)
