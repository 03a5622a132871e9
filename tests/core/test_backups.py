"""flask backup create / restore: a round trip on the database under test (SQLite or PostgreSQL)."""
import sqlalchemy as sa

from cpd.extensions import db
from cpd.members.models import Member


def emails(app):
    with app.app_context():
        return sorted(db.session.scalars(sa.select(Member.email)))


def test_a_backup_restores_what_was_there(app, tmp_path, create_member):
    create_member(email="kept@example.org")
    create_member(email="also-kept@example.org")
    runner = app.test_cli_runner()
    path = tmp_path / "backup.dump"
    created = runner.invoke(args=["backup", "create", str(path)])
    assert created.exit_code == 0, created.output
    assert path.stat().st_size > 0

    with app.app_context():
        db.session.execute(sa.delete(Member).where(Member.email == "kept@example.org"))
        db.session.commit()
    create_member(email="added-after@example.org")
    assert emails(app) == ["added-after@example.org", "also-kept@example.org"]

    restored = runner.invoke(args=["backup", "restore", str(path), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert emails(app) == ["also-kept@example.org", "kept@example.org"]


def test_restoring_a_missing_backup_fails_clearly(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "nope.dump"), "--yes"])
    assert result.exit_code == 1 and "No backup at" in result.output
