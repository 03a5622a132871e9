"""Files that belong to database rows: written before the commit, removed only once it holds.

A file saved during a request that then rolls back is removed again; a file whose row is
deleted goes only after the deletion commits. So a failure never leaves a row without its
file, and seldom a file without its row.
"""
import os
import secrets

import sqlalchemy as sa
from flask import current_app, send_file
from sqlalchemy.orm import Session

_SAVED = "files_saved"
_DISCARDED = "files_discarded"


def upload_path(*parts):
    return os.path.join(current_app.config["UPLOAD_DIR"], *parts)


def save_new_file(session, folder, content):
    """Write `content` under UPLOAD_DIR/folder with a random name; returns that name."""
    directory = upload_path(folder)
    os.makedirs(directory, exist_ok=True)
    name = secrets.token_hex(16)
    path = os.path.join(directory, name)
    with open(path, "xb") as handle:
        handle.write(content)
    session.info.setdefault(_SAVED, []).append(path)
    return name


def send_attachment(path, mimetype, filename):
    """A kept file as a download, never shown inline, whatever it holds."""
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=filename, max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def discard_after_commit(session, folder, name):
    session.info.setdefault(_DISCARDED, []).append(upload_path(folder, name))


def _remove(paths):
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


@sa.event.listens_for(Session, "after_commit")
def _after_commit(session):
    session.info.pop(_SAVED, None)
    _remove(session.info.pop(_DISCARDED, []))


@sa.event.listens_for(Session, "after_rollback")
def _after_rollback(session):
    # A rollback of a savepoint is not the end of the transaction: keep the lists until then.
    if session.in_nested_transaction():
        return
    session.info.pop(_DISCARDED, None)
    _remove(session.info.pop(_SAVED, []))
