"""The migrations build the whole schema the models describe, and take it all away again."""
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from cpd import create_app
from cpd.extensions import db
from tests.conftest import _drop_postgres_schema, _postgres_schema_url


def test_upgrade_matches_the_models_and_downgrade_removes_every_table(database_url, tmp_path):
    if database_url.startswith("postgresql"):
        url, schema, plain = _postgres_schema_url(database_url.split("?")[0])
    else:
        url, schema, plain = f"sqlite:///{tmp_path / 'migrations.sqlite3'}", None, None
    app = create_app({"CPD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    try:
        with app.app_context():
            upgrade()
            with db.engine.connect() as connection:
                differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
                tables = set(sa.inspect(connection).get_table_names())
            assert differences == []
            assert {table.name for table in db.metadata.sorted_tables} <= tables

            downgrade(revision="base")
            with db.engine.connect() as connection:
                left = set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
            assert left == set()
            db.engine.dispose()
    finally:
        if schema:
            _drop_postgres_schema(plain, schema)


def test_every_name_fits_postgresql(app):
    """PostgreSQL refuses identifiers longer than 63 bytes, which SQLite takes: caught here on either."""
    from cpd.extensions import db

    too_long = []
    for table in db.metadata.tables.values():
        names = [table.name, *(c.name for c in table.columns), *(i.name for i in table.indexes),
                 *(str(c.name) for c in table.constraints if c.name)]
        too_long += [name for name in names if len(name.encode()) > 63]
    assert too_long == []
