"""The strategy's measures checked against a small year counted by hand."""
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa

from cpd.events.models import Feedback
from cpd.extensions import db
from cpd.metrics import measures
from cpd.sigs.models import OutreachReach, SigMembership

YEAR = 2025


def at(day, hour=10):
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc).replace(hour=hour)


@pytest.fixture
def year_of_activity(app, create_member, create_staff, create_event, create_booking, create_record, create_sig):
    """Three members of the body (A, B, C), a non-member N, staff S, and D who joined after the year."""
    joined = at(date(2025, 1, 1))
    a = create_member(grade="member", discipline="engineering", career_stage="technician", sector="industry",
                      is_ambassador=True, cpd_policy="iet", created_at=joined,
                      registrations=[("CEng", date(2025, 5, 1))])
    b = create_member(grade="fellow", discipline="science", career_stage="manager", sector="academia",
                      created_at=joined, registrations=[("CSci", date(2019, 3, 1))])
    c = create_member(grade="associate", discipline="digital", career_stage="student", sector="education",
                      created_at=joined, registrations=[("EngTech", date(2026, 1, 10))])
    n = create_member(grade=None, created_at=joined)
    create_staff(created_at=joined)
    create_member(grade="member", discipline="science", created_at=at(date(2026, 2, 1)))

    e0 = create_event(kind="course", starts_at=at(date(2024, 11, 5)))
    e1 = create_event(kind="course", starts_at=at(date(2025, 3, 10)))
    e2 = create_event(kind="conference", starts_at=at(date(2025, 6, 10)))
    sig = create_sig()
    e3 = create_event(kind="sig_session", sig_id=sig.id, starts_at=at(date(2025, 9, 10)))
    e4 = create_event(kind="outreach", sig_id=sig.id, starts_at=at(date(2025, 10, 10)))
    for member, event, attended in ((a, e1, True), (a, e2, True), (b, e2, True), (b, e1, False), (n, e1, True),
                                    (c, e3, True), (b, e3, True), (a, e0, True)):
        create_booking(member, event, attended=attended)
    create_booking(c, e2, status="cancelled")

    create_record(a, activity_type="work_based", started_on=date(2025, 2, 1), hours=20)
    create_record(a, activity_type="formal_educational", started_on=date(2025, 4, 1), hours=10)
    create_record(b, activity_type="self_directed", started_on=date(2025, 7, 1), hours=10)
    create_record(c, activity_type="other", started_on=date(2025, 8, 1), hours=5)
    create_record(n, activity_type="other", started_on=date(2025, 8, 2), hours=4)
    create_record(a, activity_type="other", started_on=date(2024, 8, 2), hours=7)

    with app.app_context():
        db.session.add_all([
            SigMembership(sig_id=sig.id, member_id=b.id, joined_at=at(date(2025, 2, 1))),
            SigMembership(sig_id=sig.id, member_id=c.id, joined_at=at(date(2025, 2, 1))),
            OutreachReach(event_id=e4.id, young_people=50, parents=10, teachers=3),
            Feedback(event_id=e1.id, member_id=a.id, rating=5),
            Feedback(event_id=e1.id, member_id=n.id, rating=3),
            Feedback(event_id=e2.id, member_id=b.id, rating=4),
            Feedback(event_id=e0.id, member_id=a.id, rating=1),
        ])
        db.session.commit()


def test_the_year_counted_by_hand(app, year_of_activity):
    with app.app_context():
        figures = measures.kpis(YEAR).as_dict()
    assert figures["year"] == YEAR
    assert figures["registrations"] == {"awarded": {"CEng": 1}, "held": {"CEng": 1, "CSci": 1}}
    assert figures["training"] == {"members_engaged": 2, "non_members_engaged": 1, "share_of_members": 0.6667,
                                   "with_publications": {"members_engaged": 2, "non_members_engaged": 1}}
    assert figures["cpd"] == {"hours_logged": 49.0, "members_meeting_policy": 1, "share_meeting_policy": 0.3333}
    assert figures["membership"] == {
        "by_discipline": {"engineering": 1, "science": 1, "digital": 1},
        "by_sector": {"industry": 1, "academia": 1, "education": 1},
        "by_career_stage": {"technician": 1, "manager": 1, "student": 1},
        "by_grade": {"member": 1, "fellow": 1, "associate": 1},
    }
    assert figures["outreach"] == {"young_people": 50, "parents": 10, "teachers": 3}
    assert figures["engagement"] == {"conference_attendances": 2, "sig_attendances": 2, "sig_members": 2,
                                     "government": 0, "government_by_topic": {}}
    assert figures["recognition"] == {"fellows": 1, "ambassadors": 1, "technical_supporters": 0}
    assert (figures["satisfaction"]["average_rating"], figures["satisfaction"]["responses"]) == (4.0, 3)
    assert figures["satisfaction"]["by_kind"]["course"] == {"average_rating": 4.0, "responses": 2}
    assert figures["membership_engagement"]["by_discipline"] == {"engineering": 1, "science": 1, "digital": 1}


