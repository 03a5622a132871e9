"""The programme: finding events, checking and changing them, programme sessions and the course catalogue.

Functions flush, never commit; the caller commits once."""
from datetime import datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo, available_timezones

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from cpd.core import audit, limits
from cpd.core.errors import Conflict, Forbidden, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.pagination import count_rows
from cpd.core.queries import contains_pattern
from cpd.core.text import has_control_characters
from cpd.events import groups, hooks, notices, permissions, rescheduling, session_places
from cpd.events.booking import fill_from_waiting_list
from cpd.events.models import Booking, Course, Event, EventFacts, ProgrammeSession
from cpd.events import seats
from cpd.events.seats import lock_event
from cpd.events.vocabulary import EVENT_KINDS, EVENT_STATUSES, SESSION_KINDS
from cpd.extensions import db
from cpd.members.vocabulary import DISCIPLINES
from cpd.records.vocabulary import ACTIVITY_TYPES


EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2200, 1, 1, tzinfo=timezone.utc)
EVENT_FIELDS = (
    "kind", "title", "description", "starts_at", "ends_at", "timezone", "venue", "online_url", "capacity",
    "cpd_hours", "cpd_activity_type", "discipline", "status", "sig_id", "course_id", "members_only",
    "booking_opens_at", "booking_closes_at", "cancellation_deadline", "refund_deadline",
)
TIME_FIELDS = ("starts_at", "ends_at", "booking_opens_at", "booking_closes_at", "cancellation_deadline",
               "refund_deadline")


# --- finding events ----------------------------------------------------------------------------

def start_of_day(day):
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc)


def end_of_day(day):
    return datetime.combine(day, datetime.max.time(), tzinfo=timezone.utc)


def sig_choices(actor):
    """(id, name) of the SIGs the actor may put sessions in."""
    return groups.groups_led_by(actor)


def event_search(actor=None, kind=None, date_from=None, date_to=None, sig_id=None, course_id=None,
                 discipline=None, query=None, status=None):
    """A select() of events, soonest first; drafts only for staff (add seat figures to a page of it)."""
    statement = sa.select(Event).order_by(Event.starts_at, Event.id)
    if status and actor is not None and actor.is_staff:
        statement = statement.where(Event.status == status)
    elif status in ("published", "cancelled"):
        statement = statement.where(Event.status == status)
    else:
        statement = statement.where(Event.status == "published")
    if kind:
        statement = statement.where(Event.kind == kind)
    if date_from:
        statement = statement.where(Event.ends_at >= date_from)
    if date_to:
        statement = statement.where(Event.starts_at <= date_to)
    if sig_id:
        statement = statement.where(Event.sig_id == sig_id)
    if course_id:
        statement = statement.where(Event.course_id == course_id)
    if discipline:
        statement = statement.where(Event.discipline == discipline)
    if query:
        pattern = contains_pattern(query)
        statement = statement.where(
            sa.or_(sa.func.lower(Event.title).like(pattern, escape="\\"),
                   sa.func.lower(Event.description).like(pattern, escape="\\"),
                   sa.func.lower(Event.venue).like(pattern, escape="\\"))
        )
    return statement


# What a list shows of each event: its bookkeeping times and author are left in the table.
_LISTED_COLUMNS = [column for column in Event.__table__.c if column.key not in ("created_at", "updated_at",
                                                                               "created_by_id")]


class ListedEvent(EventFacts):
    """One event of a list, read as a plain row, with its programme sessions: building 50 mapped
    events and their session collections was half of the programme list's time (bench/RESULTS.md)."""

    def __init__(self, row, sessions):
        self.__dict__.update(row._asdict())
        self.sessions = sessions


def page_of_events(statement, page, per_page, total=None):
    """The contract's list shape for a select() from event_search: a count (unless given), the page
    (its seat figures are on the rows), and the page's programme sessions: three queries."""
    if total is None:
        total = count_rows(statement.with_only_columns(Event.id))
    rows = db.session.execute(statement.with_only_columns(*_LISTED_COLUMNS)
                              .limit(per_page).offset((page - 1) * per_page)).all()
    sessions = sessions_by_event([row.id for row in rows])
    return {"items": [ListedEvent(row, sessions[row.id]) for row in rows], "total": total, "page": page,
            "per_page": per_page}


def sessions_by_event(event_ids):
    """{event id: its programme sessions in order}, in one query."""
    by_event = {event_id: [] for event_id in event_ids}
    if by_event:
        sessions = db.session.scalars(
            sa.select(ProgrammeSession).where(ProgrammeSession.event_id.in_(by_event))
            .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
        )
        for session in sessions:
            by_event[session.event_id].append(session)
    return by_event


