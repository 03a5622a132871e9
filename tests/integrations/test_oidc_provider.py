"""This platform as an OpenID Connect provider, end to end over real HTTP: gunicorn serves the app,
Authlib's own client (requests_client.OAuth2Session) is the relying party, and a browser session
(requests) signs in and consents. Also refused as the specs name it: a wrong secret, a redirect URI
not registered, a replayed code, no PKCE or plain PKCE, and a refresh token used twice."""
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.conftest import TEST_PASSWORD, csrf_token_from
from tests.servers import free_port

CALLBACK = "http://127.0.0.1:9/callback"
AFTER_LOGOUT = "http://127.0.0.1:9/signed-out"
SCOPE = "openid profile email membership"


@pytest.fixture
def provider(database_url, serve_with_gunicorn):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve_with_gunicorn(database_url, workers=2, port=port, PUBLIC_BASE_URL=base)
    return base


def register_client(app):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["oidc", "clients", "create", "Moodle", "--redirect-uri", CALLBACK,
                               "--post-logout-redirect-uri", AFTER_LOGOUT])
    assert made.exit_code == 0, made.output
    return made.output.split("client_id: ")[1].split()[0], made.output.split("client_secret: ")[1].split()[0]


def browser_signed_in(base, member):
    browser = requests.Session()
    page = browser.get(f"{base}/signin", timeout=10).text
    signed_in = browser.post(f"{base}/signin", data={"csrf_token": csrf_token_from(page), "email": member.email,
                                                     "password": TEST_PASSWORD}, allow_redirects=False, timeout=10)
    assert signed_in.status_code == 302, signed_in.text[:300]
    return browser


def authorize(browser, url, consent=True):
    """The browser at the authorization URL: consents if asked; the redirect it is sent on with."""
    answer = browser.get(url, allow_redirects=False, timeout=10)
    if answer.status_code == 200 and consent:
        assert "Moodle asks to" in answer.text
        answer = browser.post(url, data={"csrf_token": csrf_token_from(answer.text), "decision": "allow"},
                              allow_redirects=False, timeout=10)
    return answer


def relying_party(base, client_id, secret, **options):
    return OAuth2Session(client_id, secret, scope=SCOPE, redirect_uri=CALLBACK, code_challenge_method="S256",
                         **options)


def test_a_system_signs_a_member_in_with_authlibs_client(app, provider, create_member):
    member = create_member(email="ada@example.org", full_name="Ada Lovelace", grade="member",
                           registrations=[("CSci", date(2024, 5, 1))])
    client_id, secret = register_client(app)
    metadata = requests.get(f"{provider}/.well-known/openid-configuration", timeout=10).json()
    assert metadata["issuer"] == provider and metadata["code_challenge_methods_supported"] == ["S256"]
    browser = browser_signed_in(provider, member)

    session = relying_party(provider, client_id, secret)
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = session.create_authorization_url(metadata["authorization_endpoint"], code_verifier=verifier,
                                                  nonce=nonce)
    answer = authorize(browser, url)
    assert answer.status_code == 302 and answer.headers["Location"].startswith(CALLBACK)
    returned = answer.headers["Location"]
    assert parse_qs(urlsplit(returned).query)["state"] == [state]

    token = session.fetch_token(metadata["token_endpoint"], authorization_response=returned, code_verifier=verifier)
    keys = KeySet.import_key_set(requests.get(metadata["jwks_uri"], timeout=10).json())
    id_token = jwt.decode(token["id_token"], keys, algorithms=["RS256"])
    claims = id_token.claims
    assert (claims["iss"], claims["aud"], claims["nonce"]) == (provider, client_id, nonce)
    assert (claims["sub"], claims["member_number"], claims["grade"]) == (f"{member.id:07d}", f"{member.id:07d}",
                                                                         "member")
    assert (claims["name"], claims["email"], claims["registrations"]) == ("Ada Lovelace", "ada@example.org", ["CSci"])
    assert id_token.header["kid"] in {key["kid"] for key in requests.get(metadata["jwks_uri"], timeout=10).json()[
        "keys"]}

    info = session.get(metadata["userinfo_endpoint"], timeout=10).json()
    assert info["sub"] == claims["sub"] and info["grade"] == "member"

    # The code was used: a second exchange is invalid_grant.
    replay = requests.post(metadata["token_endpoint"], data={
        "grant_type": "authorization_code", "code": parse_qs(urlsplit(returned).query)["code"][0],
        "redirect_uri": CALLBACK, "code_verifier": verifier}, auth=(client_id, secret), timeout=10)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"

    # Refresh tokens rotate: the new one works, the old one never again.
    old_refresh = token["refresh_token"]
    renewed = session.refresh_token(metadata["token_endpoint"], refresh_token=old_refresh)
    assert renewed["refresh_token"] != old_refresh and renewed["access_token"] != token["access_token"]
    again = requests.post(metadata["token_endpoint"], data={"grant_type": "refresh_token", "refresh_token": old_refresh},
                          auth=(client_id, secret), timeout=10)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert requests.get(metadata["userinfo_endpoint"], headers={"Authorization": f"Bearer {token['access_token']}"},
                        timeout=10).status_code == 401

    # Consent is asked once per client: the second time the browser goes straight back.
    second = relying_party(provider, client_id, secret)
    url, _ = second.create_authorization_url(metadata["authorization_endpoint"], code_verifier=generate_token(48))
    assert authorize(browser, url, consent=False).status_code == 302

    # RP-initiated logout with the ID token: signed out here, and back to the registered address.
    out = browser.get(metadata["end_session_endpoint"], params={
        "id_token_hint": token["id_token"], "post_logout_redirect_uri": AFTER_LOGOUT, "state": "bye"},
        allow_redirects=False, timeout=10)
    assert out.status_code == 302 and out.headers["Location"] == f"{AFTER_LOGOUT}?state=bye"
    assert browser.get(f"{provider}/", allow_redirects=False, timeout=10).status_code in (302, 200)
    assert "/signin" in browser.get(f"{provider}/cpd/", allow_redirects=False, timeout=10).headers["Location"]


