"""The documented commands: users create and demo seed."""
import sqlalchemy as sa

from cpd.auth import services as auth_services
from cpd.extensions import db
from cpd.members.models import Member
from cpd.members.vocabulary import CAREER_STAGES, DISCIPLINES, GRADES


def test_users_create_reads_the_password_from_stdin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "Boss@Example.org", "--name", "Bea Boss", "--role", "staff", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert auth_services.authenticate("boss@example.org", "a long enough password").role == "staff"

    again = runner.invoke(
        args=["users", "create", "boss@example.org", "--name", "Bea Boss", "--password-stdin"], input="another password\n"
    )
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_users_create_refuses_a_short_password(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "a@example.org", "--name", "A", "--password-stdin"], input="short\n"
    )
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output


def _profile_counts(app):
    with app.app_context():
        rows = db.session.execute(
            sa.select(Member.role, Member.grade, Member.discipline, Member.career_stage)
        ).all()
    return rows


def test_demo_seed_covers_every_discipline_grade_and_stage_and_runs_twice_unchanged(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    rows = _profile_counts(app)
    assert {r.discipline for r in rows} >= set(DISCIPLINES)
    assert {r.grade for r in rows} >= set(GRADES) | {None}
    assert {r.career_stage for r in rows} >= set(CAREER_STAGES)
    assert "staff" in {r.role for r in rows}

    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0
    assert sorted(map(tuple, _profile_counts(app)), key=str) == sorted(map(tuple, rows), key=str)


def test_demo_seed_gives_every_demo_member_three_years_of_varied_records(app):
    from datetime import date, timedelta

    from cpd.records.models import CpdRecord

    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    with app.app_context():
        members_without_records = db.session.scalar(
            sa.select(sa.func.count()).select_from(Member).where(
                Member.role == "member", ~sa.exists().where(CpdRecord.member_id == Member.id))
        )
        types = set(db.session.scalars(sa.select(CpdRecord.activity_type).distinct()))
        oldest = db.session.scalar(sa.select(sa.func.min(CpdRecord.started_on)))
        logged = CpdRecord.verified.is_(False)  # the members' own entries, not those from registers
        reflected = db.session.scalar(sa.select(sa.func.count()).where(logged, CpdRecord.learning != ""))
        total = db.session.scalar(sa.select(sa.func.count()).where(logged))
    assert members_without_records == 0
    assert types == {"work_based", "professional_activity", "formal_educational", "self_directed", "other"}
    # Three years of activity, so the dashboard has a trend (and no older: the figures start there).
    assert date.today() - timedelta(days=1100) <= oldest <= date.today() - timedelta(days=700)
    assert 0.5 < reflected / total < 0.95


def test_demo_seed_has_a_year_of_events_with_waiting_lists_and_registers(app):
    from cpd.events.models import Booking, Event, ProgrammeSession
    from cpd.records.models import CpdRecord

    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0

    def figures():
        with app.app_context():
            return {
                "kinds": set(db.session.scalars(sa.select(Event.kind).distinct())),
                "sessions": db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeSession)),
                "statuses": set(db.session.scalars(sa.select(Booking.status).distinct())),
                "bookings": db.session.scalar(sa.select(sa.func.count()).select_from(Booking)),
                "verified": db.session.scalar(sa.select(sa.func.count()).where(CpdRecord.verified.is_(True))),
                "attended": db.session.scalar(sa.select(sa.func.count()).where(Booking.attended.is_(True))),
            }

    first = figures()
    assert {"course", "conference"} <= first["kinds"]
    assert first["sessions"] > 0
    assert {"confirmed", "waitlisted"} <= first["statuses"]
    assert first["verified"] == first["attended"] > 0
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    assert figures() == first


def test_demo_seed_has_sigs_in_every_discipline_with_leads_sessions_and_outreach(app):
    from cpd.events.models import Event
    from cpd.sigs.models import OutreachReach, Sig, SigLead

    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    with app.app_context():
        disciplines = set(db.session.scalars(sa.select(Sig.discipline)))
        sigs_without_leads = db.session.scalar(
            sa.select(sa.func.count()).select_from(Sig).where(~sa.exists().where(SigLead.sig_id == Sig.id)))
        past_sessions = db.session.scalar(
            sa.select(sa.func.count()).where(Event.kind == "sig_session", Event.starts_at < sa.func.now()))
        reach = db.session.scalar(sa.select(sa.func.sum(OutreachReach.young_people)))
    assert set(DISCIPLINES) <= disciplines
    assert sigs_without_leads == 0
    assert past_sessions > 10
    assert reach > 0


def test_demo_seed_makes_every_measure_show_something(app):
    from datetime import datetime, timezone

    from cpd.metrics import measures

    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    with app.app_context():
        figures = measures.kpis(datetime.now(timezone.utc).year).as_dict()
    assert sum(figures["registrations"]["held"].values()) > 0
    assert figures["training"]["members_engaged"] > 0 and figures["training"]["non_members_engaged"] > 0
    assert figures["cpd"]["hours_logged"] > 0 and figures["cpd"]["members_meeting_policy"] > 0
    assert len(figures["membership"]["by_discipline"]) >= 4
    assert figures["outreach"]["young_people"] > 0
    assert figures["engagement"]["conference_attendances"] > 0 and figures["engagement"]["sig_attendances"] > 0
    assert figures["recognition"]["fellows"] > 0 and figures["recognition"]["ambassadors"] > 0
    assert figures["satisfaction"]["responses"] > 0


def test_every_seeded_event_keeps_the_rules_so_staff_can_edit_it(app):
    # The walk-through found fourteen demo events that no edit could save (CPD hours beyond their
    # length): each seeded event is checked here by the same rules an edit runs.
    from cpd.core.errors import Invalid
    from cpd.events import catalogue
    from cpd.events.models import Event

    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    with app.app_context():
        staff = db.session.scalar(sa.select(Member).where(Member.role == "staff").order_by(Member.id))
        refused = []
        for event in db.session.scalars(sa.select(Event).where(Event.status != "cancelled")).all():
            try:
                with db.session.begin_nested():
                    catalogue.update_event(staff, event, {"venue": event.venue})
            except Invalid as error:
                refused.append((event.title, error.errors))
        db.session.rollback()
    assert refused == []
