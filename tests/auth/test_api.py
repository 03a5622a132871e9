"""Registering, getting a token and using it, over the JSON API."""
from datetime import timedelta

import sqlalchemy as sa

from cpd.auth.models import ApiToken
from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members.models import Member
from tests.conftest import TEST_PASSWORD

NEW_ACCOUNT = {"email": "Ada.Lovelace@Example.org", "password": "analytical engine", "full_name": "Ada Lovelace"}


def member_count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Member))


def test_register_creates_a_member_with_a_hashed_password(client, app):
    response = client.post("/api/v1/auth/register", json={**NEW_ACCOUNT, "discipline": "science"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["email"] == "ada.lovelace@example.org"
    assert body["full_name"] == "Ada Lovelace"
    assert body["role"] == "member"
    assert body["grade"] is None
    assert body["discipline"] == "science"
    assert body["cpd_policy"] == "science_council"
    assert body["registrations"] == []
    assert "password" not in body and "password_hash" not in body
    with app.app_context():
        stored = db.session.scalar(sa.select(Member.password_hash))
    assert stored.startswith("$argon2id$")


def test_a_second_account_with_the_same_email_in_any_case_is_409(client, app):
    assert client.post("/api/v1/auth/register", json=NEW_ACCOUNT).status_code == 201
    again = client.post("/api/v1/auth/register", json={**NEW_ACCOUNT, "email": "ADA.LOVELACE@example.ORG"})
    assert again.status_code == 409
    assert again.get_json()["message"] == "An account with this email already exists."
    assert member_count(app) == 1


def test_an_unknown_discipline_is_422_naming_the_allowed_values(client, app):
    response = client.post("/api/v1/auth/register", json={**NEW_ACCOUNT, "discipline": "alchemy"})
    assert response.status_code == 422
    body = response.get_json()
    assert "creative_industry, engineering, digital, science" in body["errors"]["discipline"][0]
    assert "discipline" in body["message"]
    assert member_count(app) == 0


def test_bad_registrations_are_422_and_store_nothing(client, app):
    for bad in (
        {**NEW_ACCOUNT, "password": "short"},
        {**NEW_ACCOUNT, "email": "not-an-email"},
        {**NEW_ACCOUNT, "full_name": ""},
        {"email": "x@example.org"},
        {**NEW_ACCOUNT, "role": "staff"},
    ):
        response = client.post("/api/v1/auth/register", json=bad)
        assert response.status_code == 422, bad
        assert response.get_json()["errors"], bad
    assert member_count(app) == 0


def test_token_for_right_credentials_and_same_401_for_wrong_password_or_unknown_email(client, create_member):
    create_member(email="grace@example.org")
    ok = client.post("/api/v1/auth/token", json={"email": "Grace@example.org", "password": TEST_PASSWORD})
    assert ok.status_code == 200
    assert len(ok.get_json()["token"]) >= 40
    assert "+00:00" in ok.get_json()["expires_at"] or ok.get_json()["expires_at"].endswith("Z")

    wrong_password = client.post("/api/v1/auth/token", json={"email": "grace@example.org", "password": "nope-nope"})
    unknown_email = client.post("/api/v1/auth/token", json={"email": "nobody@example.org", "password": "nope-nope"})
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.get_json() == unknown_email.get_json()


def test_the_token_signs_in_and_is_stored_only_as_a_hash(client, app, create_member):
    create_member(email="grace@example.org", full_name="Grace Hopper")
    token = client.post("/api/v1/auth/token", json={"email": "grace@example.org", "password": TEST_PASSWORD}).get_json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.get_json()["full_name"] == "Grace Hopper"
    with app.app_context():
        stored = db.session.scalars(sa.select(ApiToken.token_hash)).all()
    assert token not in stored and len(stored) == 1


def test_no_token_bad_token_revoked_token_and_expired_token_are_401(client, app, create_member, auth_headers):
    member = create_member()
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401

    headers = auth_headers(member)
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    revoked = client.get("/api/v1/me", headers=headers)
    assert revoked.status_code == 401
    assert revoked.is_json and revoked.headers["WWW-Authenticate"] == "Bearer"

    headers = auth_headers(member)
    with app.app_context():
        db.session.execute(sa.update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_failed_sign_ins_are_rate_limited_but_successful_ones_are_not(client, create_member):
    create_member(email="grace@example.org")
    good = {"email": "grace@example.org", "password": TEST_PASSWORD}
    for _ in range(15):
        assert client.post("/api/v1/auth/token", json=good).status_code == 200
    statuses = [
        client.post("/api/v1/auth/token", json={**good, "password": "guess-guess"}).status_code for _ in range(11)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    limited = client.post("/api/v1/auth/token", json=good)
    assert limited.status_code == 429
    assert limited.is_json and limited.get_json()["message"]


def test_an_account_is_locked_after_repeated_failures_from_any_address(client, app, create_member, monkeypatch):
    monkeypatch.setitem(app.config, "ACCOUNT_LOCKOUT_LIMIT", "3 per hour")
    monkeypatch.setitem(app.config, "SIGN_IN_RATE_LIMIT", "100 per minute")
    create_member(email="target@example.org")
    wrong = {"email": "target@example.org", "password": "guess-guess"}
    for number in range(3):
        address = {"REMOTE_ADDR": f"10.0.0.{number + 1}"}
        assert client.post("/api/v1/auth/token", json=wrong, environ_base=address).status_code == 401
    locked = client.post("/api/v1/auth/token", json={**wrong, "password": TEST_PASSWORD},
                         environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert locked.status_code == 429
    assert "this account" in locked.get_json()["message"]
    other = create_member(email="other@example.org")
    assert other and client.post("/api/v1/auth/token", json={"email": "other@example.org",
                                                            "password": TEST_PASSWORD}).status_code == 200