def test_the_api_gives_the_same_figures_to_staff_only(client, app, year_of_activity, create_staff, create_member,
                                                      auth_headers):
    staff = auth_headers(create_staff())
    response = client.get(f"/api/v1/metrics/kpis?year={YEAR}", headers=staff)
    assert response.status_code == 200
    body = response.get_json()
    assert body["training"]["members_engaged"] == 2 and body["cpd"]["hours_logged"] == 49.0
    assert "training" in body["explanations"]
    assert client.get(f"/api/v1/metrics/kpis?year={YEAR}", headers=auth_headers(create_member())).status_code == 403
    assert client.get(f"/api/v1/metrics/kpis?year={YEAR}").status_code == 401
    outside = client.get("/api/v1/metrics/kpis?year=1990", headers=staff)
    assert outside.status_code == 422 and "We hold figures from 2024" in outside.get_json()["message"]
    assert client.get("/api/v1/metrics/kpis?year=soon", headers=staff).status_code == 422
    assert client.get("/api/v1/metrics/kpis", headers=staff).status_code == 422


def test_the_measures_cost_the_same_queries_whatever_the_size(app, year_of_activity, create_member, create_record,
                                                              count_queries):
    with app.app_context():
        with count_queries() as small:
            measures.compute_kpis(YEAR)
    for number in range(30):
        member = create_member(grade="member", created_at=at(date(2025, 1, 2)), discipline="science")
        create_record(member, started_on=date(2025, 3, 3), hours=number + 1)
    with app.app_context():
        with count_queries() as large:
            measures.compute_kpis(YEAR)
    assert len(small) == len(large) <= 32  # one each; the partners measure (organisations, mentoring) is the 32nd
    assert all("GROUP BY" in q or "count(" in q.lower() or "sum(" in q.lower() or "min(" in q.lower()
               or "cpd_policies" in q or "FROM cpd_exemptions" in q or "DISTINCT events.timezone" in q for q in large), large


def test_the_dashboard_explains_each_figure_and_draws_its_charts(client, year_of_activity, create_staff, sign_in):
    sign_in(create_staff())
    html = client.get(f"/staff/figures?year={YEAR}").get_data(as_text=True)
    assert html.count("data:image/svg+xml") == 5  # four for the year, one for the trend
    assert "2 members · 1 non-members" in html and "Hours of CPD anyone logged in the year" in html
    assert client.get("/staff/figures?year=1990").status_code == 422


def test_feedback_once_by_an_attendee(client, app, create_event, create_member, create_booking, auth_headers):
    from datetime import timedelta

    from cpd.core.models import utcnow

    event = create_event(starts_at=utcnow() - timedelta(days=1))
    attendee, stranger = create_member(), create_member()
    create_booking(attendee, event, attended=True)
    url = f"/api/v1/events/{event.id}/feedback"
    assert client.post(url, headers=auth_headers(attendee), json={"rating": 6}).status_code == 422
    given = client.post(url, headers=auth_headers(attendee), json={"rating": 5, "comment": "Superb"})
    assert given.status_code == 201 and given.get_json()["rating"] == 5
    assert client.post(url, headers=auth_headers(attendee), json={"rating": 4}).status_code == 409
    assert client.post(url, headers=auth_headers(stranger), json={"rating": 4}).status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Feedback)) == 1


def test_hours_logged_in_a_year_count_a_record_by_its_days_inside_it(app, create_member, create_record):
    # A 4-day course from 30 Dec 2025 to 2 Jan 2026, 8 h: 2 days (4 h) in 2025, 2 days (4 h) in 2026,
    # as the member's own summary counts it; a record wholly inside 2025 adds its 3 h there.
    person = create_member(grade="member", created_at=at(date(2024, 1, 1)))
    create_record(person, activity_type="formal_educational", started_on=date(2025, 12, 30),
                  ended_on=date(2026, 1, 2), hours=8)
    create_record(person, activity_type="work_based", started_on=date(2025, 6, 2), hours=3)
    with app.app_context():
        assert measures.compute_kpis(2025).cpd["hours_logged"] == 7.0
        assert measures.compute_kpis(2026).cpd["hours_logged"] == 4.0
        assert measures.cpd_hours_by_type(2025)["formal_educational"] == 4.0
        assert measures.cpd_hours_by_type(2026)["formal_educational"] == 4.0
