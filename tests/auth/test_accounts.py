"""Accounts a person can look after: a forgotten password, a new password or email address,
signing out (everywhere), two-factor sign-in, and the password policy."""
import re
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from cpd.auth.models import AccountLink, ApiToken
from cpd.core.audit import AuditEntry
from cpd.core.models import utcnow
from cpd.notices.models import Notice
from cpd.extensions import db
from cpd.members.models import Member
from tests.conftest import TEST_PASSWORD, csrf_token_from

NEW_PASSWORD = "a brand new passphrase"


def printed_notices(app):
    return app.test_cli_runner().invoke(args=["mail", "send"]).output


def link_from(output, path):
    match = re.search(rf"https?://[^/\s]+(/{path}/[A-Za-z0-9_\-]+)", output)
    assert match, output
    return match.group(1)


def token_for(client, email, password=TEST_PASSWORD, **extra):
    return client.post("/api/v1/auth/token", json={"email": email, "password": password, **extra})


def bearer(response):
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def count(app, model):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- a forgotten password -------------------------------------------------------------------

def test_a_reset_round_trip_through_the_printed_notice(client, app, create_member):
    create_member(email="grace@example.org")
    old_token = bearer(token_for(client, "grace@example.org"))
    asked = client.post("/api/v1/auth/password-reset", json={"email": "Grace@Example.org"})
    assert asked.status_code == 202
    output = printed_notices(app)
    assert "to grace@example.org: Reset your password" in output
    path = link_from(output, "reset-password")
    assert output.count(path) == 1 and "60 minutes" in output
    token = path.rsplit("/", 1)[1]

    assert client.post(f"/api/v1/auth/password-reset/{token}", json={"password": NEW_PASSWORD}).status_code == 204
    assert client.get("/api/v1/me", headers=old_token).status_code == 401
    assert token_for(client, "grace@example.org").status_code == 401
    assert token_for(client, "grace@example.org", NEW_PASSWORD).status_code == 200

    again = client.post(f"/api/v1/auth/password-reset/{token}", json={"password": "yet another passphrase"})
    assert again.status_code == 410
    assert token_for(client, "grace@example.org", NEW_PASSWORD).status_code == 200
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert "password_reset" in actions


def test_the_answer_is_the_same_for_an_unknown_address_and_no_link_is_made(client, app, create_member):
    create_member(email="grace@example.org")
    known = client.post("/api/v1/auth/password-reset", json={"email": "grace@example.org"})
    links_after_known, notices_after_known = count(app, AccountLink), count(app, Notice)
    unknown = client.post("/api/v1/auth/password-reset", json={"email": "nobody@example.org"})
    malformed = client.post("/api/v1/auth/password-reset", json={"email": "not an address"})
    assert known.status_code == unknown.status_code == malformed.status_code == 202
    assert known.get_json() == unknown.get_json() == malformed.get_json()
    assert (count(app, AccountLink), count(app, Notice)) == (links_after_known, notices_after_known)


