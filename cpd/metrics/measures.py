"""The strategy's measures for a year ("how we measure it"), each defined once, in SQL aggregates.

Members of the body are accounts with a grade (staff accounts aside); everyone else who books
or logs CPD is a non-member. Erased members stay in every count: erasure removes who they
were, not that they took part.
"""
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal

import sqlalchemy as sa

from cpd.core.replica import reading_from_replica
from cpd.events.models import Booking, Event, Feedback
from cpd.extensions import db
from cpd.engagement.models import Engagement, EngagementTopic
from cpd.metrics import closed_years
from cpd.metrics.income import income
from cpd.metrics.people_figures import (NOT_GIVEN, applications, applications_by_status, diversity,
                                        member_total, membership, recognition, registrations, revalidation)
from cpd.metrics.years import check_year, event_zones, starts_in_local_year, year_bounds, years_with_data
from cpd.members.history import measured_on, member_of_body_on, profile_as_of, today
from cpd.members.models import Member
from cpd.mentoring.models import Mentorship
from cpd.organisations.models import Affiliation, SchemeApproval, Sharing, SponsoredOrder
from cpd.payments.models import OrderLine
from cpd.publications.models import Publication, PublicationDownload, PublicationRead
from cpd.records.amounts import hours_inside
from cpd.records import standings
from cpd.records.compliance import members_on_track
from cpd.records.models import CpdRecord
from cpd.records.vocabulary import ACTIVITY_TYPES
from cpd.sigs.models import OutreachReach, SigMembership
from cpd.surveys.models import SurveyAnswer, SurveyResponse

TRAINING_KINDS = ("course", "conference")