def test_the_errors_are_those_the_specs_name(app, provider, create_member):
    member = create_member(email="grace@example.org")
    client_id, secret = register_client(app)
    metadata = requests.get(f"{provider}/.well-known/openid-configuration", timeout=10).json()
    browser = browser_signed_in(provider, member)

    # A redirect URI not registered: shown here, never followed.
    wrong_uri = OAuth2Session(client_id, secret, scope=SCOPE, redirect_uri="http://127.0.0.1:9/elsewhere",
                              code_challenge_method="S256")
    url, _ = wrong_uri.create_authorization_url(metadata["authorization_endpoint"], code_verifier=generate_token(48))
    refused = browser.get(url, allow_redirects=False, timeout=10)
    assert refused.status_code == 400 and "invalid_request" in refused.text and "Location" not in refused.headers

    # No PKCE, or plain PKCE: the error goes back to the client's registered address.
    for options in ({}, {"code_challenge": "a" * 43, "code_challenge_method": "plain"}):
        bare = OAuth2Session(client_id, secret, scope=SCOPE, redirect_uri=CALLBACK)
        url, _ = bare.create_authorization_url(metadata["authorization_endpoint"], **options)
        answer = browser.get(url, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text[:300]
        assert parse_qs(urlsplit(answer.headers["Location"]).query)["error"] == ["invalid_request"]

    # Saying no sends the client access_denied (and asks again next time).
    denied_session = relying_party(provider, client_id, secret)
    url, _ = denied_session.create_authorization_url(metadata["authorization_endpoint"], code_verifier=generate_token(48))
    page = browser.get(url, allow_redirects=False, timeout=10)
    assert page.status_code == 200
    denied = browser.post(url, data={"csrf_token": csrf_token_from(page.text), "decision": "deny"},
                          allow_redirects=False, timeout=10)
    assert parse_qs(urlsplit(denied.headers["Location"]).query)["error"] == ["access_denied"]

    # A wrong secret at the token endpoint: invalid_client, 401.
    session = relying_party(provider, client_id, secret)
    verifier = generate_token(48)
    url, _ = session.create_authorization_url(metadata["authorization_endpoint"], code_verifier=verifier)
    returned = authorize(browser, url).headers["Location"]
    code = parse_qs(urlsplit(returned).query)["code"][0]
    wrong = requests.post(metadata["token_endpoint"], data={"grant_type": "authorization_code", "code": code,
                                                            "redirect_uri": CALLBACK, "code_verifier": verifier},
                          auth=(client_id, "not-the-secret"), timeout=10)
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    # A wrong verifier: invalid_grant.
    bad_verifier = requests.post(metadata["token_endpoint"], data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": "b" * 48},
        auth=(client_id, secret), timeout=10)
    assert bad_verifier.status_code == 400 and bad_verifier.json()["error"] == "invalid_grant"



def test_staff_register_a_client_on_a_page_and_see_the_secret_once(client, app, create_staff, sign_in, form_post):
    staff = create_staff()
    sign_in(staff)
    refused = form_post("/staff/sign-on-clients", {"name": "CRM", "redirect_uris": "http://crm.example.org/cb"})
    assert refused.status_code == 422 and "is not a redirect URI" in refused.get_data(as_text=True)
    made = form_post("/staff/sign-on-clients", {"name": "CRM", "redirect_uris": "https://crm.example.org/cb"})
    page = made.get_data(as_text=True)
    assert made.status_code == 200 and "Copy the secret now" in page and "oidc_" in page
    again = client.get("/staff/sign-on-clients").get_data(as_text=True)
    assert "https://crm.example.org/cb" in again and "Copy the secret now" not in again
