"""Learning recorded elsewhere, against the real things: the `tincan` client library sends to our
endpoint served by gunicorn; Ralph, a real learning record store, is started on loopback and
`flask xapi pull` reads from it. A completion becomes one verified CPD record for the member it
names, once per statement id; a voiding statement removes it; a statement for nobody we know waits
for staff; malformed statements are refused whole with nothing stored."""
import base64
import uuid
from datetime import date

import pytest
import sqlalchemy as sa
from tincan import (Activity, ActivityDefinition, Agent, AgentAccount, LanguageMap, RemoteLRS, Result, Statement,
                    StatementRef, Verb)

from cpd.extensions import db
from cpd.integrations import xapi
from cpd.integrations.models import XapiStatement
from cpd.integrations.xapi_statements import COMPLETED, CPD_HOURS_EXTENSION, PASSED, VOIDED
from cpd.records.models import CpdRecord
from tests.servers import start_ralph

VERSION = {"X-Experience-API-Version": "1.0.3"}


def new_client(app, name="Moodle"):
    with app.app_context():
        client, secret = xapi.create_client(name)
        db.session.commit()
        return client.key, secret


def basic(key, secret):
    return {"Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode(), **VERSION}


def completion(email, name="Safety in the laboratory", duration="PT1H30M", verb=COMPLETED, **extra):
    return {"actor": {"objectType": "Agent", "mbox": f"mailto:{email}"}, "verb": {"id": verb},
            "object": {"objectType": "Activity", "id": f"https://lms.example.org/course/{uuid.uuid4()}",
                       "definition": {"name": {"en-GB": name}}},
            "result": {"completion": True, "duration": duration}, **extra}


def records_of(app, member_id):
    with app.app_context():
        return [(r.title, str(r.hours), r.source_system, r.verified) for r in db.session.scalars(
            sa.select(CpdRecord).where(CpdRecord.member_id == member_id).order_by(CpdRecord.id))]


def tincan_statement(email=None, account=None, name="Risk assessment", verb=COMPLETED, result=None):
    actor = Agent(mbox=f"mailto:{email}") if email else Agent(account=AgentAccount(**account))
    return Statement(actor=actor, verb=Verb(id=verb),
                     object=Activity(id=f"https://lms.example.org/module/{uuid.uuid4()}",
                                     definition=ActivityDefinition(name=LanguageMap({"en-GB": name}))),
                     result=result)


def test_a_learning_system_sends_completions_with_the_tincan_library(app, database_url, serve_with_gunicorn,
                                                                     create_member, create_staff, auth_headers):
    member = create_member(email="ada@example.org")
    numbered = create_member(email="grace@example.org")
    key, secret = new_client(app, "Moodle")
    base = serve_with_gunicorn(database_url, workers=2)
    lms = RemoteLRS(endpoint=f"{base}/api/v1/xapi/", username=key, password=secret, version="1.0.3")

    about = lms.about()
    assert about.success and "1.0.3" in about.content.version

    by_email = tincan_statement(email="Ada@Example.org", name="Risk assessment",
                                result=Result(completion=True, duration="PT2H15M"))
    by_account = tincan_statement(account={"home_page": app.config["PUBLIC_BASE_URL"],
                                           "name": f"{numbered.id:07d}"}, name="Ethics", verb=PASSED,
                                  result=Result(success=True, extensions={CPD_HOURS_EXTENSION: 3}))
    stranger = tincan_statement(email="nobody@elsewhere.org", name="Welding",
                                result=Result(completion=True, duration="PT1H"))
    sent = lms.save_statements([by_email, by_account, stranger])
    assert sent.success, sent.data
    ids = [statement.id for statement in sent.content]
    assert len(set(ids)) == 3

    assert records_of(app, member.id) == [("Risk assessment", "2.25", "Moodle", True)]
    assert records_of(app, numbered.id) == [("Ethics", "3.00", "Moodle", True)]

    # The same statement again (a learning system resending after a timeout): still one record.
    again = lms.save_statement(Statement(by_email.as_version()))
    assert again.success, again.data
    assert len(records_of(app, member.id)) == 1

    # The stranger's completion waits for staff, who match it to the member it was for.
    staff = auth_headers(create_staff())
    import requests

    waiting = requests.get(f"{base}/api/v1/xapi/unmatched", headers=staff, timeout=10).json()
    assert [(item["actor_email"], item["activity_name"], item["hours"]) for item in waiting["items"]] == [
        ("nobody@elsewhere.org", "Welding", 1.0)]
    matched = requests.post(f"{base}/api/v1/xapi/unmatched/{waiting['items'][0]['id']}/match",
                            json={"member_id": member.id}, headers=staff, timeout=10)
    assert matched.status_code == 200, matched.text
    assert [title for title, *_ in records_of(app, member.id)] == ["Risk assessment", "Welding"]
    assert requests.get(f"{base}/api/v1/xapi/unmatched", headers=staff, timeout=10).json()["total"] == 0

    # The learning system voids the first completion: its record goes, the other stays.
    voiding = Statement(actor=Agent(mbox="mailto:lms@example.org"), verb=Verb(id=VOIDED),
                        object=StatementRef(id=ids[0]))
    assert lms.save_statement(voiding).success
    assert [title for title, *_ in records_of(app, member.id)] == ["Welding"]

    # A wrong secret is 401, and says how to authenticate.
    wrong = RemoteLRS(endpoint=f"{base}/api/v1/xapi/", username=key, password="not-it", version="1.0.3")
    refused = wrong.save_statements([tincan_statement(email="ada@example.org")])
    assert refused.response.status == 401
    assert refused.response.getheader("WWW-Authenticate") == 'Basic realm="xAPI"'


@pytest.mark.parametrize("spoil, field", [
    (lambda s: s.pop("actor"), "statements[1].actor"),
    (lambda s: s.update(verb={"id": "http://adlnet.gov/expapi/verbs/experienced"}), "statements[1].verb.id"),
    (lambda s: s["result"].update(duration="an hour"), "statements[1].result.duration"),
    (lambda s: s["result"].update(duration="P1M"), "statements[1].result.duration"),
    (lambda s: s.update(id="not-a-uuid"), "statements[1].id"),
    (lambda s: s.update(object={"objectType": "Agent", "id": "x"}), "statements[1].object.objectType"),
    (lambda s: s.update(timestamp="2999-01-01T00:00:00Z"), "statements[1].timestamp"),
])
def test_a_malformed_statement_refuses_the_whole_batch(client, app, create_member, spoil, field):
    create_member(email="ada@example.org")
    key, secret = new_client(app)
    bad = completion("ada@example.org")
    spoil(bad)
    response = client.post("/api/v1/xapi/statements", json=[completion("ada@example.org"), bad],
                           headers=basic(key, secret))
    assert response.status_code == 400, response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == 400 and field in body["errors"], body
    assert response.headers["X-Experience-API-Version"] == "1.0.3"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(XapiStatement)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CpdRecord)) == 0