# One sentence per figure, shown beside it on the dashboard.
# "Members of the body" in a year are those who had joined, had not left and held a grade on its
# last day (today, for the year under way): cpd.members.history.member_of_body_on.
EXPLANATIONS = {
    "registrations": "Professional registrations of members of the body: awarded in the year, by title, and 'held' on its last day (lapsed ones no longer held).",
    "training": "Members of the body, and everyone else, who attended at least one course or conference starting in the year (in the event's own time zone); the share is of all members of the body. 'With publications' counts those who attended one or logged reading a publication in the year (the strategy's 'courses, the Publications, the technical conference').",
    "cpd": "Hours of CPD anyone logged in the year (activities ending in it), and the members of the body whose record meets their own CPD policy on the year's last day (today, for this year), judged as their own summary judges them. This year's count reads each member's stored standing: as of the latest daily round, with every change to a log since.",
    "membership": "Members of the body on the year's last day (today, for this year), by discipline, sector, career stage and the grade they held that day.",
    "outreach": "Young people, parents and teachers counted at outreach events starting in the year (in the event's own time zone).",
    "engagement": "Attendances at conferences and SIG sessions starting in the year, members of the body in a SIG at some point of it, and the body's recorded engagements with government, in all and by topic (an engagement on two topics counts under each).",
    "education": "Education resources (publications written for schools): published in the year, available at its end, and opened through their download link in it; beside the year's outreach events.",
    "recognition": "Fellows and ambassadors among members of the body on the year's last day, and the organisations that were technical supporters during the year.",
    "satisfaction": "The average rating (1 to 5) that attendees marked present gave events held in the year, and the year's member survey responses and their average rating.",
    "publications": "Readings of the body's publications logged in the year ('I read this'): how many, by how many people, and how many of them members of the body.",
    "diversity": "Members of the body who chose to answer the equality questions, by answer; any count below five is not shown (null).",
    "applications": "Applications for professional registration submitted in the year, ratified and declined in it, the median days from submission to the decision, and how many stand at each status today.",
    "revalidation": "CPD declarations registrants made for the year, the registrants the year's CPD audit sampled, and their outcomes so far.",
    "partners": "Partnering with industry: organisations with people belonging to them during the year, the people organisations booked onto events by orders placed in it, those sharing their standing with an organisation whose scheme was approved for some of the year, and mentoring pairs active at some time in it.",
    "income": "Paid courses and conferences: the invoices issued in the year (VAT included), by kind of event, and the credit notes issued in it (refunded).",
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
    income: dict = field(default_factory=dict)
    education: dict = field(default_factory=dict)
    partners: dict = field(default_factory=dict)

    def as_dict(self):
        return asdict(self)


def _share(part, whole):
    return round(part / whole, 4) if whole else 0.0


def attended_in_year(year, kinds, zones):
    return (
        sa.select(Booking.member_id)
        .join(Event, Event.id == Booking.event_id)
        .where(Booking.attended.is_(True), Event.kind.in_(kinds), starts_in_local_year(year, zones))
    )


def training(year, members_of_body, zones):
    """People who attended a course or conference starting in the year; and, as one figure (the
    strategy's "engaged with training and development such as courses, the Publications, the
    technical conference"), those who attended one or logged reading a publication in the year.
    Members of the body and others apart; one query."""
    attended = attended_in_year(year, TRAINING_KINDS, zones).add_columns(sa.literal(1).label("attended"))
    reading = sa.select(PublicationRead.member_id, sa.literal(0).label("attended")).where(
        PublicationRead.read_on >= date(year, 1, 1), PublicationRead.read_on <= date(year, 12, 31))
    engaged = sa.union(attended, reading).subquery()
    is_member = member_of_body_on(measured_on(year))
    rows = db.session.execute(
        sa.select(is_member, sa.func.count(sa.distinct(sa.case((engaged.c.attended == 1, engaged.c.member_id)))),
                  sa.func.count(sa.distinct(engaged.c.member_id)))
        .select_from(engaged).join(Member, Member.id == engaged.c.member_id)
        .where(Member.role == "member").group_by(is_member)
    ).all()
    attending = {bool(is_member): n for is_member, n, _ in rows}
    either = {bool(is_member): n for is_member, _, n in rows}
    members_engaged = attending.get(True, 0)
    return {"members_engaged": members_engaged, "non_members_engaged": attending.get(False, 0),
            "share_of_members": _share(members_engaged, members_of_body),
            "with_publications": {"members_engaged": either.get(True, 0), "non_members_engaged": either.get(False, 0)}}


def _inside_the_year(year):
    """A record's hours inside the year (a record over New Year counts by its days on each side, as a
    member's own summary counts it) and the records that reach into it, read from one index."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return hours_inside(start, end), (CpdRecord.ended_on >= start, CpdRecord.started_on <= end)


def _hours_logged(year):
    """The hours inside the year, in one statement: a record wholly inside it counts all its hours
    (no arithmetic on the third of a million rows a year holds at scale), one reaching over New
    Year by its days inside."""
    hours_in_year, reaching = _inside_the_year(year)
    start, end = date(year, 1, 1), date(year, 12, 31)
    inside = (CpdRecord.started_on >= start, CpdRecord.ended_on <= end)
    wholly = sa.select(sa.func.sum(CpdRecord.hours)).where(*reaching, *inside).scalar_subquery()
    partly = (sa.select(sa.func.sum(hours_in_year)).where(*reaching, sa.not_(sa.and_(*inside)))
              .scalar_subquery())
    return db.session.scalar(sa.select(sa.func.coalesce(wholly, 0) + sa.func.coalesce(partly, 0)))


def cpd(year, members_of_body):
    hours = _hours_logged(year)
    meeting, standings_as_of = members_meeting_policy(measured_on(year))
    figures = {"hours_logged": float(Decimal(str(hours)).quantize(Decimal("0.01"))),
               "members_meeting_policy": meeting,
               "share_meeting_policy": _share(meeting, members_of_body)}
    if standings_as_of is not None:
        figures["standings_as_of"] = standings_as_of
    return figures


def members_meeting_policy(as_of):
    """(Members of the body on `as_of` whose log meets their own policy then (on track, for
    guidance), judged exactly as each member's own summary judges them; the day of the standings
    round the count is as of, or None when every log was measured for it). Today's count reads the
    stored standings (cpd.records.standings) once a round has made them."""
    members_of_body = member_of_body_on(as_of)
    if as_of == today():
        stored = standings.on_track_count(as_of, members_of_body)
        if stored is not None:
            return stored
    return members_on_track(as_of, members_of_body), None


def membership_engagement(year, zones):
    """Members of the body who attended anything in the year, by discipline and by career stage."""
    engaged = attended_in_year(year, ("course", "conference", "sig_session", "outreach"), zones).distinct().subquery()
    day = measured_on(year)
    discipline, stage = profile_as_of("discipline", day), profile_as_of("career_stage", day)
    rows = db.session.execute(
        sa.select(discipline, stage, sa.func.count())
        .select_from(engaged).join(Member, Member.id == engaged.c.member_id)
        .where(member_of_body_on(day))
        .group_by(discipline, stage)
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
    in_year = (Engagement.kind == "government", Engagement.happened_on >= date(year, 1, 1),
               Engagement.happened_on <= date(year, 12, 31))
    # One statement: every engagement (under no topic), then each topic's.
    counted = sa.union_all(
        sa.select(sa.null().label("topic"), sa.func.count()).select_from(Engagement).where(*in_year),
        sa.select(EngagementTopic.topic, sa.func.count()).join(Engagement, Engagement.id == EngagementTopic.engagement_id)
        .where(*in_year).group_by(EngagementTopic.topic))
    by_topic = dict(db.session.execute(counted).all())
    government = by_topic.pop(None)
    return {"conference_attendances": counts.get("conference", 0), "sig_attendances": counts.get("sig_session", 0),
            "sig_members": sig_members, "government": government, "government_by_topic": by_topic}


def education(year, zones):
    """Education resources (publications for schools) published in the year and available at its
    end, how often they were opened through their download link in it, and the year's outreach events."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    for_schools = Publication.audience == "schools"
    resources = (sa.select(sa.func.coalesce(sa.func.sum(sa.case((Publication.published_on >= first, 1), else_=0)), 0),
                           sa.func.count()).where(for_schools, Publication.published_on <= last).subquery())
    downloads = (sa.select(sa.func.coalesce(sa.func.sum(PublicationDownload.n), 0))
                 .join(Publication, Publication.id == PublicationDownload.publication_id)
                 .where(for_schools, PublicationDownload.downloaded_on >= first,
                        PublicationDownload.downloaded_on <= last).scalar_subquery())
    outreach_events = sa.select(sa.func.count()).select_from(Event).where(
        Event.kind == "outreach", Event.status != "cancelled", starts_in_local_year(year, zones)).scalar_subquery()
    published, available, downloaded, events = db.session.execute(
        sa.select(*resources.c, downloads, outreach_events)).one()
    return {"resources_published": int(published), "resources_available": int(available), "downloads": int(downloaded),
            "outreach_events": int(events)}


def partners(year):
    """The strategy's "partnering with industry": organisations with people belonging to them at
    some time in the year, the people organisations booked onto events by orders placed in it, and
    people sharing their standing with an organisation whose scheme was approved for some of it, and
    mentoring pairs active at some time in it. One query."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    year_starts = datetime(year, 1, 1, tzinfo=timezone.utc)
    organisations = sa.select(sa.func.count(sa.distinct(Affiliation.organisation_id))).where(
        Affiliation.since <= last, sa.or_(Affiliation.until.is_(None), Affiliation.until >= first)).scalar_subquery()
    sponsored = (sa.select(sa.func.count(sa.distinct(Booking.member_id))).select_from(SponsoredOrder)
                 .join(OrderLine, OrderLine.order_id == SponsoredOrder.order_id)
                 .join(Booking, Booking.id == OrderLine.booking_id)
                 .where(SponsoredOrder.placed_on >= first, SponsoredOrder.placed_on <= last).scalar_subquery())
    in_schemes = (sa.select(sa.func.count(sa.distinct(Sharing.member_id)))
                  .join(Affiliation, sa.and_(Affiliation.organisation_id == Sharing.organisation_id,
                                             Affiliation.member_id == Sharing.member_id))
                  .join(SchemeApproval, SchemeApproval.organisation_id == Sharing.organisation_id)
                  .where(SchemeApproval.valid_from <= last, SchemeApproval.valid_until >= first,
                         Affiliation.since <= last, sa.or_(Affiliation.until.is_(None), Affiliation.until >= first),
                         Sharing.since < datetime(year + 1, 1, 1, tzinfo=timezone.utc),
                         sa.or_(Sharing.until.is_(None), Sharing.until >= year_starts)).scalar_subquery())
    pairs = sa.select(sa.func.count()).select_from(Mentorship).where(
        Mentorship.active_since.is_not(None), Mentorship.active_since <= last,
        sa.or_(Mentorship.ended_on.is_(None), Mentorship.ended_on >= first)).scalar_subquery()
    engaged, members_sponsored, members_in_schemes, mentoring_pairs = db.session.execute(
        sa.select(organisations, sponsored, in_schemes, pairs)).one()
    return {"organisations": int(engaged), "members_sponsored": int(members_sponsored),
            "members_in_approved_schemes": int(members_in_schemes), "mentoring_pairs": int(mentoring_pairs)}


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


def kpis(year):
    """Every measure for the year: a closed year's as stored (cpd.metrics.closed_years) with its
    parts about today read live, any other year computed."""
    with reading_from_replica(db.session):
        stored = closed_years.stored_figures(year)
        if stored is None:
            return _kpis(year)
        missing = closed_years.missing_measures(stored)
        if missing:  # until the daily round adds them to the store
            stored = closed_years.with_measures_added(stored, _kpis(year).as_dict(), missing)
        return Kpis(**{**stored, "applications": {**stored["applications"], "by_status": applications_by_status()},
                       "revalidation": revalidation(year)})


def compute_kpis(year):
    """Every measure for the year, computed from the facts: a fixed number of aggregate queries,
    whatever the size of the data."""
    with reading_from_replica(db.session):
        return _kpis(year)


def close_years(today, now):
    """Store the figures of every closed year not stored yet, and add to each stored year the
    measures added since it was stored: [years stored or completed]."""
    first, _ = years_with_data()
    waiting = [year for year in range(first, today.year) if closed_years.is_closed(year, today)]
    stored = set(closed_years.stored_years())
    done = [year for year in waiting
            if year not in stored and closed_years.store(year, compute_kpis(year).as_dict(), now)]
    for year in sorted(stored):
        figures = closed_years.stored_figures(year)
        missing = closed_years.missing_measures(figures)
        if missing:
            closed_years.complete(year, closed_years.with_measures_added(figures, compute_kpis(year).as_dict(),
                                                                         missing))
            done.append(year)
    return done


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
        income=income(year),
        education=education(year, zones),
        partners=partners(year),
    )


def cpd_hours_by_type(year):
    hours_in_year, reaching = _inside_the_year(year)
    rows = db.session.execute(
        sa.select(CpdRecord.activity_type, sa.func.sum(hours_in_year)).where(*reaching)
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


