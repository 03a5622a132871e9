"""Each member's stored CPD standing (cpd.records.standings): restated in the transaction of every
kind of change to what it reads, measured again for everyone by the daily round, proven equal to a
recomputation by `flask metrics standings --check`, and what this year's figures count."""
import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members.models import Member
from cpd.records import standings, verified
from cpd.records.compliance import members_on_track
from cpd.records.models import CpdPolicy, CpdRecord, CpdStanding, StandingsRound

TODAY = utcnow().date()
FIRST_OF_YEAR = date(TODAY.year, 1, 1)
END_OF_JANUARY = min(date(TODAY.year, 1, 31), TODAY)  # room for a course's hours (24 a day at most)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def activity(hours, **fields):
    return {"title": "Bridge inspection course", "activity_type": "formal_educational",
            "started_on": FIRST_OF_YEAR.isoformat(), "ended_on": END_OF_JANUARY.isoformat(), "hours": hours,
            "learning": "Reading load tests", "benefit_to_practice": "I assess bridges myself now", **fields}


def check(app):
    result = app.test_cli_runner().invoke(args=["metrics", "standings", "--check"])
    return result.exit_code, result.output


def stored(app, member_id):
    with app.app_context():
        row = db.session.get(CpdStanding, member_id)
        return None if row is None else (row.policy_code, row.on_track, float(row.counted), row.short, row.as_of)


def this_years_cpd_figures(client, headers):
    return client.get(f"/api/v1/metrics/kpis?year={TODAY.year}", headers=headers).get_json()["cpd"]


def live_count(app):
    """The same figure measured from every log, as before standings were stored."""
    from cpd.members.history import member_of_body_on

    with app.app_context():
        return members_on_track(TODAY, member_of_body_on(TODAY))


def test_a_standing_follows_each_change_to_the_log_and_the_policy(client, app, create_member, create_staff,
                                                                  auth_headers):
    member = create_member(grade="member", cpd_policy="engineers_ireland")  # 35 hours a calendar year
    headers, staff = auth_headers(member), auth_headers(create_staff())
    assert stored(app, member.id) is None  # nothing logged: an empty log's standing, not stored

    first = client.post("/api/v1/me/cpd-records", headers=headers, json=activity(20)).get_json()
    assert stored(app, member.id) == ("engineers_ireland", False, 20.0, 1, TODAY)
    assert check(app)[0] == 0
    assert this_years_cpd_figures(client, staff)["members_meeting_policy"] == 0

    client.patch(f"/api/v1/me/cpd-records/{first['id']}", headers=headers, json={"hours": 35})
    assert stored(app, member.id)[:4] == ("engineers_ireland", True, 35.0, 0)
    figures = this_years_cpd_figures(client, staff)
    assert (figures["members_meeting_policy"], figures["standings_as_of"]) == (1, TODAY.isoformat())
    assert live_count(app) == 1

    # No reflection: Engineers Ireland counts it all the same; the hours are what move.
    second = client.post("/api/v1/me/cpd-records", headers=headers,
                         json=activity(4, learning="", benefit_to_practice="")).get_json()
    assert stored(app, member.id)[:4] == ("engineers_ireland", True, 39.0, 0)
    assert client.delete(f"/api/v1/me/cpd-records/{first['id']}", headers=headers).status_code == 204
    assert stored(app, member.id)[:4] == ("engineers_ireland", False, 4.0, 1)

    # The Science Council asks for three types, each reflected on: a new policy, judged at once.
    assert client.patch("/api/v1/me", headers=headers, json={"cpd_policy": "science_council"}).status_code == 200
    policy, on_track, counted, short, _ = stored(app, member.id)
    assert (policy, on_track, counted) == ("science_council", False, 4.0) and short == 2  # types and reflection
    assert client.delete(f"/api/v1/me/cpd-records/{second['id']}", headers=headers).status_code == 204
    assert check(app) == (0, "Every stored standing agrees with a recomputation "
                             f"(round of {TODAY.isoformat()}).\n")
    assert this_years_cpd_figures(client, staff)["members_meeting_policy"] == live_count(app) == 0


def test_a_change_not_committed_leaves_the_standing_as_it_was(app, create_member):
    member = create_member(grade="member", cpd_policy="engineers_ireland")
    with app.app_context():
        db.session.add(CpdRecord(member_id=member.id, title="Never kept", activity_type="work_based",
                                 started_on=FIRST_OF_YEAR, ended_on=END_OF_JANUARY, hours=Decimal(40)))
        db.session.flush()
        db.session.rollback()
        db.session.commit()
    assert stored(app, member.id) is None


