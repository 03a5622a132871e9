"""The professional review interview, for titles that have one (`interview`: IEng and CEng by
default). The Engineering Council: "For IEng and CEng registration there is also a professional
review interview" (How to register); the IET's guidance for candidates: it "is conducted by two
registered members ... who are trained for this purpose".

Staff schedule it once both assessments are in (a time and zone, a place or an online link) with
two interviewers who hold the title or one above it and have no other part in the application;
the applicant and both interviewers get a calendar invitation. Until a report is in, staff may move
it (the same calendar entry with its SEQUENCE raised, so calendars replace the old time). Each interviewer reports on every
competence with a recommendation; with both reports in, the application is `interviewed` and goes
to the committee. Functions flush, never commit."""
from datetime import timedelta, timezone

import sqlalchemy as sa
from flask import request
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as CalendarEvent

from cpd.core import limits
from cpd.core.errors import Conflict, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.permissions import ensure_staff
from cpd.core.text import one_line
from cpd.core.urls import public_url
from cpd.events.catalogue import zone_for
from cpd.events.timezones import vtimezone
from cpd.extensions import db
from cpd.members.models import Member
from cpd.notices import queue_notice
from cpd.registration import review, titles
from cpd.registration.models import Application, Interview, InterviewReport
from cpd.registration.steps import step, with_details
from cpd.registration.vocabulary import APPLICATION_STATUSES

INTERVIEW_MINUTES = 90  # the length of the calendar entry: a presentation and questions (IET's guidance)


def _when_and_where(details, errors):
    zone = None
    try:
        zone = zone_for(details.get("timezone"))
    except Invalid as error:
        errors.update(error.fields)
    starts_at = details.get("starts_at")
    if starts_at is None:
        errors["starts_at"] = ["When the interview starts."]
    elif zone is not None:
        starts_at = (starts_at.replace(tzinfo=zone) if starts_at.tzinfo is None else starts_at).astimezone(timezone.utc)
        if starts_at <= utcnow():
            errors["starts_at"] = ["The interview is in the future."]
    venue = limits.check_text(details, "venue", limits.VENUE, errors)
    online_url = limits.check_text(details, "online_url", limits.WEB_ADDRESS, errors)
    if online_url and not online_url.startswith("https://"):
        errors["online_url"] = ["Must be a web address starting https://."]
    if not venue and not online_url:
        errors["venue"] = ["Give the place, or an online_url for an interview held online."]
    return starts_at, venue, online_url


def schedule(actor, application, details):
    """`details`: starts_at, timezone, venue or online_url, interviewer_ids (two)."""
    ensure_staff(actor)
    review.refuse_a_second_role(actor, application, "case officer")
    title = titles.get_title(application.title)
    if not title.interview:
        raise Conflict(f"{title.title} has no professional review interview: the committee decides after assessment.")
    moving = application.status == "interview_scheduled"
    if moving and any(r.reported_at for r in application.interviewers):
        raise Conflict("An interviewer has reported: the interview has taken place and cannot be moved.")
    if application.status != "assessed" and not moving:
        raise Conflict(f"An interview follows both assessments; this application is "
                       f"{APPLICATION_STATUSES[application.status].lower()}.")
    errors = {}
    starts_at, venue, online_url = _when_and_where(details, errors)
    ids = list(dict.fromkeys(details.get("interviewer_ids") or []))
    people = {}
    if len(ids) != 2:
        errors["interviewer_ids"] = ["Choose two different interviewers."]
    else:
        people = {m.id: m for m in db.session.scalars(sa.select(Member).where(Member.id.in_(ids)))}
        if moving:  # the interviewers already appointed may stay
            application.interviewers = [r for r in application.interviewers if r.interviewer_id in ids]
            db.session.flush()
        problems = review.appointment_problems(
            actor, application, [i for i in ids if i not in {r.interviewer_id for r in application.interviewers}],
            people, "interviewer")
        if problems:
            errors["interviewer_ids"] = ["; ".join(problems) + "."]
    if errors:
        raise Invalid.from_fields(errors)
    if moving:  # the same calendar entry, changed: its SEQUENCE goes up (RFC 5545 3.8.7.4)
        interview = application.interview
        interview.starts_at, interview.timezone, interview.venue, interview.online_url = (
            starts_at, details["timezone"], venue, online_url)
        interview.sequence += 1
    else:
        application.interview = Interview(starts_at=starts_at, timezone=details["timezone"], venue=venue,
                                          online_url=online_url, scheduled_by_id=actor.id, sequence=0)
    kept = {r.interviewer_id for r in application.interviewers}
    application.interviewers.extend(InterviewReport(interviewer_id=i, competences={}, comment="")
                                    for i in ids if i not in kept)
    application.status = "interview_scheduled"
    step(application, actor, "interview_moved" if moving else "interview_scheduled",
         f"{_when(application.interview)}, {_where(application.interview)}")
    db.session.flush()
    _invite_everyone(application, title, [people[i] for i in ids])
    return application