def test_the_version_header_and_the_client_are_required(client, app, auth_headers, create_member):
    member = create_member(email="ada@example.org")
    key, secret = new_client(app)
    statement = completion("ada@example.org")
    without_version = client.post("/api/v1/xapi/statements", json=statement,
                                  headers={"Authorization": basic(key, secret)["Authorization"]})
    assert without_version.status_code == 400
    assert "X-Experience-API-Version" in without_version.get_json()["message"]
    old = client.post("/api/v1/xapi/statements", json=statement,
                      headers={**basic(key, secret), "X-Experience-API-Version": "0.95"})
    assert old.status_code == 400
    # A member's own token is not a learning system's key.
    as_member = client.post("/api/v1/xapi/statements", json=statement, headers={**auth_headers(member), **VERSION})
    assert as_member.status_code == 401
    assert records_of(app, member.id) == []


def test_put_takes_one_statement_under_its_id_and_statements_without_hours_make_no_record(client, app,
                                                                                          create_member):
    member = create_member(email="ada@example.org")
    key, secret = new_client(app)
    statement_id = str(uuid.uuid4())
    put = client.put(f"/api/v1/xapi/statements?statementId={statement_id}",
                     json=completion("ada@example.org", name="Induction", duration="PT45M",
                                     timestamp="2026-03-04T09:00:00Z"), headers=basic(key, secret))
    assert put.status_code == 204, put.get_data(as_text=True)
    no_hours = completion("ada@example.org", name="Quiz")
    del no_hours["result"]
    assert client.post("/api/v1/xapi/statements", json=no_hours, headers=basic(key, secret)).status_code == 200
    assert records_of(app, member.id) == [("Induction", "0.75", "Moodle", True)]
    with app.app_context():
        record = db.session.scalar(sa.select(CpdRecord).where(CpdRecord.member_id == member.id))
        assert (record.started_on, record.source_statement_id, record.formal) == (date(2026, 3, 4), statement_id, True)
    mismatch = client.put(f"/api/v1/xapi/statements?statementId={uuid.uuid4()}",
                          json={**completion("ada@example.org"), "id": statement_id}, headers=basic(key, secret))
    assert mismatch.status_code == 400


def test_a_void_that_arrives_before_its_statement_still_voids_it(client, app, create_member):
    member = create_member(email="ada@example.org")
    key, secret = new_client(app)
    later = str(uuid.uuid4())
    void = {"actor": {"mbox": "mailto:lms@example.org"}, "verb": {"id": VOIDED},
            "object": {"objectType": "StatementRef", "id": later}}
    assert client.post("/api/v1/xapi/statements", json=void, headers=basic(key, secret)).status_code == 200
    arrived = client.post("/api/v1/xapi/statements", json={**completion("ada@example.org"), "id": later},
                          headers=basic(key, secret))
    assert arrived.status_code == 200 and arrived.get_json() == [later]
    assert records_of(app, member.id) == []


