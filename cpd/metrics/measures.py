"""The strategy's measures for a year ("how we measure it"), each defined once, in SQL aggregates.

Members of the body are accounts with a grade (staff accounts aside); everyone else who books
or logs CPD is a non-member. Erased members stay in every count: erasure removes who they
were, not that they took part.
"""
import statistics
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from cpd.core.errors import Invalid
from cpd.core.replica import reading_from_replica
from cpd.events.models import Booking, Event, Feedback
from cpd.extensions import db
from cpd.engagement.models import Engagement, TechnicalSupporter
from cpd.members import equality
from cpd.metrics import closed_years
from cpd.members.history import grade_on, measured_on, member_of_body_on, registration_held_on
from cpd.members.models import EqualityAnswers, Member, ProfessionalRegistration
from cpd.members.vocabulary import EQUALITY_QUESTIONS
from cpd.publications.models import PublicationRead
from cpd.registration.models import Application, ApplicationStep
from cpd.revalidation.models import AuditCase, CpdAudit, Declaration
from cpd.records.compliance import members_on_track
from cpd.records.models import CpdRecord
from cpd.records.vocabulary import ACTIVITY_TYPES
from cpd.sigs.models import OutreachReach, SigMembership
from cpd.surveys.models import SurveyAnswer, SurveyResponse

NOT_GIVEN = "not_given"
TRAINING_KINDS = ("course", "conference")

# One sentence per figure, shown beside it on the dashboard.
# "Members of the body" in a year are those who had joined, had not left and held a grade on its
# last day (today, for the year under way): cpd.members.history.member_of_body_on.
EXPLANATIONS = {
    "registrations": "Professional registrations of members of the body: awarded in the year, by title, and 'held' on its last day (lapsed ones no longer held).",
    "training": "Members of the body, and everyone else, who attended at least one course or conference starting in the year (in the event's own time zone); the share is of all members of the body.",
    "cpd": "Hours of CPD anyone logged in the year (activities ending in it), and the members of the body whose record meets their own CPD policy on the year's last day (today, for this year), judged as their own summary judges them.",
    "membership": "Members of the body on the year's last day (today, for this year), by discipline, sector, career stage and the grade they held that day.",
    "outreach": "Young people, parents and teachers counted at outreach events starting in the year (in the event's own time zone).",
    "engagement": "Attendances at conferences and SIG sessions starting in the year, members of the body in a SIG at some point of it, and the body's recorded engagements with government.",
    "recognition": "Fellows and ambassadors among members of the body on the year's last day, and the organisations that were technical supporters during the year.",
    "satisfaction": "The average rating (1 to 5) that attendees marked present gave events held in the year, and the year's member survey responses and their average rating.",
    "publications": "Readings of the body's publications logged in the year ('I read this'): how many, by how many people, and how many of them members of the body.",
    "diversity": "Members of the body who chose to answer the equality questions, by answer; any count below five is not shown (null).",
    "applications": "Applications for professional registration submitted in the year, ratified and declined in it, the median days from submission to the decision, and how many stand at each status today.",
    "revalidation": "CPD declarations registrants made for the year, the registrants the year's CPD audit sampled, and their outcomes so far.",
}


@dataclass
class Kpis:
    year: int
    registrations: dict
    training: dict
    cpd: dict
    membership: dict
    outreach: dict
    engagement: dict
    recognition: dict
    satisfaction: dict
    membership_engagement: dict = field(default_factory=dict)
    publications: dict = field(default_factory=dict)
    diversity: dict = field(default_factory=dict)
    applications: dict = field(default_factory=dict)
    revalidation: dict = field(default_factory=dict)

    def as_dict(self):
        return asdict(self)


def year_bounds(year):
    start = datetime(year, 1, 1, tzinfo=timezone.utc)
    end = datetime(year + 1, 1, 1, tzinfo=timezone.utc)
    return start, end