def load_programmes(events):
    """Every mapped event's programme sessions in one query (measured: a quarter of selectinload's cost)."""
    by_event = sessions_by_event([event.id for event in events])
    for event in events:
        set_committed_value(event, "sessions", by_event[event.id])


def get_event_for(actor, event_id):
    """An event the actor may see (drafts: its managers only), with its programme: one query."""
    event = db.session.get(Event, event_id, options=[joinedload(Event.sessions)])
    if event is None or not permissions.can_see_event(actor, event):
        raise NotFound("No such event.")
    return event


def check_may_create_events(actor):
    if not permissions.may_create_some_event(actor):
        raise Forbidden("Only staff, or a SIG's leads for that SIG's sessions, can create events.")


def get_managed_event(actor, event_id):
    event = get_event_for(actor, event_id)
    if not permissions.can_manage_event(actor, event):
        raise Forbidden("Only staff, or the SIG's leads for their sessions, can do this.")
    return event


# --- checking an event's values ----------------------------------------------------------------

def zone_for(name):
    if not isinstance(name, str) or name not in _timezones():
        raise Invalid.on_field("timezone", "Must be an IANA timezone name, such as Europe/London.")
    return ZoneInfo(name)


_TIMEZONES = None


def _timezones():
    global _TIMEZONES
    if _TIMEZONES is None:
        _TIMEZONES = frozenset(available_timezones())
    return _TIMEZONES


def to_utc(value, zone):
    """An aware datetime in UTC; a time given without an offset is the event's local time."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(timezone.utc)


def _clean_event(values):
    """Check a whole event's values: each field, then the rules between them; raises Invalid with
    every field's error."""
    errors = {}
    cleaned = _event_fields(values, errors)
    _event_rules(cleaned, values, errors)
    if errors:
        raise Invalid.from_fields(errors)
    return cleaned


def _event_fields(values, errors):
    """Each field on its own: its vocabulary, length, number and time (in the event's timezone)."""
    cleaned = dict(values)
    if values.get("kind") not in EVENT_KINDS:
        errors.setdefault("kind", []).append(f"Must be one of: {', '.join(EVENT_KINDS)}.")
    if values.get("status") not in EVENT_STATUSES:
        errors.setdefault("status", []).append(f"Must be one of: {', '.join(EVENT_STATUSES)}.")
    cleaned["title"] = limits.check_text(values, "title", limits.TITLE, errors)
    cleaned["description"] = limits.check_text(values, "description", limits.DESCRIPTION, errors, one_line=False)
    cleaned["venue"] = limits.check_text(values, "venue", limits.VENUE, errors)
    cleaned["online_url"] = limits.check_text(values, "online_url", limits.WEB_ADDRESS, errors)
    if cleaned["online_url"] and not cleaned["online_url"].startswith(("https://", "http://")):
        errors.setdefault("online_url", []).append("Must be a web address starting https://.")
    if has_control_characters(values.get("timezone"), allow_newlines=False):
        errors.setdefault("timezone", []).append("Must be one line without control characters.")
    try:
        zone = zone_for(values.get("timezone"))
    except Invalid as error:
        errors.update(error.errors)
        zone = timezone.utc
    for field in TIME_FIELDS:
        cleaned[field] = to_utc(values.get(field), zone)
        if cleaned[field] is not None and not EARLIEST <= cleaned[field] <= LATEST:
            errors.setdefault(field, []).append("Must be between the years 2000 and 2200.")
    cleaned["capacity"] = limits.check_whole_number(values, "capacity", limits.CAPACITY, errors)
    cleaned["cpd_hours"] = limits.check_hours(values, "cpd_hours", limits.CPD_HOURS, errors)
    if values.get("cpd_activity_type") not in ACTIVITY_TYPES:
        errors.setdefault("cpd_activity_type", []).append(f"Must be one of: {', '.join(ACTIVITY_TYPES)}.")
    if values.get("discipline") is not None and values["discipline"] not in DISCIPLINES:
        errors.setdefault("discipline", []).append(f"Must be one of: {', '.join(DISCIPLINES)}.")
    return cleaned


