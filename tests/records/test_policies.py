"""Worked examples for every shipped policy, each computed by hand in its comment first, then
measured through the summary service: edges (a record spanning the period start or `as_of`, a
rolling window's first day), the rules as the bodies publish them (both benefits, formal hours,
topic minimums and windows, evidenced claims, guidance), exemptions, and rounding."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from cpd.members import policy_catalogue
from cpd.extensions import db
from cpd.records import exemptions, services, verified
from cpd.records.models import CpdPolicy, Evidence


@pytest.fixture
def member(app_ctx, create_member):
    return create_member(created_at=datetime(2020, 1, 6, tzinfo=timezone.utc))


@pytest.fixture
def staff(app_ctx, create_staff):
    return create_staff()


def summary(member, policy, as_of):
    return services.summary_for(member, policy, as_of)


def both_benefits(**fields):
    return {"learning": "Kanban for lab work", "benefit_to_practice": "Fewer delays",
            "benefit_to_users": "Results a day sooner", **fields}


# --- Science Council -----------------------------------------------------------------------

def test_science_council_needs_three_types_in_a_rolling_twelve_months(member, create_record):
    # Window on 30 Jun 2026: 1 Jul 2025 to 30 Jun 2026. Work-based on its first day counts, "other" the
    # day before does not: types = work-based + formal = 2 of 3.
    as_of = date(2026, 6, 30)
    create_record(member, activity_type="work_based", started_on=date(2025, 7, 1), hours=3, **both_benefits())
    create_record(member, activity_type="formal_educational", started_on=date(2026, 2, 1), hours=6, **both_benefits())
    create_record(member, activity_type="other", started_on=date(2025, 6, 30), hours=5, **both_benefits())
    result = summary(member, "science_council", as_of)
    assert (result.period_start, result.period_end) == (date(2025, 7, 1), date(2026, 6, 30))
    assert (result.distinct_types, result.required) == (2, None)
    assert result.shortfalls == ["1 more type of activity needed within the 12 months to 30 Jun 2026 "
                                 "(you have 2 of the 3 required); your activity of 1 Jul 2025 stops counting "
                                 "on 1 Jul 2026"]
    create_record(member, activity_type="self_directed", started_on=date(2026, 3, 3), **both_benefits())
    assert summary(member, "science_council", as_of).compliant is True


def test_science_council_names_each_gap_of_three_months_in_the_record(member, create_record):
    # Window on 30 Jun 2026: 1 Jul 2025 to 30 Jun 2026. Activity on 1-2 Jul 2025, 15 Nov 2025 and
    # 1 Jun 2026: 3 Jul to 14 Nov 2025 (135 days) and 16 Nov 2025 to 31 May 2026 (197 days) are gaps;
    # 2 to 30 Jun 2026 (29 days) is not.
    as_of = date(2026, 6, 30)
    create_record(member, activity_type="work_based", started_on=date(2025, 7, 1), ended_on=date(2025, 7, 2),
                  hours=3, **both_benefits())
    create_record(member, activity_type="formal_educational", started_on=date(2025, 11, 15), hours=6, **both_benefits())
    create_record(member, activity_type="self_directed", started_on=date(2026, 6, 1), **both_benefits())
    notes = [n for n in summary(member, "science_council", as_of).notes if n.startswith("No CPD recorded")]
    assert [n.split(":")[0] for n in notes] == ["No CPD recorded from 3 Jul 2025 to 14 Nov 2025",
                                                "No CPD recorded from 16 Nov 2025 to 31 May 2026"]
    # Other policies do not ask for a continuous record.
    assert not [n for n in summary(member, "engineers_ireland", as_of).notes if n.startswith("No CPD recorded")]
    # Exactly 90 days without activity is a gap; 89 is not.
    ninety = services.gaps_in_the_record(member.id, date(2025, 7, 3), date(2025, 9, 30))  # 3 Jul to 30 Sep
    assert [n.split(":")[0] for n in ninety] == ["No CPD recorded from 3 Jul 2025 to 30 Sep 2025"]
    assert services.gaps_in_the_record(member.id, date(2025, 7, 4), date(2025, 9, 30)) == []  # 89 days


def test_science_council_standards_three_and_four_ask_for_both_benefits(member, create_record):
    # Three types, each with learning; one record names only the benefit to practice: standard 4
    # (benefit to the users of one's work) is not met by it, so 1 record needs a reflection.
    as_of = date(2026, 6, 30)
    for activity_type in ("work_based", "formal_educational"):
        create_record(member, activity_type=activity_type, started_on=date(2026, 1, 10), **both_benefits())
    half = create_record(member, activity_type="self_directed", started_on=date(2026, 2, 2),
                         learning="Statistics refresher", benefit_to_practice="Sounder QC charts", benefit_to_users="")
    result = summary(member, "science_council", as_of)
    assert result.compliant is False
    assert result.shortfalls == ["1 record needs a reflection (what you learned, and its benefit to your practice "
                                 "and to the users of your work)"]
    services.update_record(member, half, {"benefit_to_users": "Clinicians trust the numbers"})
    assert summary(member, "science_council", as_of).compliant is True


def test_science_council_exceptionally_two_types_by_agreement(member, staff, create_record):
    # Two types only: short by the standard's three. Staff record "exceptionally two" (kind other,
    # with a note) from 1 Jan 2026: on 30 Jun 2026 two types are enough, and the summary says why.
    as_of = date(2026, 6, 30)
    create_record(member, activity_type="work_based", started_on=date(2026, 1, 10), **both_benefits())
    create_record(member, activity_type="formal_educational", started_on=date(2026, 2, 10), **both_benefits())
    assert summary(member, "science_council", as_of).compliant is False
    exemptions.grant_exemption(staff, member, {
        "kind": "other", "starts_on": date(2026, 1, 1), "ends_on": date(2026, 12, 31), "reduction": 0,
        "distinct_types_minimum": 2, "note": "Exceptionally two types: a year on a single project, agreed by "
                                             "the registration committee"})
    result = summary(member, "science_council", as_of)
    assert result.compliant is True
    assert [e.kind for e in result.exemptions] == ["other"]


# --- IET: guidance -------------------------------------------------------------------------

def test_iet_is_guidance_on_track_or_not_never_non_compliant(member, create_record):
    # 12 + 10 = 22 of the 30 hours the IET suggests: 8.00 more, and on_track false, compliant None.
    create_record(member, started_on=date(2026, 2, 10), hours=12)
    create_record(member, started_on=date(2026, 5, 5), hours=10)
    result = summary(member, "iet", date(2026, 11, 22))
    assert (result.total, result.advisory, result.on_track, result.compliant) == (22, True, False, None)
    assert result.shortfalls == ["8.00 more hours needed by 31 Dec 2026"]

    # 14 hours over 7 days, 29 Dec to 4 Jan: 3 days (6 h) fall in 2025 and 4 days (8 h) in 2026.
    create_record(member, started_on=date(2025, 12, 29), ended_on=date(2026, 1, 4), hours=14)
    this_year = summary(member, "iet", date(2026, 11, 22))
    assert (this_year.total, this_year.on_track, this_year.compliant) == (30, True, None)
    last_year = summary(member, "iet", date(2025, 12, 31))
    assert (last_year.period_start, last_year.total) == (date(2025, 1, 1), 6)
    assert last_year.shortfalls == ["24.00 more hours needed by 31 Dec 2025"]


# --- as_of cuts every period ----------------------------------------------------------------

def test_as_of_cuts_a_calendar_year(member, create_record):
    # 20 h over 27 Dec 2025 to 5 Jan 2026 (10 days, 2 h a day): 5 days in 2026 = 10 h. A March record
    # of 15 h is after 1 Feb, so on 1 Feb only 10 h count (not 25).
    create_record(member, started_on=date(2025, 12, 27), ended_on=date(2026, 1, 5), hours=20)
    create_record(member, started_on=date(2026, 3, 10), hours=15)
    result = summary(member, "engineers_ireland", date(2026, 2, 1))
    assert (result.total, result.logged_total) == (10, 10)
    assert result.shortfalls == ["25.00 more hours needed by 31 Dec 2026"]
    # A record running over as_of counts only its days up to it: 8 h over 30 Jan to 2 Feb (4 days),
    # 3 days by 1 Feb = 6 h; total 16.
    create_record(member, started_on=date(2026, 1, 30), ended_on=date(2026, 2, 2), hours=8)
    assert summary(member, "engineers_ireland", date(2026, 2, 1)).total == 16
    assert summary(member, "engineers_ireland", date(2026, 12, 31)).total == 10 + 15 + 8


# --- rounding never hides a shortfall -------------------------------------------------------

def test_a_hundredth_short_is_short(member, create_record):
    # 34.99 h against Engineers Ireland's 35: 0.01 short, said as such.
    create_record(member, activity_type="work_based", started_on=date(2026, 3, 1), hours=34.99)
    result = summary(member, "engineers_ireland", date(2026, 9, 1))
    assert result.compliant is False
    assert result.shortfalls == ["0.01 more hours needed by 31 Dec 2026"]
    create_record(member, activity_type="other", started_on=date(2026, 3, 2), hours=0.01)
    assert summary(member, "engineers_ireland", date(2026, 9, 1)).compliant is True


def test_a_third_of_a_hundredth_short_is_still_short(member, create_record):
    # 14.99 h over 31 Dec 2025 to 2 Jan 2026 (3 days): 2 days in 2026 = 9.99333 h; with 20 h more,
    # 29.99333 h of the IET's 30: short by 0.00667, stated rounded up as 0.01, never "0.00" nor met.
    create_record(member, started_on=date(2025, 12, 31), ended_on=date(2026, 1, 2), hours=14.99)
    create_record(member, started_on=date(2026, 4, 1), hours=20)
    result = summary(member, "iet", date(2026, 6, 1))
    assert result.on_track is False
    assert result.total == Decimal("29.99")
    assert result.shortfalls == ["0.01 more hours needed by 31 Dec 2026"]


# --- RICS: formal hours, an ethics window, time to record -----------------------------------

def test_rics_twenty_hours_ten_formal_and_ethics_within_three_years(member, create_record):
    # 21 h of work-based learning, none formal: 10.00 formal short, and no ethics in the 36 months
    # to 1 Jun 2026 (2 Jun 2023 onwards). RICS allows recording until 31 January: deadline 31 Jan 2027.
    create_record(member, activity_type="work_based", started_on=date(2026, 1, 20), hours=21)
    create_record(member, activity_type="self_directed", started_on=date(2023, 6, 1), hours=2, topics=["ethics"])
    result = summary(member, "rics", date(2026, 6, 1))
    assert (result.total, result.formal_total, result.by_topic) == (21, 0, {"ethics": 0})
    assert result.record_by == date(2027, 1, 31)
    assert result.shortfalls == [
        "10.00 more hours of formal learning (structured, with learning outcomes) needed by 31 Dec 2026 (recorded by 31 Jan 2027)",
        "1.00 more hours on professional ethics and standards needed within the 36 months to 1 Jun 2026",
    ]
    # A 6 h formal course, then 4 h more: formal 10 of 10. An ethics webinar of 1.5 h in 2024 is
    # within the window though outside this year; the year's total is 31.
    create_record(member, activity_type="formal_educational", started_on=date(2026, 4, 2), hours=6, formal=True)
    create_record(member, activity_type="self_directed", started_on=date(2024, 3, 5), hours=1.5, topics=["ethics"])
    assert summary(member, "rics", date(2026, 6, 1)).shortfalls == [
        "4.00 more hours of formal learning (structured, with learning outcomes) needed by 31 Dec 2026 (recorded by 31 Jan 2027)"]
    create_record(member, activity_type="work_based", started_on=date(2026, 4, 9), hours=4, formal=True)
    result = summary(member, "rics", date(2026, 6, 1))
    assert (result.total, result.formal_total, result.by_topic["ethics"], result.compliant) == (31, 10, 1.5, True)


def test_rics_counts_only_what_was_recorded_by_31_january(member, create_record):
    # 2025's hours are done in 2025 and recorded by 31 January 2026. 12 h recorded in December, 6 h on
    # 31 January (in time), 8 h on 3 February (too late for 2025): 18 of 20, 2 short.
    def made(day, hour=12):
        return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)

    create_record(member, activity_type="work_based", started_on=date(2025, 11, 3), hours=12,
                  created_at=made(date(2025, 12, 10)))
    create_record(member, activity_type="formal_educational", started_on=date(2025, 12, 1), hours=6, formal=True,
                  created_at=made(date(2026, 1, 31), 23))
    create_record(member, activity_type="work_based", started_on=date(2025, 12, 15), hours=8,
                  created_at=made(date(2026, 2, 3)))
    result = summary(member, "rics", date(2025, 12, 31))
    assert (result.total, result.compliant) == (18, False)
    assert result.shortfalls[0] == "2.00 more hours needed by 31 Dec 2025 (recorded by 31 Jan 2026)"


# --- Engineers Ireland ----------------------------------------------------------------------

def test_engineers_ireland_thirty_five_hours_to_the_half_hour(member, create_record):
    create_record(member, activity_type="work_based", started_on=date(2026, 3, 1), hours=34.5)
    assert summary(member, "engineers_ireland", date(2026, 9, 1)).shortfalls == ["0.50 more hours needed by 31 Dec 2026"]
    create_record(member, activity_type="other", started_on=date(2026, 3, 2), hours=0.5)
    assert summary(member, "engineers_ireland", date(2026, 9, 1)).compliant is True


# --- Engineers Australia: topics over three years --------------------------------------------

def test_engineers_australia_150_hours_in_three_years_with_topic_minimums(member, create_record):
    # Window on 22 Nov 2026: 23 Nov 2023 to 22 Nov 2026. Self-directed study is no longer capped.
    # 80 (area of practice) + 60 (area of practice, risk management) + 30 on the first day = 170;
    # 20 h the day before the window do not count. Topics: area 140, risk 60, business 0 -> 15.00 short.
    as_of = date(2026, 11, 22)
    create_record(member, activity_type="self_directed", started_on=date(2025, 5, 1), hours=80,
                  topics=["area_of_practice"])
    create_record(member, activity_type="formal_educational", started_on=date(2024, 9, 1), hours=60,
                  topics=["area_of_practice", "risk_management"])
    create_record(member, activity_type="work_based", started_on=date(2023, 11, 23), hours=30)
    create_record(member, activity_type="work_based", started_on=date(2023, 11, 22), hours=20,
                  topics=["business_management"])
    result = summary(member, "engineers_australia", as_of)
    assert (result.period_start, result.period_end) == (date(2023, 11, 23), date(2026, 11, 22))
    assert (result.logged_total, result.total) == (170, 170)
    assert result.by_topic == {"area_of_practice": 140, "business_management": 0, "risk_management": 60}
    assert result.shortfalls == ["15.00 more hours on business and management skills needed within the 36 months "
                                 "to 22 Nov 2026"]
    # 15 h of business and management on a course: met on every count.
    create_record(member, activity_type="formal_educational", started_on=date(2026, 2, 2), hours=15,
                  topics=["business_management"])
    assert summary(member, "engineers_australia", as_of).compliant is True


def test_engineers_australia_asks_50_hours_in_each_area_of_practice(client, app, create_member, auth_headers):
    # Engineers Australia: "If you have more than one practising area, you must record at least 50
    # hours related to each"; overlapping hours count for each. A civil and structural engineer on
    # 22 Nov 2026, window 23 Nov 2023 to 22 Nov 2026: 40 h civil + structural (both), 12 h civil,
    # 10 h risk, 15 h business, 80 h other work = 157 h; civil 52, structural 40: 10.00 short in
    # structural. An academic (sector academia) also needs 40 h of industry involvement.
    since = datetime(2020, 1, 6, tzinfo=timezone.utc)
    engineer, academic = (create_member(cpd_policy="engineers_australia", areas_of_practice="civil,structural",
                                        sector=sector, created_at=since) for sector in ("industry", "academia"))

    def log(headers, hours, started_on, **fields):
        ended_on = date.fromisoformat(started_on) + timedelta(days=-(-hours // 8) - 1)  # eight hours a day
        body = {"title": "Bridge deck design review", "activity_type": "work_based", "hours": hours,
                "started_on": started_on, "ended_on": ended_on.isoformat(), **fields}
        response = client.post("/api/v1/me/cpd-records", headers=headers, json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def standing(headers):
        return client.get("/api/v1/me/cpd-summary?as_of=2026-11-22", headers=headers).get_json()

    for person in (engineer, academic):
        headers = auth_headers(person)
        both = log(headers, 40, "2025-03-03", practice_areas=["structural", "civil"])
        assert (both["practice_areas"], both["topics"]) == (["civil", "structural"], ["area_of_practice"])
        log(headers, 12, "2026-05-04", practice_areas=["civil"])
        log(headers, 10, "2024-06-03", topics=["risk_management"])
        log(headers, 15, "2025-09-01", topics=["business_management"])
        log(headers, 80, "2026-01-12")
    engineer_headers, academic_headers = auth_headers(engineer), auth_headers(academic)
    unknown = client.post("/api/v1/me/cpd-records", headers=engineer_headers, json={
        "title": "x", "activity_type": "work_based", "hours": 1, "started_on": "2026-01-12",
        "practice_areas": ["underwater_basket_weaving"]})
    assert unknown.status_code == 422 and "underwater_basket_weaving" in unknown.get_json()["errors"]["practice_areas"][0]

    result = standing(engineer_headers)
    assert result["total"] == 157 and result["by_area_of_practice"] == {"civil": 52, "structural": 40}
    assert result["shortfalls"] == ["10.00 more hours in your area of practice structural needed within the 36 "
                                    "months to 22 Nov 2026; your activity of 3 Jun 2024 stops counting on 3 Jun 2027"]
    assert {r["name"]: r["met"] for r in result["requirements"]}["hours in the area of practice civil"] is True

    # 10 h more in structural, exactly at the threshold: met. The academic is short only of industry.
    for headers in (engineer_headers, academic_headers):
        log(headers, 10, "2026-10-05", practice_areas=["structural"])
    assert standing(engineer_headers)["compliant"] is True
    with app.app_context():  # the figures judge as the summary does
        from cpd.members.models import Member
        from cpd.records.compliance import members_on_track, members_short

        assert members_on_track(date(2026, 11, 22), Member.id.in_([engineer.id, academic.id])) == 1
        [(short_id, _, measured)] = members_short(date(2026, 11, 22), Member.id.in_([engineer.id, academic.id]))
        assert short_id == academic.id and [what for what, required, done in measured.checks if done < required] == [
            ("topic", "industry_involvement")]
    assert standing(academic_headers)["shortfalls"] == [
        "40.00 more hours on industry involvement (academics and teachers) needed within the 36 months to "
        "22 Nov 2026"]
    log(academic_headers, 40, "2026-07-06", topics=["industry_involvement"])
    assert standing(academic_headers)["compliant"] is True

    # Areas are dated facts: naming a third today does not change what 22 Nov asked.
    profile = client.patch("/api/v1/me", headers=engineer_headers,
                           json={"areas_of_practice": ["mechanical", "structural", "civil"]})
    assert profile.status_code == 200 and profile.get_json()["areas_of_practice"] == ["civil", "mechanical",
                                                                                      "structural"]
    assert standing(engineer_headers)["compliant"] is True
    today = client.get("/api/v1/me/cpd-summary", headers=engineer_headers).get_json()
    assert today["by_area_of_practice"]["mechanical"] == 0 and not today["compliant"]
    bad = client.patch("/api/v1/me", headers=engineer_headers, json={"areas_of_practice": ["alchemy"]})
    assert bad.status_code == 422 and "alchemy" in bad.get_json()["errors"]["areas_of_practice"][0]


def test_a_rolling_shortfall_names_when_the_oldest_activity_drops_out(member, create_record):
    # 140 h, the oldest 30 h on 23 Nov 2023 (the window's first day): 10.00 short now, and those
    # 30 h stop counting on 23 Nov 2026.
    create_record(member, activity_type="work_based", started_on=date(2023, 11, 23), hours=30,
                  topics=["area_of_practice", "risk_management", "business_management"])
    create_record(member, activity_type="work_based", started_on=date(2025, 1, 5), hours=110,
                  topics=["area_of_practice"])
    result = summary(member, "engineers_australia", date(2026, 11, 22))
    assert result.shortfalls == ["10.00 more hours needed within the 36 months to 22 Nov 2026; your activity of "
                                 "23 Nov 2023 stops counting on 23 Nov 2026"]


# --- ACCA: verifiable means evidenced -------------------------------------------------------

def test_acca_counts_a_verifiable_claim_only_with_evidence(member, create_record):
    # 45 h self-directed claimed verifiable without evidence + 14 h + 6 h of recorded attendance:
    # total 65, verifiable 20 (the claim lacks evidence): 1.00 verifiable short, and a note says why.
    claim = create_record(member, activity_type="self_directed", started_on=date(2026, 2, 2), hours=45,
                          verifiable=True)
    verified.record_attendance(member.id, 101, "Audit standards course", "formal_educational",
                               date(2026, 3, 3), date(2026, 3, 4), 14)
    verified.record_attendance(member.id, 102, "Ethics webinar", "formal_educational",
                               date(2026, 4, 4), date(2026, 4, 4), 6)
    result = summary(member, "acca", date(2026, 7, 1))
    assert (result.total, result.verified_total, result.verifiable_total) == (65, 20, 20)
    assert result.shortfalls == ["1.00 more hours of verifiable activity (with evidence) needed by 31 Dec 2026"]
    assert result.notes == ["45.00 hours claimed as verifiable have no evidence attached, so they do not count as "
                            "verifiable: attach a certificate or other proof."]
    # Evidence attached to the claim: verifiable 65, met.
    db.session.add(Evidence(record_id=claim.id, filename="certificate.pdf", stored_name="x", content_type="application/pdf",
                            size_bytes=10))
    db.session.flush()
    result = summary(member, "acca", date(2026, 7, 1))
    assert (result.verifiable_total, result.compliant, result.notes) == (65, True, [])


# --- exemptions -----------------------------------------------------------------------------

def test_parental_leave_over_half_a_year_pro_rates_the_hours(member, staff, create_record):
    # Parental leave 1 Jan to 1 Jul 2026: 182 of 2026's 365 days. Required 35 x 183/365 = 17.5479,
    # stated 17.55. 17.5 h logged: 0.05 short; 17.55 h more than meets it.
    exemptions.grant_exemption(staff, member, {"kind": "parental_leave", "starts_on": date(2026, 1, 1),
                                               "ends_on": date(2026, 7, 1)})
    create_record(member, activity_type="work_based", started_on=date(2026, 9, 1), hours=17.5)
    result = summary(member, "engineers_ireland", date(2026, 12, 31))
    assert result.required == Decimal("17.55")
    assert result.shortfalls == ["0.05 more hours needed by 31 Dec 2026"]
    assert [(e.kind, e.starts_on, e.ends_on) for e in result.exemptions] == [
        ("parental_leave", date(2026, 1, 1), date(2026, 7, 1))]
    create_record(member, activity_type="work_based", started_on=date(2026, 9, 2), hours=0.05)
    assert summary(member, "engineers_ireland", date(2026, 12, 31)).compliant is True
    # The year before is untouched by it.
    assert summary(member, "engineers_ireland", date(2025, 12, 31)).required == 35


def test_a_pro_rated_requirement_is_compared_unrounded_and_shown_rounded_up(member, staff, create_record):
    # Engineers Ireland, illness 1 Jan to 30 Jun 2026: 181 of 365 days lifted, 184 kept. Required
    # 35 x 184/365 = 17.64383...: 17.64 logged is 0.0038 short ("0.01 more"), shown as 17.65 required.
    exemptions.grant_exemption(staff, member, {"kind": "illness", "starts_on": date(2026, 1, 1),
                                               "ends_on": date(2026, 6, 30)})
    create_record(member, activity_type="work_based", started_on=date(2026, 9, 1), hours=17.64)
    result = summary(member, "engineers_ireland", date(2026, 12, 31))
    assert result.required == Decimal("17.65") and result.compliant is False
    assert result.shortfalls == ["0.01 more hours needed by 31 Dec 2026"]
    assert result.requirements[0].required == Decimal("17.65") and result.requirements[0].met is False
    create_record(member, activity_type="work_based", started_on=date(2026, 9, 2), hours=0.01)
    assert summary(member, "engineers_ireland", date(2026, 12, 31)).compliant is True  # 17.65 >= 17.6438


def test_a_career_break_over_the_whole_window_leaves_nothing_required(member, staff, create_record):
    # Science Council, a rolling 12 months: on 30 Jun 2026 the window is 1 Jul 2025 to 30 Jun 2026. A
    # career break over all of it (the Science Council allows breaks of up to 3 years): no hours, no
    # three types, no reflections asked; compliant with an empty log.
    exemptions.grant_exemption(staff, member, {"kind": "career_break", "starts_on": date(2025, 7, 1),
                                               "ends_on": date(2026, 6, 30)})
    result = summary(member, "science_council", date(2026, 6, 30))
    assert (result.compliant, result.shortfalls) == (True, [])
    # A day outside it, and the three types are asked again (the break covers 364 of the 365 days).
    later = summary(member, "science_council", date(2026, 7, 1))
    assert later.compliant is False and any("types of activity" in s for s in later.shortfalls)


def test_formal_follows_the_activity_type_unless_the_member_says_otherwise(client, member, auth_headers):
    headers = auth_headers(member)
    course = client.post("/api/v1/me/cpd-records", headers=headers, json={
        "title": "Contract law short course", "activity_type": "formal_educational", "started_on": "2026-03-02",
        "hours": 6}).get_json()
    said_not = client.post("/api/v1/me/cpd-records", headers=headers, json={
        "title": "Informal seminar", "activity_type": "formal_educational", "started_on": "2026-03-03",
        "hours": 2, "formal": False}).get_json()
    reading = client.post("/api/v1/me/cpd-records", headers=headers, json={
        "title": "Reading", "activity_type": "self_directed", "started_on": "2026-03-04", "hours": 1}).get_json()
    assert (course["formal"], said_not["formal"], reading["formal"]) == (True, False, False)
    # RICS: 6 of the 9 hours are formal.
    assert summary(member, "rics", date(2026, 12, 31)).formal_total == 6


def test_acca_carries_forward_up_to_21_verifiable_units(app_ctx, create_member, create_record):
    member = create_member(cpd_policy="acca", created_at=datetime(2020, 1, 6, tzinfo=timezone.utc))
    # 2025: 30 verifiable (recorded attendance) + 20 other = 50: 9 verifiable beyond the 21, and 10
    # beyond the 40, so 9 carry into 2026. 2026: 12 verifiable + 19 other = 31 logged; with the 9
    # carried, 40 in total and 21 verifiable: met. Without the carry it would be 9 short of both.
    for day, hours in ((date(2025, 3, 3), 10), (date(2025, 6, 2), 20)):
        verified.record_attendance(member.id, day.month, "Tax update", "formal_educational", day, day, hours)
    create_record(member, activity_type="self_directed", started_on=date(2025, 4, 4), hours=20)
    verified.record_attendance(member.id, 99, "Audit masterclass", "formal_educational", date(2026, 2, 2),
                               date(2026, 2, 2), 12)
    create_record(member, activity_type="self_directed", started_on=date(2026, 3, 3), hours=19)
    result = summary(member, "acca", date(2026, 12, 31))
    assert (result.total, result.verifiable_total, result.compliant) == (40, 21, True)
    assert "9.00 verifiable hours carried forward from 2025 count towards this year's." in result.notes
    # The figures judge the same way.
    from cpd.records.compliance import members_on_track
    from cpd.members.models import Member

    assert members_on_track(date(2026, 12, 31), Member.id == member.id) == 1
    # At most 21 carry, and never from the first CPD year: a member who joined in 2025 carries nothing.
    from cpd.records.amounts import Amounts

    acca = services.policies.rules_of(services.get_policy("acca"))
    ninety = Amounts(by_type={"formal_educational": Decimal(90)}, verifiable=Decimal(90))
    assert services.policies.carried_forward(acca, services.policies.measure(acca, ninety, date(2025, 12, 31))) == 21


def test_a_first_cpd_year_carries_nothing(app_ctx, create_member, create_record):
    newcomer = create_member(cpd_policy="acca", created_at=datetime(2025, 2, 1, tzinfo=timezone.utc))
    verified.record_attendance(newcomer.id, 5, "Tax update", "formal_educational", date(2025, 3, 3),
                               date(2025, 3, 3), 50)
    verified.record_attendance(newcomer.id, 6, "Audit masterclass", "formal_educational", date(2026, 2, 2),
                               date(2026, 2, 2), 21)
    result = summary(newcomer, "acca", date(2026, 12, 31))
    assert (result.total, result.compliant) == (21, False)
    from cpd.records.compliance import members_on_track
    from cpd.members.models import Member

    assert members_on_track(date(2026, 12, 31), Member.id == newcomer.id) == 0


def test_a_retired_rate_halves_the_requirement(member, staff, create_record):
    # Retired from 1 Jan 2026 at a reduced rate (half lifted): 40 x 0.5 = 20 h, of which 21 x 0.5 = 10.50 verifiable.
    exemptions.grant_exemption(staff, member, {"kind": "retired", "starts_on": date(2026, 1, 1),
                                               "ends_on": date(2099, 12, 31), "reduction": 0.5})
    verified.record_attendance(member.id, 7, "Annual update", "formal_educational", date(2026, 3, 3),
                               date(2026, 3, 3), 10.5)
    create_record(member, activity_type="self_directed", started_on=date(2026, 2, 2), hours=9.5)
    result = summary(member, "acca", date(2026, 12, 31))
    assert (result.required, result.total, result.compliant) == (20, 20, True)


# --- the rest -------------------------------------------------------------------------------

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
    # 3 x 2 + 4 x 0.5 = 8 of 10 points.
    assert result.by_activity_type["formal_educational"] == 6
    assert result.by_activity_type["self_directed"] == 2
    assert result.shortfalls == ["2.00 more points needed by 31 Dec 2026"]


def test_every_shipped_policy_names_its_source(app_ctx):
    descriptions = policy_catalogue.policy_descriptions()
    assert "Science Council CPD Standards" in descriptions["science_council"]
    assert "IET Policy on CPD" in descriptions["iet"]
    assert "RICS" in descriptions["rics"] and "Engineers Ireland CPD Policy" in descriptions["engineers_ireland"]
    assert "Engineers Australia CPD Policy" in descriptions["engineers_australia"]
    assert "ACCA" in descriptions["acca"]


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
    assert result.shortfalls == [
        f"3 more types of activity needed by {first_full_window - timedelta(days=1):%-d %b %Y} "
        "(you have 0 of the 3 required)"]
    assert "today" not in " ".join(result.shortfalls)


def test_in_january_last_years_rics_hours_are_shown_beside_the_new_year(member, create_record):
    # On 15 January 2027 RICS's 2026 is still open for recording (until 31 January): the summary for
    # today measures 2027 and shows 2026 beside it, 12 of 20 hours. On 1 February it has closed.
    create_record(member, activity_type="work_based", started_on=date(2026, 10, 5), hours=12,
                  created_at=datetime(2026, 10, 6, tzinfo=timezone.utc))
    today = summary(member, "rics", date(2027, 1, 15))
    assert (today.period_start, today.total) == (date(2027, 1, 1), 0)
    before = today.still_open
    assert (before.period_end, before.total, before.record_by) == (date(2026, 12, 31), 12, date(2027, 1, 31))
    assert before.shortfalls[0] == "8.00 more hours needed by 31 Dec 2026 (recorded by 31 Jan 2027)"
    assert summary(member, "rics", date(2027, 2, 1)).still_open is None
    assert summary(member, "engineers_ireland", date(2027, 1, 15)).still_open is None


def test_the_year_still_open_is_in_the_api_and_on_the_page(client, member, create_record, auth_headers, sign_in):
    create_record(member, activity_type="work_based", started_on=date(2025, 10, 5), hours=12,
                  created_at=datetime(2025, 10, 6, tzinfo=timezone.utc))
    body = client.get("/api/v1/me/cpd-summary?policy=rics&as_of=2026-01-15", headers=auth_headers(member)).get_json()
    assert body["still_open"]["period_end"] == "2025-12-31" and body["still_open"]["total"] == 12
    assert "still_open" not in body["still_open"]
    assert client.get("/api/v1/me/cpd-summary?policy=rics&as_of=2026-03-01",
                      headers=auth_headers(member)).get_json()["still_open"] is None
    sign_in(member)
    page = client.get("/cpd/summary?policy=rics&as_of=2026-01-15").get_data(as_text=True)
    assert "2025 is still open for recording, until 31 Jan 2026" in page