def years_with_data():
    """(first, last) years the figures can speak of: from the first sign of activity to next year."""
    row = db.session.execute(sa.select(
        sa.select(sa.func.min(Member.created_at)).scalar_subquery(),
        sa.select(sa.func.min(Event.starts_at)).scalar_subquery(),
        sa.select(sa.func.min(CpdRecord.ended_on)).scalar_subquery(),
        sa.select(sa.func.min(Member.joined_on)).scalar_subquery(),
        sa.select(sa.func.min(Engagement.happened_on)).scalar_subquery(),
        sa.select(sa.func.min(TechnicalSupporter.since)).scalar_subquery(),
    )).one()
    years = [int(str(value)[:4]) for value in row if value is not None]
    this_year = datetime.now(timezone.utc).year
    return (min(years) if years else this_year), this_year + 1


def check_year(year):
    first, last = years_with_data()
    if not first <= year <= last:
        raise Invalid.on_field("year", f"We hold figures from {first} to {last}; {year} is outside them.")


def _share(part, whole):
    return round(part / whole, 4) if whole else 0.0


def event_zones():
    """The time zones events are held in (a handful), for cutting years in local time."""
    return db.session.scalars(sa.select(Event.timezone).distinct()).all()


def starts_in_local_year(year, zones):
    """SQL: the event starts in `year` in its own time zone (an Auckland New Year lecture at 00:30
    on 1 January belongs to the new year, though it is still the old one in UTC)."""
    def bounds(zone):
        tz = ZoneInfo(zone)
        return (datetime(year, 1, 1, tzinfo=tz).astimezone(timezone.utc),
                datetime(year + 1, 1, 1, tzinfo=tz).astimezone(timezone.utc))
    return sa.or_(sa.false(), *[sa.and_(Event.timezone == zone, Event.starts_at >= bounds(zone)[0],
                                        Event.starts_at < bounds(zone)[1]) for zone in zones])


def registrations(year):
    """Registrations of members of the body: awarded in the year, and held on its last day (or today)."""
    start, day = date(year, 1, 1), measured_on(year)
    awarded_in_year = sa.func.sum(sa.case((ProfessionalRegistration.awarded_on >= start, 1), else_=0))
    held = sa.func.sum(sa.case((registration_held_on(day), 1), else_=0))
    rows = db.session.execute(
        sa.select(ProfessionalRegistration.title, awarded_in_year, held)
        .join(Member, Member.id == ProfessionalRegistration.member_id)
        .where(ProfessionalRegistration.awarded_on <= day, member_of_body_on(day))
        .group_by(ProfessionalRegistration.title)
    ).all()
    return {"awarded": {title: int(n) for title, n, _ in rows if n},
            "held": {title: int(held) for title, _, held in rows if held}}


def member_total(day):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Member).where(member_of_body_on(day)))


def attended_in_year(year, kinds, zones):
    return (
        sa.select(Booking.member_id)
        .join(Event, Event.id == Booking.event_id)
        .where(Booking.attended.is_(True), Event.kind.in_(kinds), starts_in_local_year(year, zones))
    )


def training(year, members_of_body, zones):
    engaged = attended_in_year(year, TRAINING_KINDS, zones).distinct().subquery()
    is_member = member_of_body_on(measured_on(year))
    rows = db.session.execute(
        sa.select(is_member, sa.func.count()).select_from(engaged)
        .join(Member, Member.id == engaged.c.member_id)
        .where(Member.role == "member")
        .group_by(is_member)
    ).all()
    counts = {bool(is_member): n for is_member, n in rows}
    members_engaged = counts.get(True, 0)
    return {"members_engaged": members_engaged, "non_members_engaged": counts.get(False, 0),
            "share_of_members": _share(members_engaged, members_of_body)}


def cpd(year, members_of_body):
    start, end = date(year, 1, 1), date(year, 12, 31)
    hours = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(CpdRecord.hours), 0))
        .where(CpdRecord.ended_on >= start, CpdRecord.ended_on <= end)
    )
    meeting = members_meeting_policy(measured_on(year))
    return {"hours_logged": float(Decimal(str(hours)).quantize(Decimal("0.01"))),
            "members_meeting_policy": meeting,
            "share_meeting_policy": _share(meeting, members_of_body)}