def test_evidence_exemptions_topics_and_practice_restate_the_standing(client, app, create_member, create_staff,
                                                                     auth_headers):
    # ACCA: 40 units, 21 of them verifiable, and a claim is verifiable only with its evidence.
    accountant = create_member(grade="member", cpd_policy="acca")
    headers = auth_headers(accountant)
    claimed = client.post("/api/v1/me/cpd-records", headers=headers,
                          json=activity(40, verifiable=True)).get_json()
    assert stored(app, accountant.id)[1:4] == (False, 40.0, 1)
    uploaded = client.post(f"/api/v1/me/cpd-records/{claimed['id']}/evidence", headers=headers,
                           data={"file": (__import__("io").BytesIO(PDF), "certificate.pdf")})
    assert uploaded.status_code == 201
    assert stored(app, accountant.id)[1:4] == (True, 40.0, 0)
    evidence_url = f"/api/v1/me/cpd-records/{claimed['id']}/evidence/{uploaded.get_json()['id']}"
    assert client.delete(evidence_url, headers=headers).status_code == 204
    assert stored(app, accountant.id)[1] is False

    # A whole year's exemption leaves nothing required of a member who logged nothing.
    resting = create_member(grade="member", cpd_policy="engineers_ireland")
    granted = client.post(f"/api/v1/members/{resting.id}/cpd-exemptions", headers=auth_headers(create_staff()),
                          json={"kind": "illness", "starts_on": FIRST_OF_YEAR.isoformat(),
                                "ends_on": date(TODAY.year, 12, 31).isoformat()})
    assert granted.status_code == 201
    assert stored(app, resting.id)[1:4] == (True, 0.0, 0)

    # Engineers Australia: topics on the records, and an academic's industry involvement.
    engineer = create_member(grade="member", cpd_policy="engineers_australia", sector="industry")
    headers = auth_headers(engineer)
    made = client.post("/api/v1/me/cpd-records", headers=headers,
                       json=activity(150, topics=["area_of_practice", "risk_management"])).get_json()
    assert stored(app, engineer.id)[1:4] == (False, 150.0, 1)  # no business and management
    client.patch(f"/api/v1/me/cpd-records/{made['id']}", headers=headers,
                 json={"topics": ["area_of_practice", "risk_management", "business_management"]})
    assert stored(app, engineer.id)[1:4] == (True, 150.0, 0)
    assert client.patch("/api/v1/me", headers=headers, json={"sector": "academia"}).status_code == 200
    assert stored(app, engineer.id)[1:4] == (False, 150.0, 1)  # 40 hours of industry involvement now asked
    assert check(app)[0] == 0


def test_recorded_attendance_and_learning_from_elsewhere_restate_it(client, app, create_member, create_staff,
                                                                    create_event, create_booking, auth_headers):
    attendee = create_member(grade="member", cpd_policy="engineers_ireland")
    # Over before today, so all its 30 hours are days already passed (a record's hours spread over its
    # days, and days still to come count for nothing yet).
    starts = max(datetime(TODAY.year, 1, 1, 8, tzinfo=timezone.utc),
                 utcnow().replace(microsecond=0) - timedelta(days=4))
    event = create_event(starts_at=starts, hours=30)
    booking = create_booking(attendee, event)  # its id
    marked = client.put(f"/api/v1/events/{event.id}/attendance", headers=auth_headers(create_staff()),
                        json={"attended": [booking], "absent": []})
    assert marked.status_code == 200, marked.get_json()
    assert stored(app, attendee.id)[1:3] == (False, 30.0)
    with app.app_context():
        verified.record_learning_elsewhere(attendee.id, "5d2c2f2e-1f0a-4c39-9a8e-6a1a3c9f0b11", "Moodle",
                                           "Fatigue of steel", TODAY, Decimal(5))
        db.session.commit()
    assert stored(app, attendee.id)[1:3] == (True, 35.0)
    assert check(app)[0] == 0


def test_a_change_to_a_policys_rules_restates_everyone_following_it(app, create_member, create_record):
    with app.app_context():
        db.session.add(CpdPolicy(code="test_25", name="Twenty-five hours", period_kind="calendar_year",
                                 required_total=Decimal(25)))
        db.session.commit()
    members = [create_member(grade="member", cpd_policy="test_25") for _ in range(3)]
    for member, hours in zip(members, (20, 26, 30)):
        create_record(member, hours=hours, started_on=FIRST_OF_YEAR, ended_on=END_OF_JANUARY)
    assert [stored(app, m.id)[1] for m in members] == [False, True, True]
    with app.app_context():
        db.session.get(CpdPolicy, "test_25").required_total = Decimal(28)
        db.session.commit()
    assert [stored(app, m.id)[1] for m in members] == [False, False, True]
    assert check(app)[0] == 0


