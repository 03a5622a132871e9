"""Figures that hold for any past year: membership, grades, registrations and SIG membership are
dated facts, one definition of "a member of the body" serves every figure, and years are cut in
each event's own time zone."""
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members.models import Member, ProfessionalRegistration
from cpd.metrics import measures
from cpd.sigs.models import Sig, SigMembership
from tests.metrics.test_kpis import YEAR, at, year_of_activity  # noqa: F401 (a fixture)


def _member_id(app, **where):
    with app.app_context():
        return db.session.scalar(sa.select(Member.id).filter_by(**where))


def test_a_past_year_never_moves_whatever_happens_today(client, app, year_of_activity, create_staff, auth_headers):
    with app.app_context():
        before = measures.kpis(YEAR).as_dict()
    staff = auth_headers(create_staff())
    a, b, c = (_member_id(app, grade=g, role="member", discipline=d) for g, d in
               (("member", "engineering"), ("fellow", "science"), ("associate", "digital")))
    today = utcnow().date()

    # Promoted today, left the body today, a registration lapsed today, erased, left a SIG today.
    assert client.patch(f"/api/v1/members/{c}", headers=staff, json={"grade": "fellow"}).status_code == 200
    assert client.patch(f"/api/v1/members/{a}", headers=staff, json={"left_on": today.isoformat()}).status_code == 200
    with app.app_context():
        db.session.execute(sa.update(ProfessionalRegistration).where(ProfessionalRegistration.member_id == b)
                           .values(lapsed_on=today))
        sig_id = db.session.scalar(sa.select(Sig.id))
        db.session.commit()
    c_token = auth_headers(db_member(app, c))
    assert client.delete(f"/api/v1/sigs/{sig_id}/members/me", headers=c_token).status_code == 204
    assert client.post(f"/api/v1/members/{b}/erase", headers=staff).status_code == 200

    with app.app_context():
        after = measures.kpis(YEAR).as_dict()
        this_year = measures.kpis(today.year).as_dict()
        kept = db.session.scalar(sa.select(SigMembership.left_at).where(SigMembership.member_id == c))
    assert after == before
    assert kept is not None  # the SIG membership is kept, ended
    # Today's figures see today's facts: A has left, C is a fellow, B's CSci has lapsed.
    assert this_year["membership"]["by_grade"] == {"fellow": 2, "member": 1}
    assert "CSci" not in this_year["registrations"]["held"]


def test_a_profile_changed_today_never_moves_a_past_years_figures(client, app, year_of_activity, create_staff,
                                                                 auth_headers):
    # A followed the IET's guidance in 2025 and was on track; today A switches to Engineers Ireland
    # (35 h, which A's 2025 log does not meet), and changes discipline, sector and career stage.
    from cpd.records import services

    with app.app_context():
        before = measures.compute_kpis(YEAR).as_dict()
    assert app.test_cli_runner().invoke(args=["metrics", "close"]).exit_code == 0
    staff = auth_headers(create_staff())
    a = _member_id(app, grade="member", role="member", discipline="engineering")
    changed = client.patch(f"/api/v1/members/{a}", headers=staff, json={
        "cpd_policy": "engineers_ireland", "discipline": "digital", "sector": "public_sector",
        "career_stage": "manager", "areas_of_practice": ["civil", "mechanical"]})
    assert changed.status_code == 200
    # Changed again the same day: a correction, nothing more kept.
    assert client.patch(f"/api/v1/members/{a}", headers=staff, json={"career_stage": "senior_leader"}).status_code == 200
    with app.app_context():
        after = measures.compute_kpis(YEAR).as_dict()
        this_year = measures.compute_kpis(utcnow().year).as_dict()
        member = db.session.get(Member, a)
        judged = (services.summary_for(member, None, date(YEAR, 12, 31)).policy, services.summary_for(member).policy)
        from cpd.members.models import ProfilePeriod

        kept = sorted((p.field, p.value) for p in db.session.scalars(sa.select(ProfilePeriod)))
    assert after == before
    assert judged == ("iet", "engineers_ireland")
    assert kept == [("areas_of_practice", None), ("career_stage", "technician"), ("cpd_policy", "iet"),
                    ("discipline", "engineering"), ("sector", "industry")]
    assert this_year["membership"]["by_discipline"].get("digital", 0) >= 1
    check = app.test_cli_runner().invoke(args=["metrics", "recount", "--check"])
    assert check.exit_code == 0, check.output