def test_staff_never_match_their_own_learning(client, app, create_staff, auth_headers):
    staff = create_staff(email="staff@example.org")
    key, secret = new_client(app)
    client.post("/api/v1/xapi/statements", json=completion("s.taff@home.example"), headers=basic(key, secret))
    waiting = client.get("/api/v1/xapi/unmatched?q=taff", headers=auth_headers(staff)).get_json()["items"]
    assert len(waiting) == 1
    refused = client.post(f"/api/v1/xapi/unmatched/{waiting[0]['id']}/match", json={"member_id": staff.id},
                          headers=auth_headers(staff))
    assert refused.status_code == 403
    assert records_of(app, staff.id) == []


def test_the_member_sees_where_a_record_came_from_and_writes_its_reflection(client, app, create_member, sign_in,
                                                                            form_post):
    member = create_member(email="ada@example.org")
    key, secret = new_client(app, "Moodle")
    client.post("/api/v1/xapi/statements", json=completion("ada@example.org", name="Fire safety"),
                headers=basic(key, secret))
    with app.app_context():
        record_id = db.session.scalar(sa.select(CpdRecord.id).where(CpdRecord.member_id == member.id))
    sign_in(member)
    page = client.get(f"/cpd/{record_id}").get_data(as_text=True)
    assert "Yes: completed in Moodle" in page and "Recorded from" in page and "Fire safety" in page
    assert "from Moodle" in client.get("/cpd/").get_data(as_text=True)
    form = client.get(f"/cpd/{record_id}/edit").get_data(as_text=True)
    assert "This record comes from Moodle, where you completed" in form


def test_erasure_removes_the_statements_about_a_member(client, app, create_member, auth_headers):
    member = create_member(email="ada@example.org")
    key, secret = new_client(app)
    client.post("/api/v1/xapi/statements", json=completion("ada@example.org"), headers=basic(key, secret))
    export = client.get("/api/v1/me/export", headers=auth_headers(member))
    assert export.status_code == 200
    assert client.delete("/api/v1/me", headers=auth_headers(member)).status_code in (200, 204)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(XapiStatement)) == 0


def test_flask_xapi_pull_reads_ralph_from_where_it_stopped(app, tmp_path, create_member):
    member = create_member(email="ada@example.org")
    ralph = start_ralph(tmp_path / "ralph", {"moodle": "ralph-secret"})
    try:
        lrs = RemoteLRS(endpoint=f"{ralph.base}/xAPI/", username="moodle", password="ralph-secret", version="1.0.3")
        first = tincan_statement(email="ada@example.org", name="Pressure systems",
                                 result=Result(completion=True, duration="PT1H"))
        other_verb = tincan_statement(email="ada@example.org", name="Browsing",
                                      verb="http://adlnet.gov/expapi/verbs/experienced")
        assert lrs.save_statements([first, other_verb]).success
        runner = app.test_cli_runner()
        settings = {"LRS_URL": f"{ralph.base}/xAPI/", "LRS_KEY": "moodle", "LRS_SECRET": "ralph-secret"}
        app.config.update(settings)
        try:
            pulled = runner.invoke(args=["xapi", "pull"])
            assert pulled.exit_code == 0, pulled.output
            assert "1 statements taken" in pulled.output
            assert records_of(app, member.id) == [("Pressure systems", "1.00", "127.0.0.1", True)]

            again = runner.invoke(args=["xapi", "pull"])
            assert again.exit_code == 0 and "0 statements taken" in again.output, again.output

            second = tincan_statement(email="ada@example.org", name="Lifting operations",
                                      result=Result(completion=True, duration="PT30M"))
            saved = lrs.save_statements([second])
            assert saved.success, (saved.response.status, saved.data)
            voiding = Statement(actor=Agent(mbox="mailto:moodle@lrs.example.org"), verb=Verb(id=VOIDED),
                                object=StatementRef(id=first.id))
            assert lrs.save_statement(voiding).success
            third = runner.invoke(args=["xapi", "pull"])
            assert third.exit_code == 0, third.output
            assert [title for title, *_ in records_of(app, member.id)] == ["Lifting operations"]

            app.config["LRS_SECRET"] = "wrong"
            refused = runner.invoke(args=["xapi", "pull"])
            assert refused.exit_code == 1 and "401" in refused.output
        finally:
            for name in settings:
                app.config[name] = ""
    finally:
        ralph.stop()


def test_flask_xapi_clients_create_prints_the_secret_once(app):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["xapi", "clients", "create", "Totara"])
    assert made.exit_code == 0, made.output
    key = made.output.split("key: ")[1].split()[0]
    secret = made.output.split("secret: ")[1].split()[0]
    with app.app_context():
        assert xapi.client_for(basic(key, secret)["Authorization"]).name == "Totara"
        assert xapi.client_for(basic(key, "guess")["Authorization"]) is None
    twice = runner.invoke(args=["xapi", "clients", "create", "Totara"])
    assert twice.exit_code == 1 and "already" in twice.output
