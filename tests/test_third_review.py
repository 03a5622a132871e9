"""The third outside security review's findings (issue 25), each with a test that failed before its fix.
Numbers follow the review's list (T1-T18)."""
import os
import subprocess
import time
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pyotp
import pytest
import sqlalchemy as sa

from cpd import create_app
from cpd.core.audit import AuditEntry
from cpd.extensions import db
from tests.auth.test_accounts import NEW_PASSWORD, bearer, link_from, printed_notices, token_for
from tests.auth.test_limits_across_processes import post_json
from tests.conftest import TEST_PASSWORD
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[1]


def reset_link(client, app, email):
    assert client.post("/api/v1/auth/password-reset", json={"email": email}).status_code == 202
    return link_from(printed_notices(app), "reset-password").rsplit("/", 1)[1]


def email_change_link(client, app, headers, new_email):
    asked = client.post("/api/v1/me/email", headers=headers, json={"email": new_email, "password": TEST_PASSWORD})
    assert asked.status_code == 202
    return link_from(printed_notices(app), "confirm-email")


# --- T1, T3: links that outlive the owner taking the account back ---------------------------------

def test_t1_a_password_reset_ends_a_thiefs_pending_email_change(client, app, create_member):
    create_member(email="owner@example.org")
    thief = bearer(token_for(client, "owner@example.org"))
    confirm = email_change_link(client, app, thief, "thief@example.org")
    token = reset_link(client, app, "owner@example.org")
    assert client.post(f"/api/v1/auth/password-reset/{token}", json={"password": NEW_PASSWORD}).status_code == 204
    assert client.get(confirm).status_code == 410
    assert token_for(client, "owner@example.org", NEW_PASSWORD).status_code == 200
    assert token_for(client, "thief@example.org", NEW_PASSWORD).status_code == 401


