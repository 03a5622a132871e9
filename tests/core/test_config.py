"""Settings from the environment."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cpd.settings import normalise_database_url
from cpd import create_app
from cpd.credentials.keys import new_private_key_pem

ROOT = Path(__file__).resolve().parents[2]


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"CPD_ENV": "production", "SECRET_KEY": None})


def test_production_from_the_environment_exits_with_a_clear_message(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(CPD_ENV="production", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_cookies_are_secure(database_url):
    app = create_app({"CPD_ENV": "production", "SECRET_KEY": "s" * 40, "SQLALCHEMY_DATABASE_URI": database_url,
                      "CREDENTIAL_SIGNING_KEY": new_private_key_pem()})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAX_CONTENT_LENGTH"] > app.config["EVIDENCE_MAX_BYTES"]
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_unknown_environment_name_is_refused():
    with pytest.raises(RuntimeError, match="CPD_ENV must be one of"):
        create_app({"CPD_ENV": "staging"})


@pytest.mark.parametrize(
    "given, expected",
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_urls_use_psycopg_3(given, expected):
    assert normalise_database_url(given) == expected


def test_settings_are_read_when_the_app_is_made_not_at_import(monkeypatch, database_url):
    monkeypatch.setenv("BODY_NAME", "Institute of Testing")
    monkeypatch.setenv("API_TOKEN_DAYS", "3")
    first = create_app({"CPD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    monkeypatch.setenv("BODY_NAME", "Another Institute")
    second = create_app({"CPD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    assert (first.config["BODY_NAME"], second.config["BODY_NAME"]) == ("Institute of Testing", "Another Institute")
    assert first.config["API_TOKEN_LIFETIME"].days == 3