def _event_rules(cleaned, values, errors):
    """The rules between fields: times in order, booking windows, credited hours within the event's
    length, and what the event belongs to."""
    def fail(field, message):
        errors.setdefault(field, []).append(message)

    starts, ends = cleaned["starts_at"], cleaned["ends_at"]
    if starts is None:
        fail("starts_at", "Required.")
    if ends is None:
        fail("ends_at", "Required.")
    if starts and ends and ends <= starts:
        fail("ends_at", "Must be after the start.")
    opens, closes = cleaned["booking_opens_at"], cleaned["booking_closes_at"]
    if opens and closes and closes <= opens:
        fail("booking_closes_at", "Must be after booking opens.")
    if opens and starts and opens >= starts:
        fail("booking_opens_at", "Must be before the event starts.")
    for deadline in ("cancellation_deadline", "refund_deadline"):
        if cleaned.get(deadline) and starts and cleaned[deadline] > starts:
            fail(deadline, "Must not be after the event starts.")
    if cleaned.get("cpd_hours") is not None and starts and ends and not errors.get("cpd_hours"):
        length = Decimal((ends - starts).total_seconds()) / 3600
        if cleaned["cpd_hours"] > length:
            fail("cpd_hours", f"Must not be more than the event lasts ({length.quantize(Decimal('0.01'))} h).")
    if values.get("course_id") is not None:
        if db.session.get(Course, values["course_id"]) is None:
            fail("course_id", "No such course.")
        elif values.get("kind") != "course":
            fail("course_id", "Only a course run belongs to a course.")
    if values.get("kind") == "sig_session" and values.get("sig_id") is None:
        fail("sig_id", "A SIG session needs its SIG.")
    if values.get("sig_id") is not None and not groups.group_exists(values["sig_id"]):
        fail("sig_id", "No such SIG.")


# --- creating and changing events --------------------------------------------------------------

def create_event(actor, values):
    values = {"status": "published", "timezone": "Europe/London", "members_only": False, **values}
    if values.get("cpd_activity_type") is None:
        # A course's run is the course's kind of learning unless the run says otherwise.
        course = db.session.get(Course, values["course_id"]) if isinstance(values.get("course_id"), int) else None
        values["cpd_activity_type"] = course.cpd_activity_type if course else "formal_educational"
    if not permissions.can_create_event(actor, values.get("kind"), values.get("sig_id")):
        raise Forbidden("Only staff, or a SIG's leads for that SIG's sessions, can create this event.")
    unknown = set(values) - set(EVENT_FIELDS)
    if unknown:
        raise Invalid(f"Unknown fields: {', '.join(sorted(unknown))}.")
    cleaned = _clean_event(values)
    if cleaned.get("course_id") and cleaned.get("cpd_hours") is None:
        cleaned["cpd_hours"] = db.session.get(Course, cleaned["course_id"]).cpd_hours
    event = Event(created_by_id=actor.id, **cleaned)
    db.session.add(event)
    db.session.flush()
    audit.record_staff_action(actor, "event.create", "event", event.id)
    return event


def _current_values(event):
    values = {field: getattr(event, field) for field in EVENT_FIELDS}
    return values


def update_event(actor, event, changes):
    """Change an event; a larger capacity fills seats from the waiting list at once."""
    if not permissions.can_manage_event(actor, event):
        raise Forbidden("Only staff, or the SIG's leads for their sessions, can change this event.")
    if not actor.is_staff:
        fixed = [field for field in permissions.STAFF_ONLY_EVENT_FIELDS
                 if field in changes and changes[field] != getattr(event, field)]
        if fixed:
            raise Forbidden(f"Only staff change what an event is: {', '.join(fixed)}.",
                            {field: ["Set by staff only."] for field in fixed})
    if event.status == "cancelled" and changes.get("status", "cancelled") != "cancelled":
        raise Invalid.on_field("status", "A cancelled event stays cancelled; create a new one.")
    if changes.get("status") == "cancelled":
        raise Invalid.on_field("status", "Cancel an event with its cancel action, which tells the bookers.")
    event = lock_event(event.id)
    current = _current_values(event)
    local = {field: current[field].astimezone(event.zone) if current[field] else None for field in TIME_FIELDS}
    cleaned = _clean_event({**current, **local, **changes})
    new_capacity = cleaned["capacity"]
    if new_capacity is not None and new_capacity < event.confirmed_count:
        raise Invalid.on_field(
            "capacity", f"{event.confirmed_count} people are booked: capacity cannot go below that."
        )
    hours_changed = "cpd_hours" in changes and cleaned["cpd_hours"] != event.cpd_hours
    if hours_changed and _register_taken(event):
        if not actor.is_staff:
            raise Forbidden("The register is taken: only staff change the CPD hours now.",
                            {"cpd_hours": ["Set by staff only once attendance is taken."]})
        audit.record(actor, "event.cpd_hours_after_attendance", "event", event.id,
                     old=_number(event.cpd_hours), new=_number(cleaned["cpd_hours"]))
    changed = {field: (current[field], cleaned[field]) for field in changes if current[field] != cleaned[field]}
    before = rescheduling.before_the_change(event)
    for field in changes:
        setattr(event, field, cleaned[field])
    audit.record_staff_action(actor, "event.update", "event", event.id, fields=sorted(changes),
                              changes=audit.changes_of(changed))
    db.session.flush()
    rescheduling.after_the_change(event, before)
    fill_from_waiting_list(event)
    return event