def test_a_tampered_standing_is_named_by_the_check_and_mended_by_a_round(app, create_member, create_record):
    member = create_member(grade="member", cpd_policy="engineers_ireland")
    create_record(member, hours=12, started_on=FIRST_OF_YEAR, ended_on=END_OF_JANUARY)
    with app.app_context():
        db.session.execute(sa.update(CpdStanding).where(CpdStanding.member_id == member.id)
                           .values(on_track=True, counted=Decimal(35), short=0))
        db.session.commit()
    code, output = check(app)
    assert code == 1
    assert output.splitlines() == [
        f"member {member.id}, as of {TODAY}: stored on track on engineers_ireland, 35.00 counted, "
        f"0 requirements short; recomputed short on engineers_ireland, 12.00 counted, 1 requirement short",
        "1 stored standing differ from a recomputation."]

    # A standing missing for a member whose log is not empty is a difference too.
    other = create_member(grade="member", cpd_policy="engineers_ireland")
    create_record(other, hours=3, started_on=FIRST_OF_YEAR, ended_on=END_OF_JANUARY)
    with app.app_context():
        db.session.execute(sa.delete(CpdStanding).where(CpdStanding.member_id == other.id))
        db.session.commit()
    code, output = check(app)
    assert code == 1 and f"member {other.id}, as of {TODAY}: no stored standing; recomputed short" in output

    mended = app.test_cli_runner().invoke(args=["metrics", "standings"])
    assert mended.exit_code == 0 and f"as of {TODAY.isoformat()}" in mended.output
    assert check(app)[0] == 0
    assert stored(app, member.id)[1:3] == (False, 12.0) and stored(app, other.id)[1:3] == (False, 3.0)


def test_the_daily_round_measures_everyone_again_as_the_window_moves(app, create_member, create_record):
    member = create_member(grade="member", cpd_policy="engineers_ireland")
    create_record(member, hours=36, started_on=FIRST_OF_YEAR, ended_on=END_OF_JANUARY)
    assert stored(app, member.id)[1] is True
    next_year = date(TODAY.year + 1, 6, 1)
    with app.app_context():
        assert standings.recompute_everyone(next_year) == 1
    assert stored(app, member.id) == ("engineers_ireland", False, 0.0, 1, next_year)  # a new year, nothing yet
    assert check(app)[0] == 0  # each standing recomputed as of its own day

    # A standing written since the round's day began stays: it is newer than the round's.
    fresh = create_member(grade="member", cpd_policy="engineers_ireland")
    create_record(fresh, hours=5, started_on=FIRST_OF_YEAR, ended_on=END_OF_JANUARY)
    with app.app_context():
        standings.recompute_everyone(TODAY - timedelta(days=1))
    assert stored(app, fresh.id)[4] == TODAY and stored(app, member.id)[4] == next_year
    with app.app_context():
        db.session.execute(sa.update(CpdStanding).values(as_of=FIRST_OF_YEAR))  # as an older round left them
        db.session.commit()
        standings.recompute_everyone(TODAY - timedelta(days=1))
    assert stored(app, fresh.id)[4] == stored(app, member.id)[4] == TODAY - timedelta(days=1)


def test_the_schedules_daily_round_notes_its_day(app, create_member, create_record):
    from cpd.operations import rounds

    member = create_member(grade="member", cpd_policy="engineers_ireland")
    create_record(member, hours=40, started_on=FIRST_OF_YEAR, ended_on=END_OF_JANUARY)
    with app.app_context():
        db.session.execute(sa.delete(StandingsRound))
        db.session.commit()
        rounds.daily(utcnow())
        assert db.session.execute(sa.select(StandingsRound.day, StandingsRound.members)).all() == [(TODAY, 1)]


