"""Backups: `flask backup create PATH` and `flask backup restore PATH`.

SQLite: a consistent online copy through SQLite's own backup API (safe while the app serves).
PostgreSQL: the documented pg_dump / pg_restore way (custom format; restore cleans first).
"""
import os
import sqlite3
import subprocess
from urllib.parse import urlencode

import click
from flask.cli import AppGroup

from cpd.extensions import db

backup_cli = AppGroup("backup", help="Back up and restore the database.")


def _libpq_url(url):
    """The SQLAlchemy URL as a libpq connection URI, and the schema it is confined to (if any)."""
    plain = url.set(drivername="postgresql")
    options = plain.query.get("options", "")
    schema = None
    for part in (options if isinstance(options, str) else " ".join(options)).split():
        if part.startswith("-csearch_path="):
            schema = part.split("=", 1)[1]
    query = {k: v for k, v in plain.query.items()}
    plain = plain.set(query={})
    uri = plain.render_as_string(hide_password=False)
    if query:
        uri += "?" + urlencode(query, doseq=True)
    return uri, schema


def sqlite_path(url):
    return url.database


def create_backup(path):
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(sqlite_path(url))
        target = sqlite3.connect(path)
        with target:
            source.backup(target)
        target.close()
        source.close()
        return
    uri, schema = _libpq_url(url)
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={path}", f"--dbname={uri}"]
    if schema:
        command.append(f"--schema={schema}")
    subprocess.run(command, check=True, capture_output=True, text=True)


def restore_backup(path):
    if not os.path.exists(path):
        raise click.ClickException(f"No backup at {path}.")
    url = db.engine.url
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(path)
        target = sqlite3.connect(sqlite_path(url))
        with target:
            source.backup(target)
        target.close()
        source.close()
        return
    uri, schema = _libpq_url(url)
    command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", f"--dbname={uri}", path]
    subprocess.run(command, check=True, capture_output=True, text=True)


@backup_cli.command("create")
@click.argument("path", type=click.Path(dir_okay=False))
def create_command(path):
    """Write a consistent backup of the database to PATH."""
    try:
        create_backup(path)
    except (subprocess.CalledProcessError, sqlite3.Error, OSError) as error:
        raise click.ClickException(f"Backup failed: {getattr(error, 'stderr', None) or error}") from None
    click.echo(f"Backup written to {path} ({os.path.getsize(path):,} bytes).")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask: the database is replaced by the backup.")
def restore_command(path, yes):
    """Replace the database's contents with the backup at PATH."""
    if not yes:
        click.confirm("This replaces everything in the database with the backup. Go on?", abort=True)
    try:
        restore_backup(path)
    except (subprocess.CalledProcessError, sqlite3.Error) as error:
        raise click.ClickException(f"Restore failed: {getattr(error, 'stderr', None) or error}") from None
    click.echo(f"Database restored from {path}.")