def test_t1_a_password_change_ends_a_pending_email_change(client, app, create_member):
    create_member(email="owner@example.org")
    thief = bearer(token_for(client, "owner@example.org"))
    confirm = email_change_link(client, app, thief, "thief@example.org")
    owner = bearer(token_for(client, "owner@example.org"))
    assert client.post("/api/v1/me/password", headers=owner, json={
        "current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD}).status_code == 204
    assert client.get(confirm).status_code == 410
    assert client.get("/api/v1/me", headers=owner).get_json()["email"] == "owner@example.org"


def test_t1_only_the_latest_email_change_counts(client, app, create_member):
    create_member(email="owner@example.org")
    headers = bearer(token_for(client, "owner@example.org"))
    first = email_change_link(client, app, headers, "first@example.org")
    second = email_change_link(client, app, headers, "second@example.org")
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 302
    assert client.get("/api/v1/me", headers=headers).get_json()["email"] == "second@example.org"


def test_t3_a_reset_link_dies_with_a_password_change(client, app, create_member):
    create_member(email="owner@example.org")
    token = reset_link(client, app, "owner@example.org")
    owner = bearer(token_for(client, "owner@example.org"))
    assert client.post("/api/v1/me/password", headers=owner, json={
        "current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD}).status_code == 204
    late = client.post(f"/api/v1/auth/password-reset/{token}", json={"password": "a thief's own passphrase"})
    assert late.status_code == 410
    assert token_for(client, "owner@example.org", NEW_PASSWORD).status_code == 200


def test_t3_a_reset_link_dies_with_an_email_change(client, app, create_member):
    create_member(email="owner@example.org")
    token = reset_link(client, app, "owner@example.org")
    owner = bearer(token_for(client, "owner@example.org"))
    assert client.get(email_change_link(client, app, owner, "new@example.org")).status_code == 302
    late = client.post(f"/api/v1/auth/password-reset/{token}", json={"password": "a thief's own passphrase"})
    assert late.status_code == 410
    assert token_for(client, "new@example.org").status_code == 200


# --- T4, T5: two-factor sign-in -----------------------------------------------------------------

def test_t4_turning_on_two_factor_ends_every_other_session_and_token(app, client, create_member, form_post):
    create_member(email="owner@example.org")
    confirming = bearer(token_for(client, "owner@example.org"))
    older = bearer(token_for(client, "owner@example.org"))
    browser = app.test_client()
    form_post("/signin", {"email": "owner@example.org", "password": TEST_PASSWORD}, test_client=browser)
    assert browser.get("/profile").status_code == 200
    secret = client.post("/api/v1/me/two-factor", headers=confirming).get_json()["secret"]
    assert client.post("/api/v1/me/two-factor/confirm", headers=confirming,
                       json={"code": pyotp.TOTP(secret).now()}).status_code == 200
    assert client.get("/api/v1/me", headers=confirming).status_code == 200
    assert client.get("/api/v1/me", headers=older).status_code == 401
    assert browser.get("/profile").status_code == 302


def test_t4_turning_on_two_factor_on_the_page_keeps_this_browser_only(app, client, create_member, form_post):
    create_member(email="owner@example.org")
    token = bearer(token_for(client, "owner@example.org"))
    here, elsewhere = app.test_client(), app.test_client()
    for browser in (here, elsewhere):
        form_post("/signin", {"email": "owner@example.org", "password": TEST_PASSWORD}, test_client=browser)
    assert here.get("/profile/two-factor").status_code == 200  # the set-up begins: a secret for the app
    secret = _secret_of(app, "owner@example.org")
    done = form_post("/profile/two-factor", {"code": pyotp.TOTP(secret).now()}, test_client=here)
    assert done.status_code == 200 and "recovery" in done.get_data(as_text=True).lower()
    assert here.get("/profile").status_code == 200
    assert elsewhere.get("/profile").status_code == 302
    assert client.get("/api/v1/me", headers=token).status_code == 401


def _secret_of(app, email):
    from cpd.members.models import Member

    with app.app_context():
        return db.session.scalar(sa.select(Member.totp_secret).where(Member.email == email))


def test_t5_one_code_signs_in_once_however_many_try_at_once(app, create_member):
    create_member(email="owner@example.org")
    client = app.test_client()
    headers = bearer(token_for(client, "owner@example.org"))
    secret = client.post("/api/v1/me/two-factor", headers=headers).get_json()["secret"]
    totp = pyotp.TOTP(secret)
    # Confirm with the previous step's code, so the current one is still unused.
    previous = totp.at(datetime.now() - timedelta(seconds=30))
    assert client.post("/api/v1/me/two-factor/confirm", headers=headers, json={"code": previous}).status_code == 200
    code = totp.now()
    barrier = threading.Barrier(12)
    statuses = []

    def sign_in():
        browser = app.test_client()
        barrier.wait()
        statuses.append(token_for(browser, "owner@example.org", code=code).status_code)

    threads = [threading.Thread(target=sign_in) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [401] * 11


# --- T9: erasure scrubs the address however it was typed ------------------------------------------

def test_t9_erasure_scrubs_failed_sign_ins_in_every_form_typed(client, app, create_member, auth_headers):
    member = create_member(email="grace@example.org")
    for typed in ("grace@example.org", "Grace@Example.ORG", "  grace@example.org ", "GRACE@EXAMPLE.ORG  "):
        assert client.post("/api/v1/auth/token", json={"email": typed, "password": "wrong"}).status_code == 401
    with app.app_context():  # rows kept as typed, before the log trimmed and lowered them
        db.session.add(AuditEntry(action="sign_in_failed", details={"via": "api", "email": " GrAcE@example.org"}))
        db.session.add(AuditEntry(action="sign_in_failed", details={"via": "api", "email": "xgrace@example.org"}))
        db.session.commit()
    assert client.delete("/api/v1/me", headers=auth_headers(member)).status_code in (200, 204)
    with app.app_context():
        kept = db.session.scalars(sa.select(AuditEntry.details).where(AuditEntry.action == "sign_in_failed")).all()
    assert sorted(entry["email"] for entry in kept) == ["(erased)"] * 5 + ["xgrace@example.org"]


# --- T17: a reset request does the same work for any address ---------------------------------------

def test_t17_a_reset_request_writes_and_hashes_alike_for_known_and_unknown_addresses(
        client, app, create_member, count_queries):
    create_member(email="grace@example.org")
    kinds = {}
    for email in ("grace@example.org", "nobody@example.org"):
        with count_queries() as statements:
            assert client.post("/api/v1/auth/password-reset", json={"email": email}).status_code == 202
        kinds[email] = [s.split()[0].upper() for s in statements]
    assert "INSERT" in kinds["nobody@example.org"]
    assert kinds["grace@example.org"][0] == kinds["nobody@example.org"][0] == "SELECT"
    with app.app_context():
        asked = db.session.execute(sa.select(AuditEntry.action, AuditEntry.target_id, AuditEntry.details)
                                   .where(AuditEntry.action == "password_reset_requested")).all()
    assert len(asked) == 2 and all("nobody" not in str(details) for _, _, details in asked)


# --- T18: production signs only with a key of its own -------------------------------------------

def test_t18_production_refuses_to_start_without_a_signing_key(monkeypatch, database_url):
    monkeypatch.delenv("CREDENTIAL_SIGNING_KEY", raising=False)
    with pytest.raises(RuntimeError, match="CREDENTIAL_SIGNING_KEY is not set"):
        create_app({"CPD_ENV": "production", "SECRET_KEY": "s" * 40, "SQLALCHEMY_DATABASE_URI": database_url})
    with pytest.raises(RuntimeError, match="not a usable private key"):
        create_app({"CPD_ENV": "production", "SECRET_KEY": "s" * 40, "SQLALCHEMY_DATABASE_URI": database_url,
                    "CREDENTIAL_SIGNING_KEY": "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----"})


def test_t18_the_command_makes_a_key_production_starts_with(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("CREDENTIAL_SIGNING_KEY", "CPD_ENV")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", CPD_ENV="testing")
    made = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "credentials", "new-key"], cwd=ROOT,
                          env=env, capture_output=True, text=True)
    assert made.returncode == 0 and made.stdout.startswith("-----BEGIN PRIVATE KEY-----")
    env.update(CPD_ENV="production", SECRET_KEY="s" * 40)
    refused = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "CREDENTIAL_SIGNING_KEY is not set" in refused.stderr
    # One line in an environment file, its line breaks written as \n, works too.
    env["CREDENTIAL_SIGNING_KEY"] = made.stdout.strip().replace("\n", "\\n")
    started = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert started.returncode == 0, started.stderr


# --- T10, T12: revoked and erased credentials are not served ---------------------------------------

def test_t12_a_revoked_credential_is_never_signed_afresh(client, app, create_member, create_event, create_booking,
                                                       create_staff, auth_headers):
    from cpd.core.models import utcnow

    member = create_member()
    event = create_event(starts_at=utcnow() - __import__("datetime").timedelta(days=2), cpd_hours=2)
    booking_id = create_booking(member, event, attended=True)
    credential = client.get("/api/v1/me/credentials", headers=auth_headers(member)).get_json()["items"][0]
    assert client.get(f"/api/v1/credentials/{credential['id']}.jwt").status_code == 200
    client.put(f"/api/v1/events/{event.id}/attendance", headers=auth_headers(create_staff()),
               json={"absent": [booking_id]})
    refused = client.get(f"/api/v1/credentials/{credential['id']}.jwt")
    assert refused.status_code == 410 and "revoked" in refused.get_json()["message"]
    verified = client.get(f"/api/v1/credentials/{credential['id']}/verify").get_json()
    assert (verified["valid"], verified["revoked"]) == (False, True)


def test_t10_an_erased_members_credentials_are_revoked_and_confirm_no_address(
        client, app, create_member, create_event, create_booking, auth_headers):
    from cpd.core.models import utcnow
    from cpd.credentials.issuing import subject_hash
    from cpd.credentials.models import Credential

    member = create_member(email="grace@example.org", registrations=[("CEng", __import__("datetime").date(2020, 1, 1))])
    create_booking(member, create_event(starts_at=utcnow() - __import__("datetime").timedelta(days=2)), attended=True)
    held = client.get("/api/v1/me/credentials", headers=auth_headers(member)).get_json()["items"]
    assert len(held) == 2
    assert client.delete("/api/v1/me", headers=auth_headers(member)).status_code in (200, 204)
    for credential in held:
        assert client.get(f"/api/v1/credentials/{credential['id']}.jwt").status_code == 410
        assert client.get(f"/api/v1/credentials/{credential['id']}/verify").get_json()["revoked"] is True
    with app.app_context():
        rows = db.session.scalars(sa.select(Credential)).all()
        assert all(row.revoked_at is not None for row in rows)
        assert all(row.subject_hash != subject_hash("grace@example.org", row.subject_salt) for row in rows)
        assert {row.subject_hash for row in rows} == {""}


# --- T11: survey answers with odd keys --------------------------------------------------------------

@pytest.mark.parametrize("answers", [{"²": 5}, {"1" * 5000: 5}, {"١": 5}, {"-1": 5}, [[1]], {"1": {"a": 1}}, 7])
def test_t11_survey_answers_of_the_wrong_shape_are_422_naming_the_field(client, create_staff, create_member,
                                                                       auth_headers, answers):
    from cpd.core.models import utcnow

    today = utcnow().date()
    survey = client.post("/api/v1/surveys", headers=auth_headers(create_staff()), json={
        "title": "Members' survey", "opens_on": today.isoformat(), "closes_on": today.isoformat(),
        "questions": [{"text": "How well do we serve you?", "kind": "rating"}]}).get_json()
    answered = client.post(f"/api/v1/surveys/{survey['id']}/responses", headers=auth_headers(create_member()),
                           json={"answers": answers})
    assert answered.status_code == 422 and "answers" in answered.get_json()["errors"]


# --- T13: a declaration states that one meets the standards -----------------------------------------

def test_t13_a_declaration_without_meeting_the_standards_is_refused(client, create_member, auth_headers, form_post,
                                                                  sign_in):
    from cpd.core.models import utcnow

    person = create_member(grade="member", registrations=[("CEng", __import__("datetime").date(2019, 5, 1))])
    headers = auth_headers(person)
    year = utcnow().year
    refused = client.post("/api/v1/me/declarations", headers=headers,
                          json={"year": year, "meets_standards": False, "statement": ""})
    assert refused.status_code == 422 and "meets_standards" in refused.get_json()["errors"]
    sign_in(person)
    page = form_post("/revalidation", {"statement": "I forgot the box"})
    assert page.status_code == 422 and "Tick the declaration" in page.get_data(as_text=True)
    assert client.get("/api/v1/me/declarations", headers=headers).get_json() == []
    made = client.post("/api/v1/me/declarations", headers=headers, json={"year": year, "meets_standards": True})
    assert made.status_code == 201


# --- T14: the frozen profile keeps the evidence files themselves ------------------------------------

def test_t14_evidence_swapped_after_submission_does_not_change_the_case(client, app, create_member, create_staff,
                                                                       create_record, auth_headers):
    from datetime import date, timedelta

    from cpd.core.models import utcnow

    staff = auth_headers(create_staff())
    person = create_member(grade="member", registrations=[("CEng", date(2019, 5, 1))],
                           created_at=utcnow() - timedelta(days=3000))
    headers = auth_headers(person)
    record = create_record(person, title="Weld inspection", started_on=utcnow().date() - timedelta(days=20), hours=4)
    upload = client.post(f"/api/v1/me/cpd-records/{record.id}/evidence", headers=headers,
                         data={"file": (__import__("io").BytesIO(b"the genuine certificate"), "cert.txt")})
    assert upload.status_code == 201
    evidence_id = upload.get_json()["id"]
    drawn = client.post("/api/v1/cpd-audits", headers=staff,
                        json={"year": utcnow().year, "sample_percent": 100, "seed": 1}).get_json()
    case_id = drawn["cases"][0]["id"]
    assert client.post(f"/api/v1/me/audit-cases/{case_id}/submit", headers=headers).status_code == 200
    # The member swaps the file behind the submitted case: deletes it and uploads another.
    assert client.delete(f"/api/v1/me/cpd-records/{record.id}/evidence/{evidence_id}", headers=headers
                         ).status_code == 204
    client.post(f"/api/v1/me/cpd-records/{record.id}/evidence", headers=headers,
                data={"file": (__import__("io").BytesIO(b"a forged certificate"), "cert.txt")})
    profile = client.get(f"/api/v1/audit-cases/{case_id}", headers=staff).get_json()["profile"]
    [entry] = profile["records"][0]["evidence"]
    assert (entry["filename"], entry["size_bytes"]) == ("cert.txt", len(b"the genuine certificate"))
    kept = client.get(f"/api/v1/audit-cases/{case_id}/evidence/{entry['number']}", headers=staff)
    assert kept.status_code == 200 and kept.data == b"the genuine certificate"
    assert "attachment" in kept.headers["Content-Disposition"]
    assert client.get(f"/api/v1/audit-cases/{case_id}/evidence/{entry['number']}", headers=headers).status_code == 403
    assert client.get(f"/api/v1/audit-cases/{case_id}/evidence/99", headers=staff).status_code == 404
    # Erasure takes the copies with it.
    with app.app_context():
        folder = Path(app.config["UPLOAD_DIR"]) / "audit-evidence"
        assert len(list(folder.iterdir())) == 1
    assert client.post(f"/api/v1/members/{person.id}/erase", headers=staff).status_code in (200, 204)
    assert list(folder.iterdir()) == []


# --- T15: a Word file that inflates to gigabytes ----------------------------------------------------

def _docx(parts):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, content in parts:
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("parts, says", [
    ([("word/media/bomb.xml", b"\0" * (120 * 1024 * 1024))], "unpacks to"),
    ([("word/media/thin.xml", b"A" * (20 * 1024 * 1024))], "unpacks to"),
    ([(f"word/part{n}.xml", b"x") for n in range(1200)], "parts"),
])
def test_t15_a_word_file_that_inflates_too_far_is_refused(client, create_member, create_record, auth_headers,
                                                        parts, says):
    import io

    member = create_member()
    record = create_record(member)
    content = _docx(parts)
    assert len(content) < 1024 * 1024  # a small upload
    refused = client.post(f"/api/v1/me/cpd-records/{record.id}/evidence", headers=auth_headers(member),
                          data={"file": (io.BytesIO(content), "report.docx")})
    assert refused.status_code == 422 and says in refused.get_json()["errors"]["file"][0]


def test_t15_an_ordinary_word_file_is_still_kept(client, create_member, create_record, auth_headers):
    import io

    member = create_member()
    record = create_record(member)
    ordinary = _docx([("word/styles.xml", "<w:styles>" + "<w:style w:type='paragraph'/>" * 2000 + "</w:styles>")])
    kept = client.post(f"/api/v1/me/cpd-records/{record.id}/evidence", headers=auth_headers(member),
                       data={"file": (io.BytesIO(ordinary), "report.docx")})
    assert kept.status_code == 201


# --- T2: nobody acts in two roles on one application, staff included --------------------------------

def _supported(client, app, headers):
    """An RSci application (one referee, no interview) confirmed by its referee."""
    from tests.registration.test_applications import complete_draft, referee_links

    application_id = client.post("/api/v1/me/applications", headers=headers, json={"title": "RSci"}).get_json()["id"]
    assert client.patch(f"/api/v1/me/applications/{application_id}", headers=headers,
                        json=complete_draft("RSci")).status_code == 200
    assert client.post(f"/api/v1/me/applications/{application_id}/submit", headers=headers).status_code == 200
    for token in referee_links(app).values():
        assert client.post(f"/api/v1/referee-confirmations/{token}", json={"confirmed": True}).status_code == 200
    return application_id


def _assess(client, headers, application_id, recommendation="register"):
    from tests.registration.test_applications import verdict

    unmet = ("SC-A1",) if recommendation == "not_yet" else ()
    return client.put(f"/api/v1/applications/{application_id}/assessment", headers=headers,
                      json=verdict("RSci", recommendation, unmet))


def test_t2_a_staff_member_cannot_run_their_own_application(client, app, create_staff, create_member,
                                                          auth_headers):
    from datetime import date

    applicant = create_staff(email="stella@example.org", grade="member")
    own = auth_headers(applicant)
    application_id = _supported(client, app, own)
    chartered = [create_member(registrations=[("CSci", date(2010, 1, 1))]) for _ in range(2)]
    url = f"/api/v1/applications/{application_id}"
    assert client.get(url, headers=own).status_code == 403
    appointed = client.put(f"{url}/assessors", headers=own, json={"member_ids": [m.id for m in chartered]})
    assert appointed.status_code == 403 and "own application" in appointed.get_json()["message"]
    colleague = auth_headers(create_staff())
    assert client.put(f"{url}/assessors", headers=colleague, json={"member_ids": [m.id for m in chartered]}
                      ).status_code == 200
    for assessor in chartered:
        assert _assess(client, auth_headers(assessor), application_id).status_code == 200
    assert client.post(f"{url}/decision", headers=own, json={"outcome": "ratified"}).status_code == 403
    assert client.get("/api/v1/me", headers=own).get_json()["registrations"] == []
    assert client.post(f"{url}/decision", headers=colleague, json={"outcome": "ratified"}).status_code == 200


def test_t2_a_staff_assessor_neither_appoints_themselves_nor_decides_nor_reads_the_other_verdict(
        client, app, create_staff, create_member, auth_headers):
    from datetime import date

    application_id = _supported(client, app, auth_headers(create_member(grade="member")))
    url = f"/api/v1/applications/{application_id}"
    officer = create_staff(registrations=[("CSci", date(2010, 1, 1))])
    assessing_staff = create_staff(registrations=[("CSci", date(2010, 1, 1))])
    other = create_member(registrations=[("CSci", date(2010, 1, 1))])
    myself = client.put(f"{url}/assessors", headers=auth_headers(officer), json={"member_ids": [officer.id, other.id]})
    assert myself.status_code == 422 and "appoint yourself" in myself.get_json()["errors"]["member_ids"][0]
    assert client.put(f"{url}/assessors", headers=auth_headers(officer),
                      json={"member_ids": [assessing_staff.id, other.id]}).status_code == 200
    assert _assess(client, auth_headers(other), application_id, "not_yet").status_code == 200
    seen = client.get(url, headers=auth_headers(assessing_staff)).get_json()
    assert [a["assessor_id"] for a in seen["assessments"]] == [assessing_staff.id]
    assert _assess(client, auth_headers(assessing_staff), application_id).status_code == 200
    decided = client.post(f"{url}/decision", headers=auth_headers(assessing_staff),
                          json={"outcome": "declined", "comment": "Not yet."})
    assert decided.status_code == 403 and "assessor" in decided.get_json()["message"]
    assert client.post(f"{url}/decision", headers=auth_headers(officer),
                       json={"outcome": "declined", "comment": "Not yet."}).status_code == 200


@pytest.mark.parametrize("alias", ["Grace+support@Example.org", "g.r.a.c.e@example.org", " GRACE@example.org "])
def test_t2_an_applicant_cannot_be_their_own_referee_through_an_alias(client, create_member, auth_headers, alias):
    headers = auth_headers(create_member(email="grace@example.org", grade="member"))
    application = client.post("/api/v1/me/applications", headers=headers, json={"title": "CEng"}).get_json()
    refused = client.patch(f"/api/v1/me/applications/{application['id']}", headers=headers,
                           json={"referees": [{"name": "Grace Again", "email": alias}]})
    assert refused.status_code == 422 and "your own address" in refused.get_json()["errors"]["referees.0.email"][0]


# --- T8: the rate limits' store down --------------------------------------------------------------

def test_t8_with_the_limits_store_down_accounts_work_and_limits_fall_back(database_url, serve_with_gunicorn,
                                                                        create_member):
    import json
    import urllib.request

    create_member(email="grace@example.org")
    base = serve_with_gunicorn(database_url, workers=1, RATELIMIT_ENABLED="1", SIGN_IN_RATE_LIMIT="3 per minute",
                               RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    assert post_json(f"{base}/api/v1/auth/token", {"email": "grace@example.org", "password": TEST_PASSWORD}) == 200
    assert post_json(f"{base}/api/v1/auth/register", {"email": "new@example.org", "password": "long enough to pass",
                                                  "full_name": "New Person"}) == 201
    assert post_json(f"{base}/api/v1/auth/password-reset", {"email": "grace@example.org"}) == 202
    # The limits still bite, each process counting on its own.
    failed = [post_json(f"{base}/api/v1/auth/token", {"email": "grace@example.org", "password": "wrong"})
              for _ in range(4)]
    assert failed == [401, 401, 401, 429]
    with urllib.request.urlopen(f"{base}/readyz", timeout=10) as response:
        assert response.status == 200
        assert json.load(response) == {"status": "degraded", "database": "ok", "rate_limits": "degraded"}


# --- T7: a database that falls silent after the connection is made --------------------------------

class SilentProxy:
    """A TCP proxy to PostgreSQL that can fall silent: it keeps every connection open (and takes new
    ones) but passes nothing on, as a hung host or a network path that swallows packets would."""

    def __init__(self, target):
        import socket

        self.target = target
        self.silent = threading.Event()
        self.stopped = threading.Event()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.sockets = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        import socket

        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                continue
            self.sockets.append(client)
            if self.silent.is_set():
                continue  # taken, never answered
            upstream = socket.create_connection(self.target)
            self.sockets.append(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        source.settimeout(0.2)
        while not self.stopped.is_set():
            if self.silent.is_set():
                time.sleep(0.05)
                continue  # read nothing, pass nothing: the kernel still acknowledges what arrives
            try:
                chunk = source.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not chunk:
                return
            try:
                sink.sendall(chunk)
            except OSError:
                return

    def close(self):
        self.stopped.set()
        for sock in [self.listener, *self.sockets]:
            try:
                sock.close()
            except OSError:
                pass


def _postgres_url(database_url):
    """The tests' PostgreSQL (TEST_DATABASE_URL's schema, or the machine's own on the SQLite run)."""
    if database_url.startswith("postgresql"):
        return sa.engine.make_url(database_url)
    return sa.engine.make_url(os.environ.get("CI_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))


def _postgres_reachable(url):
    import socket

    try:
        with socket.create_connection((url.host, url.port or 5432), timeout=2):
            return True
    except OSError:
        return False


def test_t7_a_silent_database_gives_a_quick_503_and_the_worker_lives_on(database_url, serve_with_gunicorn):
    import json
    import time
    import urllib.error
    import urllib.request

    url = _postgres_url(database_url)
    if not _postgres_reachable(url):
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not reachable: this fault is proven against a real server")
        pytest.skip("needs PostgreSQL on 127.0.0.1:5432 (CI has it)")
    proxy = SilentProxy((url.host, url.port or 5432))
    try:
        through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        base = serve_with_gunicorn(through_proxy, workers=1, DATABASE_CONNECT_TIMEOUT="2")

        def ready():
            began = time.monotonic()
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=60) as response:
                    return response.status, json.load(response), time.monotonic() - began
            except urllib.error.HTTPError as error:
                return error.code, json.load(error), time.monotonic() - began

        assert ready()[0] == 200
        proxy.silent.set()
        status, body, took = ready()
        assert status == 503 and body["database"] == "unreachable"
        assert took < 2 + 6, f"{took:.1f} s"
        proxy.silent.clear()
        status, body, took = ready()  # the same worker answers again once the database does
        assert status == 200 and body["database"] == "ok"
    finally:
        proxy.close()


# --- T6: hidden equality counts cannot be worked out by subtraction --------------------------------

def _possible_values(counts, shown):
    """Every value each hidden small count could take, for someone who knows the breakdown's total and
    the rules (small counts 1-4; a count hidden on purpose at least 5 and no larger than one shown)."""
    import itertools

    hidden = [value for value, n in shown.items() if n is None]
    total = sum(counts[value] for value in hidden)
    ceiling = min((n for n in shown.values() if n is not None), default=total)
    ranges = [range(1, 5) if counts[value] < 5 else range(5, ceiling + 1) for value in hidden]
    possible = {value: set() for value in hidden}
    for guess in itertools.product(*ranges):
        if sum(guess) == total:
            for value, n in zip(hidden, guess):
                possible[value].add(n)
    return {value: found for value, found in possible.items() if counts[value] < 5}


def test_t6_no_hidden_count_is_pinned_in_any_breakdown():
    """Either no hidden small count has a single possible value even for someone who knows the
    breakdown's total, or the breakdown is hidden whole and no other shows a total that could be its."""
    import random

    from cpd.members.equality import suppress_small

    chance = random.Random(25)
    for _ in range(400):
        year = {question: {f"answer{n}": chance.choice([1, 1, 2, 3, 4, 5, 6, 7, 9, 12, 30])
                           for n in range(chance.randint(1, 5))} for question in ("gender", "age_band", "disability")}
        shown = suppress_small(year)
        for question, counts in year.items():
            assert all(shown[question][value] is None for value, n in counts.items() if n < 5)
            pinned = [value for value, found in _possible_values(counts, shown[question]).items() if len(found) == 1]
            if pinned:
                assert all(n is None for n in shown[question].values()), (year, shown)
                total = sum(counts.values())
                for other, other_counts in year.items():
                    if other != question and sum(other_counts.values()) == total:
                        assert None in shown[other].values(), (year, shown, question, other)


def test_t6_the_reviewers_case_through_the_figures(client, app, create_member, create_staff, auth_headers):
    from cpd.core.models import utcnow

    year = utcnow().year
    for number in range(7):
        person = create_member(grade="member")
        client.put("/api/v1/me/equality", headers=auth_headers(person), json={
            "consent": True, "gender": "woman" if number < 6 else "man", "disability": "no"})
    figures = client.get(f"/api/v1/metrics/kpis?year={year}", headers=auth_headers(create_staff())).get_json()
    assert figures["diversity"]["disability"] == {"no": 7}
    assert figures["diversity"]["gender"] == {"woman": None, "man": None}  # not 6, which gives the man away


def test_t6_a_breakdown_everyone_answered_alike_has_its_total_hidden_elsewhere():
    from cpd.members.equality import suppress_small

    shown = suppress_small({"gender": {"woman": 3}, "disability": {"no": 3}, "age_band": {"25_34": 9}})
    assert shown == {"gender": {"woman": None}, "disability": {"no": None}, "age_band": {"25_34": 9}}
