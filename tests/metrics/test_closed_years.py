"""A closed year's figures are stored once and read from then on, equal to a recomputation; the
recount check finds any stored figure that no longer matches its facts."""
from datetime import date

import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.metrics import closed_years, measures
from cpd.metrics.models import ClosedYearFigures
from cpd.registration.models import Application
from tests.metrics.test_kpis import YEAR, at, year_of_activity  # noqa: F401 (a fixture)


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["metrics", *args])


def _stored_years(app):
    with app.app_context():
        return db.session.scalars(sa.select(ClosedYearFigures.year).order_by(ClosedYearFigures.year)).all()


def test_closing_stores_each_closed_year_once_equal_to_a_recomputation(app, year_of_activity):
    # Today (2026 or later) 2024 and 2025 are closed; this year is not, whatever the day.
    first = _cli(app, "close")
    assert first.exit_code == 0 and "2024, 2025" in first.output
    assert _stored_years(app) == [2024, 2025]
    assert "No closed year waiting." in _cli(app, "close").output
    with app.app_context():
        recomputed = closed_years.as_stored(measures.compute_kpis(YEAR).as_dict())
        assert closed_years.stored_figures(YEAR) == recomputed
        assert measures.kpis(YEAR).as_dict() == recomputed
        assert recomputed["cpd"]["hours_logged"] == 49.0 and recomputed["training"]["members_engaged"] == 2
    check = _cli(app, "recount", "--check")
    assert check.exit_code == 0 and "2025: as stored" in check.output


def test_a_year_closes_only_after_its_grace_period(app, year_of_activity):
    # Three years' grace: nothing before 2026 - 3 can close, and the test data starts in 2024.
    default = app.config["FIGURES_CLOSE_AFTER_DAYS"]
    app.config["FIGURES_CLOSE_AFTER_DAYS"] = 3 * 366
    try:
        assert "No closed year waiting." in _cli(app, "close").output
        with app.app_context():
            assert closed_years.closes_on(2025) == date(2029, 1, 3)
            assert not closed_years.is_closed(2025, date(2026, 11, 30))
    finally:
        app.config["FIGURES_CLOSE_AFTER_DAYS"] = default
    with app.app_context():
        assert closed_years.closes_on(2025) == date(2026, 4, 1)
        assert closed_years.is_closed(2025, date(2026, 4, 1)) and not closed_years.is_closed(2025, date(2026, 3, 31))
    assert _stored_years(app) == []


def test_the_staff_page_and_api_read_a_closed_year_in_a_few_queries(client, app, year_of_activity, create_staff,
                                                                     auth_headers, sign_in, count_queries):
    staff = create_staff()
    headers = auth_headers(staff)
    computed = client.get(f"/api/v1/metrics/kpis?year={YEAR}", headers=headers).get_json()
    _cli(app, "close")
    with count_queries() as statements:
        stored = client.get(f"/api/v1/metrics/kpis?year={YEAR}", headers=headers)
    assert stored.status_code == 200 and stored.get_json() == computed
    # The staff member's token, the stored figures, and the parts about today: applications
    # standing at each status, the year's declarations and its audit outcomes.
    assert len(statements) <= 6, statements
    assert not any("cpd_records" in q for q in statements)
    sign_in(staff)
    page = client.get(f"/staff/figures?year={YEAR}")
    assert page.status_code == 200 and "49" in page.get_data(as_text=True)


def test_a_late_entry_leaves_the_stored_year_and_the_check_finds_it(app, year_of_activity, create_member,
                                                                      create_record):
    _cli(app, "close")
    # CPD done in December 2025 and logged now, after the year closed.
    late = create_member(grade="member", created_at=at(date(2025, 1, 2)))
    create_record(late, started_on=date(2025, 12, 20), hours=6)
    with app.app_context():
        assert measures.kpis(YEAR).cpd["hours_logged"] == 49.0
        assert measures.compute_kpis(YEAR).cpd["hours_logged"] == 55.0

    check = _cli(app, "recount", "--check", "--year", str(YEAR))
    assert check.exit_code == 1
    assert "2025: differs" in check.output and "cpd.hours_logged: 49.0 → 55.0" in check.output
    restated = _cli(app, "recount", "--year", str(YEAR))
    assert restated.exit_code == 0 and "2025: restated" in restated.output
    with app.app_context():
        assert measures.kpis(YEAR).cpd["hours_logged"] == 55.0
    assert _cli(app, "recount", "--check").exit_code == 0


def test_the_parts_about_today_are_read_live_from_a_stored_year(app, year_of_activity, create_member):
    _cli(app, "close")
    applicant = create_member(grade="member")
    with app.app_context():
        db.session.add(Application(member_id=applicant.id, title="CEng", status="draft"))
        db.session.commit()
        figures = measures.kpis(YEAR).as_dict()
        assert figures["applications"]["by_status"] == {"draft": 1}
        assert figures["applications"]["submitted"] == 0


def test_two_processes_storing_the_same_year_keep_one_row(app, year_of_activity):
    with app.app_context():
        figures = measures.compute_kpis(YEAR).as_dict()
        assert closed_years.store(YEAR, figures, utcnow()) is True
        db.session.commit()
        assert closed_years.store(YEAR, figures, utcnow()) is False
        db.session.commit()
    assert _stored_years(app) == [YEAR]
