"""Signing in through the body's identity provider, against a real OpenID provider process on
loopback (oidc-provider-mock): a verified email signs its account in; an unverified one, or one with
no account, never links; with STAFF_SSO_ONLY staff cannot use a password, page or API, and need no
two-factor enrolment here."""
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from cpd import create_app
from tests.conftest import TEST_PASSWORD, csrf_token_from
from tests.servers import start_oidc_provider_mock


@pytest.fixture(scope="module")
def provider():
    server = start_oidc_provider_mock()
    yield server.base
    server.stop()


def app_signing_in_with(app, provider, **settings):
    """The app as production would run it with OIDC_ISSUER set, on the tests' database."""
    return create_app({"CPD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "UPLOAD_DIR": app.config["UPLOAD_DIR"], "RATELIMIT_STORAGE_URI": "memory://",
                       "OIDC_ISSUER": provider, "OIDC_CLIENT_ID": "cpd-platform", "OIDC_CLIENT_SECRET": "s3cret",
                       "OIDC_PROVIDER_NAME": "Institute ID", **settings})


def provider_knows(provider, sub, **claims):
    assert requests.put(f"{provider}/users/{sub}", json=claims, timeout=10).status_code == 204


def sign_in_through(provider, browser, sub):
    """The person at our "Sign in with" link, at the provider's form, and back: our answer."""
    sent = browser.get("/signin/provider")
    assert sent.status_code == 302 and sent.headers["Location"].startswith(provider)
    query = parse_qs(urlsplit(sent.headers["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"]
    answered = requests.post(sent.headers["Location"], data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answered.status_code == 302, answered.text[:300]
    back = urlsplit(answered.headers["Location"])
    return browser.get(f"{back.path}?{back.query}")


def test_a_verified_email_signs_its_account_in(app, provider, create_member):
    member = create_member(email="ada@example.org")
    oidc_app = app_signing_in_with(app, provider)
    browser = oidc_app.test_client()
    assert "Sign in with Institute ID" in browser.get("/signin").get_data(as_text=True)
    provider_knows(provider, "ada-at-idp", email="Ada@Example.org", email_verified=True, name="Ada")
    back = sign_in_through(provider, browser, "ada-at-idp")
    assert back.status_code == 302 and urlsplit(back.headers["Location"]).path == "/"
    assert browser.get("/cpd/").status_code == 200
    assert browser.get("/api/v1/me").get_json()["email"] == member.email


@pytest.mark.parametrize("claims, words", [
    ({"email": "ada@example.org", "email_verified": False}, "has not verified your email address"),
    ({"email": "ada@example.org"}, "has not verified your email address"),
    ({"email": "someone.else@example.org", "email_verified": True}, "No account here uses someone.else@example.org"),
])
def test_an_unverified_or_unknown_email_never_links(app, provider, create_member, claims, words):
    create_member(email="ada@example.org")
    oidc_app = app_signing_in_with(app, provider)
    browser = oidc_app.test_client()
    provider_knows(provider, "someone", **claims)
    back = sign_in_through(provider, browser, "someone")
    assert back.status_code == 302 and urlsplit(back.headers["Location"]).path == "/signin"
    assert words in browser.get("/signin").get_data(as_text=True)
    assert browser.get("/cpd/").status_code == 302  # still signed out


def test_staff_sso_only_closes_the_password_and_the_provider_is_the_second_factor(app, provider, create_staff):
    staff = create_staff(email="stella@example.org")
    oidc_app = app_signing_in_with(app, provider, STAFF_SSO_ONLY=True, STAFF_REQUIRE_2FA=True)
    browser = oidc_app.test_client()

    page = browser.get("/signin").get_data(as_text=True)
    refused = browser.post("/signin", data={"csrf_token": csrf_token_from(page), "email": staff.email,
                                            "password": TEST_PASSWORD})
    assert refused.status_code == 422 and "Staff sign in through the body" in refused.get_data(as_text=True)
    api = browser.post("/api/v1/auth/token", json={"email": staff.email, "password": TEST_PASSWORD})
    assert api.status_code == 403 and "identity provider" in api.get_json()["message"]

    provider_knows(provider, "stella", email=staff.email, email_verified=True)
    back = sign_in_through(provider, browser, "stella")
    assert back.status_code == 302 and urlsplit(back.headers["Location"]).path == "/"
    # Signed in, and not sent to enrol in our two-factor sign-in: the provider's is the second factor.
    staff_page = browser.get("/staff/sign-on-clients")
    assert staff_page.status_code == 200

    # Without STAFF_SSO_ONLY the same staff member still signs in with their password.
    plain = app_signing_in_with(app, provider, STAFF_REQUIRE_2FA=False).test_client()
    page = plain.get("/signin").get_data(as_text=True)
    assert plain.post("/signin", data={"csrf_token": csrf_token_from(page), "email": staff.email,
                                       "password": TEST_PASSWORD}).status_code == 302


def test_without_an_issuer_there_is_no_provider_sign_in(client):
    assert "Sign in with" not in client.get("/signin").get_data(as_text=True)
    assert client.get("/signin/provider").status_code == 404