def members_meeting_policy(as_of):
    """Members of the body on `as_of` whose log meets their own policy then (on track, for
    guidance), judged exactly as each member's own summary judges them."""
    return members_on_track(as_of, member_of_body_on(as_of))


def _by(column, day):
    rows = db.session.execute(
        sa.select(column, sa.func.count()).where(member_of_body_on(day)).group_by(column)
    ).all()
    return {(value or NOT_GIVEN): n for value, n in rows}


def membership(year):
    day = measured_on(year)
    return {
        "by_discipline": _by(Member.discipline, day),
        "by_sector": _by(Member.sector, day),
        "by_career_stage": _by(Member.career_stage, day),
        "by_grade": _by(grade_on(day), day),
    }


def membership_engagement(year, zones):
    """Members of the body who attended anything in the year, by discipline and by career stage."""
    engaged = attended_in_year(year, ("course", "conference", "sig_session", "outreach"), zones).distinct().subquery()
    rows = db.session.execute(
        sa.select(Member.discipline, Member.career_stage, sa.func.count())
        .select_from(engaged).join(Member, Member.id == engaged.c.member_id)
        .where(member_of_body_on(measured_on(year)))
        .group_by(Member.discipline, Member.career_stage)
    ).all()
    by_discipline, by_stage = {}, {}
    for discipline, stage, n in rows:
        by_discipline[discipline or NOT_GIVEN] = by_discipline.get(discipline or NOT_GIVEN, 0) + n
        by_stage[stage or NOT_GIVEN] = by_stage.get(stage or NOT_GIVEN, 0) + n
    return {"by_discipline": by_discipline, "by_career_stage": by_stage}


def outreach(year, zones):
    row = db.session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(OutreachReach.young_people), 0),
                  sa.func.coalesce(sa.func.sum(OutreachReach.parents), 0),
                  sa.func.coalesce(sa.func.sum(OutreachReach.teachers), 0))
        .join(Event, Event.id == OutreachReach.event_id)
        .where(starts_in_local_year(year, zones), Event.status != "cancelled")
    ).one()
    return {"young_people": int(row[0]), "parents": int(row[1]), "teachers": int(row[2])}


def engagement(year, zones):
    start, end = year_bounds(year)
    rows = db.session.execute(
        sa.select(Event.kind, sa.func.count())
        .join(Booking, Booking.event_id == Event.id)
        .where(Booking.attended.is_(True), starts_in_local_year(year, zones),
               Event.kind.in_(("conference", "sig_session")))
        .group_by(Event.kind)
    ).all()
    counts = dict(rows)
    # Members of the body who were in a SIG at some point of the year (left_at kept when they leave).
    sig_members = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(SigMembership.member_id)))
        .join(Member, Member.id == SigMembership.member_id)
        .where(SigMembership.joined_at < end, sa.or_(SigMembership.left_at.is_(None), SigMembership.left_at >= start),
               member_of_body_on(measured_on(year)))
    )
    government = db.session.scalar(sa.select(sa.func.count()).select_from(Engagement).where(
        Engagement.kind == "government", Engagement.happened_on >= date(year, 1, 1),
        Engagement.happened_on <= date(year, 12, 31)))
    return {"conference_attendances": counts.get("conference", 0), "sig_attendances": counts.get("sig_session", 0),
            "sig_members": sig_members, "government": government}


def recognition(year):
    day = measured_on(year)
    ambassador = sa.and_(Member.is_ambassador.is_(True), Member.ambassador_since <= day)
    row = db.session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(sa.case((grade_on(day) == "fellow", 1), else_=0)), 0),
                  sa.func.coalesce(sa.func.sum(sa.case((ambassador, 1), else_=0)), 0))
        .where(member_of_body_on(day))
    ).one()
    supporters = db.session.scalar(sa.select(sa.func.count()).select_from(TechnicalSupporter).where(
        TechnicalSupporter.since <= date(year, 12, 31),
        sa.or_(TechnicalSupporter.until.is_(None), TechnicalSupporter.until >= date(year, 1, 1))))
    return {"fellows": int(row[0]), "ambassadors": int(row[1]), "technical_supporters": supporters}


