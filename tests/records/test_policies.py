"""Worked examples for every shipped policy, edges included (a record spanning the period
start, a cap that trims a type, a rolling window), measured through the summary service."""
from datetime import date, datetime, timezone

import pytest

from cpd.extensions import db
from cpd.records import services
from cpd.records.models import CpdPolicy


@pytest.fixture
def member(app_ctx, create_member):
    return create_member(created_at=datetime(2020, 1, 6, tzinfo=timezone.utc))


def summary(member, policy, as_of):
    return services.summary_for(member, policy, as_of)


def test_science_council_needs_three_types_in_a_rolling_twelve_months_all_reflected(member, create_record):
    as_of = date(2026, 6, 30)
    create_record(member, activity_type="work_based", started_on=date(2025, 7, 1), hours=3)  # first day of the window
    create_record(member, activity_type="formal_educational", started_on=date(2026, 2, 1), hours=6)
    create_record(member, activity_type="other", started_on=date(2025, 6, 30), hours=5)  # the day before: outside
    result = summary(member, "science_council", as_of)
    assert (result.period_start, result.period_end) == (date(2025, 7, 1), date(2026, 6, 30))
    assert result.distinct_types == 2
    assert result.required is None
    assert result.shortfalls == ["1 more type of activity needed within the 12 months to 30 Jun 2026 (you have 2 of the 3 required)"]

    unreflected = create_record(member, activity_type="self_directed", started_on=date(2026, 3, 3), learning="")
    result = summary(member, "science_council", as_of)
    assert result.distinct_types == 3
    assert result.shortfalls == ["1 record needs a reflection (what you learned and its benefit)"]
    assert not result.compliant

    services.update_record(member, unreflected, {"learning": "Kanban for lab work", "benefit_to_users": "Faster results"})
    assert summary(member, "science_council", as_of).compliant


def test_iet_thirty_hours_a_calendar_year_with_a_record_spanning_new_year(member, create_record):
    create_record(member, started_on=date(2026, 2, 10), hours=12)
    create_record(member, started_on=date(2026, 5, 5), hours=10)
    result = summary(member, "iet", date(2026, 11, 22))
    assert result.total == 22
    assert result.shortfalls == ["8.0 more hours needed by 31 Dec 2026"]

    # 14 hours over 7 days, 29 Dec to 4 Jan: 3 days (6 h) fall in 2025 and 4 days (8 h) in 2026.
    create_record(member, started_on=date(2025, 12, 29), ended_on=date(2026, 1, 4), hours=14)
    this_year = summary(member, "iet", date(2026, 11, 22))
    assert this_year.total == 30 and this_year.compliant
    last_year = summary(member, "iet", date(2025, 12, 31))
    assert (last_year.period_start, last_year.total) == (date(2025, 1, 1), 6)
    assert last_year.shortfalls == ["24.0 more hours needed by 31 Dec 2025"]


def test_rics_twenty_hours_with_ten_of_formal_learning(member, create_record):
    create_record(member, activity_type="work_based", started_on=date(2026, 1, 20), hours=21)
    result = summary(member, "rics", date(2026, 6, 1))
    assert result.total == 21
    assert result.shortfalls == ["10.0 more hours of formal_educational needed by 31 Dec 2026"]
    create_record(member, activity_type="formal_educational", started_on=date(2026, 4, 2), hours=6)
    assert summary(member, "rics", date(2026, 6, 1)).shortfalls == [
        "4.0 more hours of formal_educational needed by 31 Dec 2026"
    ]
    create_record(member, activity_type="formal_educational", started_on=date(2026, 4, 9), hours=4)
    assert summary(member, "rics", date(2026, 6, 1)).compliant


def test_engineers_ireland_thirty_five_hours_to_the_half_hour(member, create_record):
    create_record(member, activity_type="work_based", started_on=date(2026, 3, 1), hours=34.5)
    assert summary(member, "engineers_ireland", date(2026, 9, 1)).shortfalls == ["0.5 more hours needed by 31 Dec 2026"]
    create_record(member, activity_type="other", started_on=date(2026, 3, 2), hours=0.5)
    assert summary(member, "engineers_ireland", date(2026, 9, 1)).compliant