def test_before_any_round_the_figures_measure_every_log(client, app, create_member, create_staff, create_record,
                                                        auth_headers):
    staff = auth_headers(create_staff(created_at=utcnow() - timedelta(days=400)))  # figures from last year on
    for hours in (40, 10):
        create_record(create_member(grade="member", cpd_policy="engineers_ireland"), hours=hours,
                      started_on=FIRST_OF_YEAR, ended_on=END_OF_JANUARY)
    with app.app_context():  # an upgraded database: logs kept before standings were
        db.session.execute(sa.delete(StandingsRound))
        db.session.execute(sa.delete(CpdStanding))
        db.session.commit()
    figures = this_years_cpd_figures(client, staff)
    assert (figures["members_meeting_policy"], figures["standings_as_of"]) == (1, None)
    assert app.test_cli_runner().invoke(args=["metrics", "standings"]).exit_code == 0
    figures = this_years_cpd_figures(client, staff)
    assert (figures["members_meeting_policy"], figures["standings_as_of"]) == (1, TODAY.isoformat())
    # A closed year is measured from the logs on its last day, as before.
    assert client.get(f"/api/v1/metrics/kpis?year={TODAY.year - 1}", headers=staff).get_json()["cpd"][
        "standings_as_of"] is None


def test_members_who_logged_nothing_count_as_an_empty_log_stands(client, app, create_member, create_staff,
                                                                 auth_headers):
    # The Science Council with nothing logged is short; so is everyone else here but the IET's
    # guidance, which an empty log is never on track for either: nobody counts.
    for policy in ("science_council", "engineers_ireland", "iet"):
        create_member(grade="member", cpd_policy=policy)
    with app.app_context():
        db.session.add(CpdPolicy(code="test_nothing", name="Nothing asked", period_kind="calendar_year"))
        db.session.commit()
    create_member(grade="member", cpd_policy="test_nothing")
    figures = this_years_cpd_figures(client, auth_headers(create_staff()))
    assert figures["members_meeting_policy"] == live_count(app) == 1


# --- several processes at once -----------------------------------------------------------------------

def test_two_transactions_adding_to_one_log_at_once_each_count_the_others_record(app, create_member):
    """A measures its member and, before it commits, B (with its own record) commits: B must wait
    for A and count A's record, not overwrite A's standing with one that misses it."""
    member = create_member(grade="member", cpd_policy="engineers_ireland")
    a_flushed, b_flushed, a_measured = threading.Event(), threading.Event(), threading.Event()

    def pause_once_measured(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO cpd_standings") and not a_measured.is_set():
            a_measured.set()
            time.sleep(0.5)  # B commits meanwhile

    def add(hours):
        db.session.add(CpdRecord(member_id=member.id, title=f"{hours} hours", activity_type="work_based",
                                 started_on=FIRST_OF_YEAR, ended_on=END_OF_JANUARY, hours=Decimal(hours)))
        db.session.flush()

    def a():
        with app.app_context():
            add(10)
            a_flushed.set()
            b_flushed.wait(timeout=2)  # on SQLite B cannot write before A commits
            sa.event.listen(db.session.connection(), "after_cursor_execute", pause_once_measured)
            db.session.commit()

    def b():
        with app.app_context():
            a_flushed.wait(timeout=10)
            add(7)
            b_flushed.set()
            a_measured.wait(timeout=10)
            db.session.commit()

    with ThreadPoolExecutor(max_workers=2) as pool:
        for done in [pool.submit(a), pool.submit(b)]:
            done.result(timeout=60)
    assert stored(app, member.id)[2] == 17.0
    assert check(app)[0] == 0


WRITERS = 32
MEMBERS = 2


def _send(method, url, headers, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method=method,
                                     headers={**headers, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@pytest.fixture
def gunicorn_server(database_url, serve_with_gunicorn):
    return serve_with_gunicorn(database_url, workers=4)


def test_a_rush_of_record_writes_from_several_processes_leaves_every_standing_right(
        app, gunicorn_server, create_member, auth_headers):
    members = [create_member(grade="member", cpd_policy="engineers_ireland") for _ in range(MEMBERS)]
    headers = [auth_headers(m) for m in members]
    barrier = threading.Barrier(WRITERS)
    url = f"{gunicorn_server}/api/v1/me/cpd-records"

    def write(n):
        # Sixteen writers per member at once, each adding a record and then changing its hours.
        barrier.wait()
        status, made = _send("POST", url, headers[n % MEMBERS], activity(1 + n % 3))
        changed, _ = _send("PATCH", f"{url}/{made['id']}", headers[n % MEMBERS], {"hours": 2 + n % 5})
        return status, changed

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        results = list(pool.map(write, range(WRITERS)))
    assert results == [(201, 200)] * WRITERS
    expected = {m.id: float(sum(2 + n % 5 for n in range(WRITERS) if n % MEMBERS == i)) for i, m in enumerate(members)}
    assert {m.id: stored(app, m.id)[2] for m in members} == expected
    assert check(app)[0] == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Member)) == MEMBERS