def satisfaction(year, zones):
    """Ratings given by attendees (feedback from a booking marked attended) of events held in the year."""
    rows = db.session.execute(
        sa.select(Event.kind, sa.func.avg(Feedback.rating), sa.func.count())
        .join(Event, Event.id == Feedback.event_id)
        .where(starts_in_local_year(year, zones),
               sa.exists().where(Booking.event_id == Feedback.event_id, Booking.member_id == Feedback.member_id,
                                 Booking.attended.is_(True)))
        .group_by(Event.kind)
    ).all()
    responses = sum(n for _, _, n in rows)
    total = sum(float(avg) * n for _, avg, n in rows)
    start, end = year_bounds(year)
    survey_responses, survey_average = db.session.execute(
        sa.select(sa.func.count(sa.distinct(SurveyResponse.id)), sa.func.avg(SurveyAnswer.rating))
        .select_from(SurveyResponse).outerjoin(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.submitted_at >= start, SurveyResponse.submitted_at < end)).one()
    return {
        "average_rating": round(total / responses, 2) if responses else None,
        "responses": responses,
        "by_kind": {kind: {"average_rating": round(float(avg), 2), "responses": n} for kind, avg, n in rows},
        "survey": {"responses": survey_responses,
                   "average_rating": round(float(survey_average), 2) if survey_average is not None else None},
    }


def publications(year):
    """Readings logged ("I read this") in the year: how many, by how many people, how many members."""
    day = measured_on(year)
    reads, readers, members_reading = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(sa.distinct(PublicationRead.member_id)),
                  sa.func.count(sa.distinct(sa.case((member_of_body_on(day), PublicationRead.member_id)))))
        .join(Member, Member.id == PublicationRead.member_id)
        .where(PublicationRead.read_on >= date(year, 1, 1), PublicationRead.read_on <= date(year, 12, 31))).one()
    return {"reads": reads, "readers": readers, "members_reading": members_reading}


def diversity(year):
    """Members of the body who consented to equality questions (answers recorded by the year's
    measuring day), by answer; a count below five is None so no one can be picked out."""
    day = measured_on(year)
    by_question = [
        sa.select(sa.literal(question).label("question"), getattr(EqualityAnswers, question).label("answer"),
                  sa.func.count().label("n"))
        .join(Member, Member.id == EqualityAnswers.member_id)
        .where(member_of_body_on(day), EqualityAnswers.recorded_on <= day,
               getattr(EqualityAnswers, question).is_not(None))
        .group_by(getattr(EqualityAnswers, question))
        for question in EQUALITY_QUESTIONS]
    found = {question: {} for question in EQUALITY_QUESTIONS}
    for question, answer, n in db.session.execute(sa.union_all(*by_question)):
        found[question][answer] = n
    return equality.suppress_small(found)


def applications(year):
    """Applications for registration submitted in the year (each once, even if sent back and
    submitted again), ratified and declined in it, the median days from first submission to the
    decision, and how many stand at each status now."""
    start, end = year_bounds(year)
    submitted = db.session.scalar(sa.select(sa.func.count(sa.distinct(ApplicationStep.application_id))).where(
        ApplicationStep.step == "submitted", ApplicationStep.at >= start, ApplicationStep.at < end))
    first_submitted = (sa.select(ApplicationStep.application_id, sa.func.min(ApplicationStep.at).label("at"))
                       .where(ApplicationStep.step == "submitted").group_by(ApplicationStep.application_id).subquery())
    decided = db.session.execute(
        sa.select(Application.status, Application.decided_at, first_submitted.c.at)
        .join(first_submitted, first_submitted.c.application_id == Application.id)
        .where(Application.decided_at >= start, Application.decided_at < end)).all()
    days = sorted((_as_aware(decided_at) - _as_aware(sent)).days for _, decided_at, sent in decided)
    return {"submitted": submitted, "ratified": sum(1 for status, *_ in decided if status == "ratified"),
            "declined": sum(1 for status, *_ in decided if status == "declined"),
            "median_days_to_decision": float(statistics.median(days)) if days else None,
            "by_status": applications_by_status()}


def applications_by_status():
    """How many applications stand at each status today."""
    return dict(db.session.execute(sa.select(Application.status, sa.func.count()).group_by(Application.status)).all())