def db_member(app, member_id):
    with app.app_context():
        member = db.session.get(Member, member_id)
        db.session.expunge(member)
        return member


def test_a_grade_has_a_history_and_a_past_promotion_counts_from_its_day(client, app, create_member, create_staff,
                                                                         auth_headers):
    staff = auth_headers(create_staff())
    member = create_member(grade="member", created_at=at(date(2024, 1, 8)))
    url = f"/api/v1/members/{member.id}"
    promoted = client.patch(url, headers=staff, json={"grade": "fellow", "grade_since": "2025-07-01"})
    assert promoted.status_code == 200
    body = promoted.get_json()
    assert (body["joined_on"], body["grade_since"], body["left_on"]) == ("2024-01-08", "2025-07-01", None)
    assert body["grade_history"] == [{"grade": "member", "since": "2024-01-08", "until": "2025-06-30"},
                                     {"grade": "fellow", "since": "2025-07-01", "until": None}]
    with app.app_context():
        assert measures.kpis(2024).as_dict()["membership"]["by_grade"] == {"member": 1}
        assert measures.kpis(2025).as_dict()["recognition"]["fellows"] == 1


def test_bad_history_is_refused_naming_the_field_and_nothing_is_written(client, app, create_member, create_staff,
                                                                        auth_headers):
    staff = auth_headers(create_staff())
    member = create_member(grade="member", created_at=at(date(2024, 1, 8)), full_name="Ada Lovelace")
    url = f"/api/v1/members/{member.id}"
    tomorrow = (utcnow().date() + timedelta(days=1)).isoformat()
    cases = [
        ({"grade": "fellow", "grade_since": tomorrow}, "grade_since", "Must not be in the future"),
        ({"grade": "fellow", "grade_since": "2023-12-31"}, "grade_since", "Must not be before the member joined"),
        ({"left_on": "2023-06-01"}, "left_on", "Must not be before the member joined (8 Jan 2024)."),
        ({"grade_since": "2025-01-01"}, "grade_since", "Give the grade it applies to as well."),
    ]
    for change, field, words in cases:
        response = client.patch(url, headers=staff, json={"full_name": "Changed Name", **change})
        assert response.status_code == 422, change
        assert words in response.get_json()["errors"][field][0]
    body = client.get(url, headers=staff).get_json()
    assert (body["full_name"], body["grade"], body["left_on"]) == ("Ada Lovelace", "member", None)
    assert client.patch(url, headers=auth_headers(member), json={"left_on": "2025-01-01"}).status_code == 403


def test_an_auckland_new_year_lecture_counts_in_the_new_year(app, create_member, create_event, create_booking):
    # 00:30 on 1 January 2026 in Auckland is 11:30 on 31 December 2025 in UTC.
    member = create_member(grade="member", created_at=at(date(2024, 1, 8)))
    starts = datetime(2026, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=13))).astimezone(timezone.utc)
    lecture = create_event(kind="conference", timezone="Pacific/Auckland", starts_at=starts)
    create_booking(member, lecture, attended=True)
    with app.app_context():
        assert measures.kpis(2025).as_dict()["engagement"]["conference_attendances"] == 0
        assert measures.kpis(2026).as_dict()["engagement"]["conference_attendances"] == 1
        assert measures.kpis(2026).as_dict()["training"]["members_engaged"] == 1


def test_people_without_a_grade_are_not_counted_as_members(app, create_member, create_sig):
    graded = create_member(grade="member", created_at=at(date(2024, 1, 8)),
                           registrations=[("CEng", date(2025, 3, 1))])
    individual = create_member(grade=None, created_at=at(date(2024, 1, 8)),
                               registrations=[("CSci", date(2025, 3, 1))])
    sig = create_sig()
    with app.app_context():
        db.session.add_all([SigMembership(sig_id=sig.id, member_id=m.id, joined_at=at(date(2025, 2, 1)))
                            for m in (graded, individual)])
        db.session.commit()
        figures = measures.kpis(2025).as_dict()
    assert figures["registrations"] == {"awarded": {"CEng": 1}, "held": {"CEng": 1}}
    assert figures["engagement"]["sig_members"] == 1