def test_engineers_australia_150_hours_over_a_rolling_36_months_with_self_study_capped(member, create_record):
    as_of = date(2026, 11, 22)
    create_record(member, activity_type="self_directed", started_on=date(2025, 5, 1), hours=80)
    create_record(member, activity_type="formal_educational", started_on=date(2024, 9, 1), hours=60)
    create_record(member, activity_type="work_based", started_on=date(2023, 11, 23), hours=30)  # first day counts
    create_record(member, activity_type="work_based", started_on=date(2023, 11, 22), hours=20)  # a day too early
    result = summary(member, "engineers_australia", as_of)
    assert (result.period_start, result.period_end) == (date(2023, 11, 23), date(2026, 11, 22))
    assert result.by_activity_type["self_directed"] == 80
    assert result.counted_by_activity_type["self_directed"] == 50
    assert (result.logged_total, result.total) == (170, 140)
    assert result.shortfalls == ["10.0 more hours needed within the 36 months to 22 Nov 2026"]


def test_acca_forty_hours_with_twenty_one_verified(member, create_record):
    create_record(member, activity_type="self_directed", started_on=date(2026, 2, 2), hours=45)
    services.record_attendance(member.id, 101, "Audit standards course", "formal_educational",
                               date(2026, 3, 3), date(2026, 3, 4), 14)
    services.record_attendance(member.id, 102, "Ethics webinar", "formal_educational",
                               date(2026, 4, 4), date(2026, 4, 4), 6)
    result = summary(member, "acca", date(2026, 7, 1))
    assert (result.total, result.verified_total) == (65, 20)
    assert result.shortfalls == ["1.0 more hours of verified activity needed by 31 Dec 2026"]
    services.record_attendance(member.id, 103, "Tax update", "formal_educational", date(2026, 5, 5), date(2026, 5, 5), 1)
    assert summary(member, "acca", date(2026, 7, 1)).compliant


def test_a_points_policy_weighs_each_type(member, create_record):
    db.session.add(CpdPolicy(
        code="points_example", name="Points example", period_kind="calendar_year", unit="points",
        weights={"formal_educational": 2, "self_directed": 0.5}, required_total=10,
        type_minimums={}, type_maximums={}, reflection_required=False,
    ))
    db.session.flush()
    create_record(member, activity_type="formal_educational", started_on=date(2026, 1, 5), hours=3)
    create_record(member, activity_type="self_directed", started_on=date(2026, 1, 6), hours=4)
    result = summary(member, "points_example", date(2026, 2, 1))
    assert result.by_activity_type["formal_educational"] == 6
    assert result.by_activity_type["self_directed"] == 2
    assert result.shortfalls == ["2.0 more points needed by 31 Dec 2026"]


def test_the_member_policy_is_the_default_and_unknown_codes_are_404(member, create_record):
    assert summary(member, None, date(2026, 1, 1)).policy == "science_council"
    with pytest.raises(services.NotFound) as error:
        summary(member, "made_up", date(2026, 1, 1))
    assert "acca" in error.value.message and "science_council" in error.value.message


def test_someone_who_joined_today_is_not_told_they_are_short_today(app_ctx, create_member):
    from cpd.core.models import utcnow

    newcomer = create_member(cpd_policy="science_council")
    today = utcnow().date()
    result = summary(newcomer, "science_council", today)
    first_full_window = date(today.year + 1, today.month, today.day) if not (today.month == 2 and today.day == 29) \
        else date(today.year + 1, 3, 1)
    from datetime import timedelta
    assert result.shortfalls == [
        f"3 more types of activity needed by {first_full_window - timedelta(days=1):%-d %b %Y} "
        "(you have 0 of the 3 required)"]
    assert "today" not in " ".join(result.shortfalls)