def _when(interview):
    return f"{interview.local_starts_at:%A %-d %B %Y, %H:%M} ({interview.timezone})"


def _where(interview):
    return interview.venue or f"online: {interview.online_url}"


def _invite_everyone(application, title, interviewers):
    interview = application.interview
    when, where = _when(interview), _where(interview)
    invitation = invitation_calendar(application, title, interviewers)
    candidate = queue_notice(
        application.member, "interview_invitation", f"Your professional review interview for {title.title}",
        f"Your professional review interview for {title.name} ({title.title}) is on {when}, {where}. "
        f"Two registered members will interview you: {' and '.join(p.full_name for p in interviewers)}. "
        "The calendar invitation is attached.",
        links=[("Your application", public_url("registration.my_application", application_id=application.id))])
    candidate.calendar = invitation
    for person in interviewers:
        notice = queue_notice(
            person, "interview_request", f"Please interview a candidate for {title.title}",
            f"Staff have asked you to interview {application.member.full_name} for {title.name} ({title.title}) "
            f"on {when}, {where}. Afterwards, report on each competence with your recommendation.",
            links=[("Your interview report", public_url("registration.interview_report_page",
                                                        application_id=application.id))])
        notice.calendar = invitation


def invitation_calendar(application, title, interviewers):
    """The interview as an RFC 5545 calendar: one VEVENT with the three people as attendees."""
    interview = application.interview
    host = request.host.split(":")[0] if request else "cpd.example.org"
    calendar = Calendar()
    calendar.add("prodid", "-//Learning and CPD platform//Registration//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"interview-{application.id}@{host}")
    entry.add("sequence", interview.sequence)
    entry.add("dtstamp", utcnow())
    starts = interview.local_starts_at
    entry.add("dtstart", starts)
    entry.add("dtend", starts + timedelta(minutes=INTERVIEW_MINUTES))
    entry.add("summary", one_line(f"Professional review interview: {title.title}, {application.member.full_name}"))
    entry.add("location", one_line(interview.venue or interview.online_url))
    if interview.online_url:
        entry.add("url", interview.online_url)
    for person in [application.member, *interviewers]:
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(one_line(person.full_name))
        entry.add("attendee", attendee, encode=0)
    calendar.add_component(entry)
    if interview.timezone != "UTC":
        calendar.add_component(vtimezone(interview.timezone, starts.year))
    return calendar.to_ical().decode("utf-8")


def report_of(actor, application_id):
    """The actor's own interview report; 404 for anyone not interviewing on the application."""
    found = db.session.scalar(sa.select(InterviewReport).where(InterviewReport.application_id == application_id,
                                                               InterviewReport.interviewer_id == actor.id))
    if found is None:
        raise NotFound("No such application.")
    return found


def my_interviews(actor):
    return (sa.select(Application).join(InterviewReport, InterviewReport.application_id == Application.id)
            .where(InterviewReport.interviewer_id == actor.id).options(*with_details())
            .order_by(Application.updated_at.desc()))


def report(actor, application_id, competences, comment, recommendation):
    """An interviewer's report: met or not_met for every competence, and a recommendation that
    agrees with them. With both reports in, the application is interviewed."""
    found = report_of(actor, application_id)
    application = db.session.get(Application, application_id)
    if application.status != "interview_scheduled" or found.reported_at is not None:
        raise Conflict("This interview report is closed." if found.reported_at else
                       f"The interview is not awaiting reports; the application is "
                       f"{APPLICATION_STATUSES[application.status].lower()}.")
    codes = [c.code for c in titles.get_title(application.title).competences]
    competences, comment = review.checked_verdict(codes, competences, comment, recommendation)
    if utcnow() < application.interview.starts_at:
        raise Conflict("The interview has not taken place yet: report after it.")
    found.competences, found.comment = competences, comment
    found.recommendation, found.reported_at = recommendation, utcnow()
    if all(r.reported_at is not None for r in application.interviewers):
        application.status = "interviewed"
        step(application, actor, "interviewed")
    else:
        step(application, actor, "one_interview_report_in")
    db.session.flush()
    return found


def visible_reports(application, actor):
    return review.visible_verdicts(application, actor, application.interviewers, "interviewer_id", "reported_at")