def test_leaving_a_sig_keeps_the_membership_and_rejoining_starts_another(client, app, create_member, create_sig,
                                                                          auth_headers):
    member = create_member(grade="member")
    sig = create_sig()
    headers = auth_headers(member)
    assert client.post(f"/api/v1/sigs/{sig.id}/members", headers=headers).status_code == 201
    assert client.delete(f"/api/v1/sigs/{sig.id}/members/me", headers=headers).status_code == 204
    assert client.get(f"/api/v1/sigs/{sig.id}").get_json()["member_count"] == 0
    assert client.delete(f"/api/v1/sigs/{sig.id}/members/me", headers=headers).status_code == 404
    assert client.post(f"/api/v1/sigs/{sig.id}/members", headers=headers).status_code == 201
    assert client.post(f"/api/v1/sigs/{sig.id}/members", headers=headers).status_code == 409
    with app.app_context():
        periods = db.session.execute(sa.select(SigMembership.left_at).where(SigMembership.member_id == member.id)
                                     .order_by(SigMembership.id)).scalars().all()
    assert len(periods) == 2 and periods[0] is not None and periods[1] is None
    assert client.get(f"/api/v1/sigs/{sig.id}").get_json()["member_count"] == 1


def test_equality_answers_changed_or_withdrawn_today_keep_a_past_years_counts(client, app, create_member,
                                                                             create_staff, auth_headers):
    # Ten members of the body answered in March 2025: five women, five men. Today one woman changes her
    # answer, one withdraws consent, one is erased, and the same answers given again change nothing.
    from cpd.members.models import EqualityAnswers

    people = [create_member(grade="member", created_at=at(date(YEAR, 1, 8))) for _ in range(10)]
    with app.app_context():
        for person, gender in zip(people, ["woman"] * 5 + ["man"] * 5):
            db.session.add(EqualityAnswers(member_id=person.id, gender=gender, age_band="25_34",
                                           recorded_on=date(YEAR, 3, 1)))
        db.session.commit()
        before = measures.compute_kpis(YEAR).as_dict()["diversity"]
    assert before["gender"] == {"woman": 5, "man": 5}
    assert before["age_band"] == {"25_34": 10}
    assert app.test_cli_runner().invoke(args=["metrics", "close"]).exit_code == 0

    changer, withdrawer, erased, repeater = (auth_headers(person) for person in people[:4])
    answer = {"consent": True, "gender": "non_binary", "age_band": "25_34"}
    assert client.put("/api/v1/me/equality", headers=changer, json=answer).status_code == 200
    assert client.put("/api/v1/me/equality", headers=withdrawer, json={"consent": False}).get_json()["consent"] is False
    assert client.post(f"/api/v1/members/{people[2].id}/erase",
                       headers=auth_headers(create_staff())).status_code == 200
    same = client.put("/api/v1/me/equality", headers=repeater,
                      json={"consent": True, "gender": "woman", "age_band": "25_34"})
    assert same.status_code == 200

    with app.app_context():
        after = measures.compute_kpis(YEAR).as_dict()["diversity"]
        this_year = measures.compute_kpis(utcnow().year).as_dict()["diversity"]
        kept = db.session.scalars(sa.select(EqualityAnswers.member_id)).all()
        repeated_on = db.session.get(EqualityAnswers, people[3].id).recorded_on
    assert after == before
    # Today: eight still answer, two women (fewer than five: hidden) and the changed answer among them.
    assert this_year["age_band"] == {"25_34": 8}
    assert this_year["gender"]["woman"] is None and "non_binary" in this_year["gender"]
    assert sorted(kept) == sorted(person.id for person in people if person not in people[1:3])
    assert repeated_on == date(YEAR, 3, 1)
    check = app.test_cli_runner().invoke(args=["metrics", "recount", "--check"])
    assert check.exit_code == 0, check.output