def _register_taken(event):
    return db.session.scalar(sa.select(sa.exists().where(Booking.event_id == event.id,
                                                         Booking.attended.is_not(None))))


def _number(value):
    return float(value) if value is not None else None


def cancel_event(actor, event):
    """Cancel the event and every booking with it, telling each booker."""
    if not permissions.can_manage_event(actor, event):
        raise Forbidden("Only staff, or the SIG's leads for their sessions, can cancel this event.")
    event = lock_event(event.id)
    if event.status == "cancelled":
        raise Conflict("The event is already cancelled.")
    event.status = "cancelled"
    audit.record_staff_action(actor, "event.cancel", "event", event.id)
    active = db.session.scalars(
        sa.select(Booking).where(Booking.event_id == event.id, Booking.status != "cancelled")
    ).all()
    now = utcnow()
    for booking in active:
        seats.move(event, booking.status, "cancelled")
        booking.status, booking.cancelled_at = "cancelled", now
        session_places.release_places_of(booking, event)
        notices.queue(booking.member, event, "event_cancelled")
    db.session.flush()
    hooks.tell("bookings_cancelled", active, now, True)
    return event


def add_session(actor, event, values):
    """A talk or workshop in a conference's programme."""
    if not permissions.can_manage_programme(actor, event):
        raise Forbidden("Only staff build a conference programme.")
    if event.kind != "conference":
        raise Invalid.on_field("event", "Only a conference has a programme.")
    errors = {}
    title = limits.check_text(values, "title", limits.TITLE, errors)
    speaker = limits.check_text(values, "speaker", limits.SPEAKER, errors)
    if values.get("kind", "talk") not in SESSION_KINDS:
        errors["kind"] = [f"Must be one of: {', '.join(SESSION_KINDS)}."]
    starts, ends = to_utc(values.get("starts_at"), event.zone), to_utc(values.get("ends_at"), event.zone)
    if starts is None or ends is None or ends <= starts:
        errors["ends_at"] = ["Give a start and an end after it."]
    elif starts < event.starts_at or ends > event.ends_at:
        errors["starts_at"] = ["Must fall within the conference's own times."]
    capacity = limits.check_whole_number(values, "capacity", limits.CAPACITY, errors)
    if errors:
        raise Invalid.from_fields(errors)
    session = ProgrammeSession(event=event, title=title, kind=values.get("kind", "talk"),
                               speaker=speaker,
                               starts_at=starts, ends_at=ends, capacity=capacity)
    db.session.add(session)
    db.session.flush()
    return session


# --- courses -----------------------------------------------------------------------------------

def create_course(actor, values):
    if actor is None or not actor.is_staff:
        raise Forbidden("Only staff add courses to the catalogue.")
    errors = {}
    title = limits.check_text(values, "title", limits.TITLE, errors)
    description = limits.check_text(values, "description", limits.DESCRIPTION, errors, one_line=False)
    if values.get("discipline") is not None and values["discipline"] not in DISCIPLINES:
        errors["discipline"] = [f"Must be one of: {', '.join(DISCIPLINES)}."]
    activity_type = values.get("cpd_activity_type", "formal_educational")
    if activity_type not in ACTIVITY_TYPES:
        errors["cpd_activity_type"] = [f"Must be one of: {', '.join(ACTIVITY_TYPES)}."]
    hours = limits.check_hours(values, "cpd_hours", limits.CPD_HOURS, errors)
    if errors:
        raise Invalid.from_fields(errors)
    course = Course(title=title, description=description, discipline=values.get("discipline"),
                    cpd_activity_type=activity_type, cpd_hours=hours)
    db.session.add(course)
    db.session.flush()
    audit.record(actor, "course.create", "course", course.id, title=title)
    return course


def course_search(query=None, discipline=None):
    statement = sa.select(Course).options(selectinload(Course.runs)).order_by(Course.title, Course.id)
    if query:
        statement = statement.where(sa.func.lower(Course.title).like(contains_pattern(query), escape="\\"))
    if discipline:
        statement = statement.where(Course.discipline == discipline)
    return statement


def get_course(course_id):
    course = db.session.get(Course, course_id)
    if course is None:
        raise NotFound("No such course.")
    return course