def _as_aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def revalidation(year):
    """The year's CPD declarations, the registrants its audit sampled, and their outcomes."""
    declared = db.session.scalar(sa.select(sa.func.count()).select_from(Declaration).where(Declaration.year == year))
    rows = db.session.execute(
        sa.select(AuditCase.outcome, sa.func.count()).join(CpdAudit, CpdAudit.id == AuditCase.audit_id)
        .where(CpdAudit.year == year).group_by(AuditCase.outcome)).all()
    return {"declared": declared, "audited": sum(n for _, n in rows),
            "outcomes": {outcome: n for outcome, n in rows if outcome is not None}}


def kpis(year):
    """Every measure for the year: a closed year's as stored (cpd.metrics.closed_years) with its
    parts about today read live, any other year computed."""
    with reading_from_replica(db.session):
        stored = closed_years.stored_figures(year)
        if stored is None:
            return _kpis(year)
        return Kpis(**{**stored, "applications": {**stored["applications"], "by_status": applications_by_status()},
                       "revalidation": revalidation(year)})


def compute_kpis(year):
    """Every measure for the year, computed from the facts: a fixed number of aggregate queries,
    whatever the size of the data."""
    with reading_from_replica(db.session):
        return _kpis(year)


def close_years(today, now):
    """Store the figures of every closed year not stored yet: [years stored]."""
    first, _ = years_with_data()
    waiting = [year for year in range(first, today.year) if closed_years.is_closed(year, today)]
    stored = set(closed_years.stored_years())
    return [year for year in waiting
            if year not in stored and closed_years.store(year, compute_kpis(year).as_dict(), now)]


def recount(check, now, years=None):
    """Recompute stored years: {year: [differences]}; without `check`, restate those that differ."""
    found = {}
    for year in years or closed_years.stored_years():
        stored = closed_years.stored_figures(year)
        if stored is None:
            continue
        recomputed = compute_kpis(year).as_dict()
        found[year] = closed_years.differences(stored, closed_years.as_stored(recomputed))
        if found[year] and not check:
            closed_years.restate(year, recomputed, now)
    return found


def _kpis(year):
    check_year(year)
    members_of_body = member_total(measured_on(year))
    zones = event_zones()
    return Kpis(
        year=year,
        registrations=registrations(year),
        training=training(year, members_of_body, zones),
        cpd=cpd(year, members_of_body),
        membership=membership(year),
        outreach=outreach(year, zones),
        engagement=engagement(year, zones),
        recognition=recognition(year),
        satisfaction=satisfaction(year, zones),
        membership_engagement=membership_engagement(year, zones),
        publications=publications(year),
        diversity=diversity(year),
        applications=applications(year),
        revalidation=revalidation(year),
    )


def cpd_hours_by_type(year):
    start, end = date(year, 1, 1), date(year, 12, 31)
    rows = db.session.execute(
        sa.select(CpdRecord.activity_type, sa.func.sum(CpdRecord.hours))
        .where(CpdRecord.ended_on >= start, CpdRecord.ended_on <= end)
        .group_by(CpdRecord.activity_type)
    ).all()
    found = {t: float(h or 0) for t, h in rows}
    return {t: round(found.get(t, 0.0), 2) for t in ACTIVITY_TYPES}


def monthly_activity(year):
    """Bookings made and attendances, by month of the year: two GROUP BY queries."""
    from cpd.core.queries import year_month

    start, end = year_bounds(year)
    booked_month = year_month(Booking.created_at)
    booked = dict(db.session.execute(
        sa.select(booked_month, sa.func.count()).where(Booking.created_at >= start, Booking.created_at < end)
        .group_by(booked_month)).all())
    attended_month = year_month(Event.starts_at)
    attended = dict(db.session.execute(
        sa.select(attended_month, sa.func.count()).join(Booking, Booking.event_id == Event.id)
        .where(Booking.attended.is_(True), Event.starts_at >= start, Event.starts_at < end)
        .group_by(attended_month)).all())
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    return [(month, booked.get(month, 0), attended.get(month, 0)) for month in months]