def test_altered_and_expired_links_change_nothing(client, app, create_member):
    create_member(email="grace@example.org")
    client.post("/api/v1/auth/password-reset", json={"email": "grace@example.org"})
    token = link_from(printed_notices(app), "reset-password").rsplit("/", 1)[1]
    altered = client.post(f"/api/v1/auth/password-reset/{token[:-2]}xy", json={"password": NEW_PASSWORD})
    assert altered.status_code == 404 and altered.get_json()["message"]
    page = client.get(f"/reset-password/{token[:-2]}xy")
    assert page.status_code == 404 and "This link does not work" in page.get_data(as_text=True)
    with app.app_context():
        db.session.execute(sa.update(AccountLink).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    expired = client.post(f"/api/v1/auth/password-reset/{token}", json={"password": NEW_PASSWORD})
    assert expired.status_code == 410
    assert client.get(f"/reset-password/{token}").status_code == 410
    assert token_for(client, "grace@example.org").status_code == 200


def test_the_reset_pages(client, app, create_member, form_post):
    create_member(email="grace@example.org")
    signin = client.get("/signin").get_data(as_text=True)
    assert 'href="/forgot-password"' in signin
    known = form_post("/forgot-password", {"email": "grace@example.org"})
    unknown = form_post("/forgot-password", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert "Check your email" in known.get_data(as_text=True)
    path = link_from(printed_notices(app), "reset-password")
    weak = form_post(path, {"password": "password1234", "confirm": "password1234"})
    assert weak.status_code == 422
    assert "commonly used" in weak.get_data(as_text=True)
    done = form_post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/signin")
    assert client.get(path).status_code == 410


def test_reset_requests_are_limited_per_account(client, app, create_member, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_ACCOUNT_LIMIT", "2 per hour")
    create_member(email="grace@example.org")
    statuses = [client.post("/api/v1/auth/password-reset", json={"email": "grace@example.org"},
                            environ_base={"REMOTE_ADDR": f"10.0.1.{n}"}).status_code for n in range(3)]
    assert statuses == [202, 202, 429]


# --- password policy ------------------------------------------------------------------------

@pytest.mark.parametrize("password, says", [
    ("12345678", "at least 12"),
    ("password", "at least 12"),
    ("123456789012", "commonly used"),
    ("password1234", "commonly used"),
    ("1qaz2wsx3edc", "commonly used"),
    ("aaaaaaaaaaaaaaaa", "run of keys"),
    ("ada.lovelace is here", "email"),
])
def test_weak_passwords_are_refused_with_the_reason(client, password, says):
    response = client.post("/api/v1/auth/register", json={
        "email": "ada.lovelace@example.org", "password": password, "full_name": "Ada"})
    assert response.status_code == 422
    assert says in " ".join(response.get_json()["errors"]["password"])


def test_the_sign_up_page_says_why_beside_the_field(client, form_post):
    response = form_post("/signup", {"full_name": "Ada", "email": "ada@example.org",
                                     "password": "letmein12345", "confirm": "letmein12345",
                                     "discipline": "", "sector": "", "career_stage": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="password-error"' in html and "commonly used" in html


# --- changing a password or an email address ------------------------------------------------

def test_changing_the_password_ends_every_other_session_and_token(client, app, create_member):
    create_member(email="grace@example.org")
    mine = bearer(token_for(client, "grace@example.org"))
    other = bearer(token_for(client, "grace@example.org"))
    wrong = client.post("/api/v1/me/password", headers=mine,
                        json={"current_password": "not my password", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 422 and "current_password" in wrong.get_json()["errors"]
    weak = client.post("/api/v1/me/password", headers=mine,
                       json={"current_password": TEST_PASSWORD, "new_password": "short"})
    assert weak.status_code == 422 and "new_password" in weak.get_json()["errors"]
    assert client.post("/api/v1/me/password", headers=mine,
                       json={"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD}).status_code == 204
    assert client.get("/api/v1/me", headers=mine).status_code == 200
    assert client.get("/api/v1/me", headers=other).status_code == 401
    assert token_for(client, "grace@example.org", NEW_PASSWORD).status_code == 200


def test_changing_the_password_on_the_page_keeps_this_session_only(app, create_member, form_post):
    create_member(email="grace@example.org")
    here, elsewhere = app.test_client(), app.test_client()
    for browser in (here, elsewhere):
        form_post("/signin", {"email": "grace@example.org", "password": TEST_PASSWORD}, test_client=browser)
    done = form_post("/profile/password", {"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD,
                                           "confirm": NEW_PASSWORD}, test_client=here)
    assert done.status_code == 302
    assert here.get("/profile").status_code == 200
    assert elsewhere.get("/profile").status_code == 302


def test_an_email_change_takes_effect_when_the_link_is_followed(client, app, create_member):
    create_member(email="grace@example.org")
    create_member(email="taken@example.org")
    headers = bearer(token_for(client, "grace@example.org"))
    taken = client.post("/api/v1/me/email", headers=headers, json={"email": "taken@example.org",
                                                                   "password": TEST_PASSWORD})
    assert taken.status_code == 409
    wrong = client.post("/api/v1/me/email", headers=headers, json={"email": "new@example.org", "password": "nope"})
    assert wrong.status_code == 422
    asked = client.post("/api/v1/me/email", headers=headers, json={"email": "New@Example.org",
                                                                   "password": TEST_PASSWORD})
    assert asked.status_code == 202
    assert client.get("/api/v1/me", headers=headers).get_json()["email"] == "grace@example.org"
    output = printed_notices(app)
    assert "to new@example.org: Confirm your new email address" in output
    assert "to grace@example.org: Your email address is being changed" in output
    path = link_from(output, "confirm-email")
    assert client.get(path).status_code == 302
    assert client.get("/api/v1/me", headers=headers).get_json()["email"] == "new@example.org"
    assert "to grace@example.org: Your email address was changed" in printed_notices(app)
    assert client.get(path).status_code == 410
    assert token_for(client, "new@example.org").status_code == 200


# --- sessions -------------------------------------------------------------------------------

def test_signing_out_ends_the_session_even_for_a_copied_cookie(app, create_member, form_post):
    create_member(email="grace@example.org")
    browser, thief = app.test_client(), app.test_client()
    with browser.session_transaction() as session:
        session["planted"] = "by someone else"
    form_post("/signin", {"email": "grace@example.org", "password": TEST_PASSWORD}, test_client=browser)
    with browser.session_transaction() as session:
        assert "planted" not in session  # a fresh session at sign-in
        copied = dict(session)
    with thief.session_transaction() as session:
        session.update(copied)
    assert thief.get("/profile").status_code == 200
    assert thief.get("/api/v1/me").status_code == 200
    page = browser.get("/profile").get_data(as_text=True)
    browser.post("/signout", data={"csrf_token": csrf_token_from(page)})
    assert thief.get("/profile").status_code == 302
    assert thief.get("/api/v1/me").status_code == 401


def test_sign_out_everywhere_ends_sessions_and_tokens(app, client, create_member, form_post):
    create_member(email="grace@example.org")
    headers = bearer(token_for(client, "grace@example.org"))
    browser = app.test_client()
    form_post("/signin", {"email": "grace@example.org", "password": TEST_PASSWORD}, test_client=browser)
    page = browser.get("/profile").get_data(as_text=True)
    assert "Sign out everywhere" in page
    browser.post("/profile/sign-out-everywhere", data={"csrf_token": csrf_token_from(page)})
    assert browser.get("/profile").status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_page_and_api_share_one_budget_of_failed_sign_ins(client, app, create_member, form_post, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_IN_RATE_LIMIT", "4 per minute")
    create_member(email="grace@example.org")
    wrong = {"email": "grace@example.org", "password": "guess guess guess"}
    assert [form_post("/signin", wrong).status_code for _ in range(2)] == [422, 422]
    assert [token_for(client, **wrong).status_code for _ in range(3)] == [401, 401, 429]


# --- two-factor sign-in ---------------------------------------------------------------------

def enrol(client, headers):
    started = client.post("/api/v1/me/two-factor", headers=headers)
    assert started.status_code == 201
    secret = started.get_json()["secret"]
    assert started.get_json()["otpauth_uri"].startswith("otpauth://totp/")
    wrong = client.post("/api/v1/me/two-factor/confirm", headers=headers, json={"code": "000000"})
    assert wrong.status_code == 422
    confirmed = client.post("/api/v1/me/two-factor/confirm", headers=headers,
                            json={"code": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 200
    return secret, confirmed.get_json()["recovery_codes"]


def test_a_staff_member_turns_on_two_factor_and_then_needs_a_code(client, app, create_staff):
    create_staff(email="boss@example.org")
    headers = bearer(token_for(client, "boss@example.org"))
    secret, recovery_codes = enrol(client, headers)
    assert len(recovery_codes) == 10 and len(set(recovery_codes)) == 10
    with app.app_context():
        member = db.session.scalar(sa.select(Member).where(Member.email == "boss@example.org"))
        assert member.totp_confirmed_at is not None
    without_code = token_for(client, "boss@example.org")
    wrong_password = token_for(client, "boss@example.org", "not the password")
    wrong_code = token_for(client, "boss@example.org", code="123456")
    assert without_code.status_code == wrong_code.status_code == wrong_password.status_code == 401
    assert without_code.get_json()["message"] == wrong_code.get_json()["message"] == \
        wrong_password.get_json()["message"]
    with app.app_context():  # the code of the enrolment itself is not accepted twice
        db.session.execute(sa.update(Member).values(totp_last_step=None))
        db.session.commit()
    code = pyotp.TOTP(secret).now()
    assert token_for(client, "boss@example.org", code=code).status_code == 200
    assert token_for(client, "boss@example.org", code=code).status_code == 401  # a code works once
    assert token_for(client, "boss@example.org", code=recovery_codes[0]).status_code == 200
    assert token_for(client, "boss@example.org", code=recovery_codes[0]).status_code == 401
    status = client.get("/api/v1/me/two-factor", headers=headers).get_json()
    assert status == {"enabled": True, "required": False, "recovery_codes_left": 9}


def test_wrong_codes_count_towards_the_lockout(client, app, create_staff, monkeypatch):
    monkeypatch.setitem(app.config, "ACCOUNT_LOCKOUT_LIMIT", "2 per hour")
    create_staff(email="boss@example.org")
    enrol(client, bearer(token_for(client, "boss@example.org")))
    statuses = [token_for(client, "boss@example.org", code="000000").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


def test_staff_must_enrol_before_any_staff_page_or_call_when_required(client, app, create_staff, sign_in,
                                                                      monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_REQUIRE_2FA", True)
    staff = create_staff(email="boss@example.org")
    headers = bearer(token_for(client, "boss@example.org"))
    refused = client.get("/api/v1/members", headers=headers)
    assert refused.status_code == 403 and "two-factor" in refused.get_json()["message"]
    sign_in(staff)
    page = client.get("/staff/members")
    assert page.status_code == 302 and page.headers["Location"].endswith("/profile/two-factor")
    enrolment = client.get("/profile/two-factor").get_data(as_text=True)
    assert "<svg" in enrolment and "Staff accounts need two-factor sign-in" in enrolment
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', enrolment).group(1)
    confirmed = client.post("/profile/two-factor", data={"csrf_token": csrf_token_from(enrolment),
                                                         "code": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 200 and "recovery codes" in confirmed.get_data(as_text=True)
    assert client.get("/staff/members").status_code == 200
    # The token made with the password alone ended when two-factor sign-in came on.
    assert client.get("/api/v1/members", headers=headers).status_code == 401
    headers = bearer(token_for(client, "boss@example.org", code=recovery_code_from(confirmed)))
    assert client.get("/api/v1/members", headers=headers).status_code == 200
    turn_off = client.delete("/api/v1/me/two-factor", headers=headers, json={"code": "000000"})
    assert turn_off.status_code == 403


def recovery_code_from(page):
    return re.search(r"\b([0-9a-f]{5}-[0-9a-f]{5})\b", page.get_data(as_text=True)).group(1)


def test_a_member_can_turn_two_factor_off_with_a_code(client, app, create_member):
    create_member(email="grace@example.org")
    headers = bearer(token_for(client, "grace@example.org"))
    secret, codes = enrol(client, headers)
    assert client.delete("/api/v1/me/two-factor", headers=headers, json={"code": "999999"}).status_code == 422
    assert client.delete("/api/v1/me/two-factor", headers=headers, json={"code": codes[3]}).status_code == 204
    assert token_for(client, "grace@example.org").status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) >= 1
