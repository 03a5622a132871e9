"""The booking engine and the rules for events. Functions flush, never commit.

Capacity: a booking locks the event's row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite a
write to the row takes the database's write lock before anything is counted), counts, then
inserts, all in the caller's one transaction. Seat figures are always counted, never stored.
"""
import secrets
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, available_timezones

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from cpd.core import audit
from cpd.core.errors import Conflict, Forbidden, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.pagination import count_rows
from cpd.core.queries import contains_pattern
from cpd.core.text import has_control_characters
from cpd.events import notices, permissions
from cpd.sigs.leadership import members_only_refusal, sigs_led_by
from cpd.sigs.models import Sig
from cpd.events.models import (
    AttendanceMark,
    Booking,
    CalendarFeed,
    Course,
    Event,
    Feedback,
    Notice,
    ProgrammeSession,
    SessionAttendance,
)
from cpd.events.vocabulary import EVENT_KINDS, EVENT_STATUSES, SESSION_KINDS
from cpd.extensions import db
from cpd.members.vocabulary import DISCIPLINES
from cpd.records import services as record_services
from cpd.records.vocabulary import ACTIVITY_TYPES

EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2200, 1, 1, tzinfo=timezone.utc)
EVENT_FIELDS = (
    "kind", "title", "description", "starts_at", "ends_at", "timezone", "venue", "online_url", "capacity",
    "cpd_hours", "cpd_activity_type", "discipline", "status", "sig_id", "course_id", "members_only",
    "booking_opens_at", "booking_closes_at", "cancellation_deadline",
)
TIME_FIELDS = ("starts_at", "ends_at", "booking_opens_at", "booking_closes_at", "cancellation_deadline")


# --- seat figures ---------------------------------------------------------------------------

def _seat_columns():
    confirmed = sa.func.sum(sa.case((Booking.status == "confirmed", 1), else_=0))
    waitlisted = sa.func.sum(sa.case((Booking.status == "waitlisted", 1), else_=0))
    return confirmed, waitlisted


def _seats_with_status(status):
    """The event's bookings in `status`, counted per event row through the (event_id, status) index."""
    return (
        sa.select(sa.func.count()).where(Booking.event_id == Event.id, Booking.status == status)
        .correlate(Event).scalar_subquery()
    )


def with_seat_figures(statement):
    """Add each event's confirmed and waitlisted counts to a select() of events: no extra query,
    and only the rows the page returns are counted."""
    return statement.add_columns(_seats_with_status("confirmed"), _seats_with_status("waitlisted"))


def events_with_figures(rows):
    events = []
    for event, confirmed, waitlisted in rows:
        event.confirmed_count, event.waitlist_count = int(confirmed), int(waitlisted)
        events.append(event)
    return events


def count_seats(event):
    confirmed, waitlisted = _seat_columns()
    row = db.session.execute(sa.select(confirmed, waitlisted).where(Booking.event_id == event.id)).one()
    event.confirmed_count, event.waitlist_count = int(row[0] or 0), int(row[1] or 0)
    return event


# --- finding events -------------------------------------------------------------------------

def start_of_day(day):
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc)


def end_of_day(day):
    return datetime.combine(day, datetime.max.time(), tzinfo=timezone.utc)


def sig_choices(actor):
    """(id, name) of the SIGs the actor may put sessions in."""
    return sigs_led_by(actor)


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


def page_of_events(statement, page, per_page):
    """The contract's list shape for a select() from event_search: a count, the page with its seat
    figures, and the page's programme sessions. The page is cut first (ids only), so the seats are
    counted for its rows alone, not for every event the sort passes over."""
    total = count_rows(statement.with_only_columns(Event.id))
    page_ids = statement.with_only_columns(Event.id).limit(per_page).offset((page - 1) * per_page).subquery()
    rows = db.session.execute(
        with_seat_figures(sa.select(Event)).join(page_ids, page_ids.c.id == Event.id).order_by(Event.starts_at, Event.id)
    ).all()
    events = events_with_figures(rows)
    load_programmes(events)
    return {"items": events, "total": total, "page": page, "per_page": per_page}


def load_programmes(events):
    """Every event's programme sessions in one query (measured: a quarter of selectinload's cost here)."""
    by_event = {event.id: [] for event in events}
    if by_event:
        sessions = db.session.scalars(
            sa.select(ProgrammeSession).where(ProgrammeSession.event_id.in_(by_event))
            .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
        )
        for session in sessions:
            by_event[session.event_id].append(session)
    for event in events:
        set_committed_value(event, "sessions", by_event[event.id])


_EVENT_WITH_SEATS = None


def _event_with_seats_statement():
    """Built once and run with a bound id: building it is dearer than running it."""
    global _EVENT_WITH_SEATS
    if _EVENT_WITH_SEATS is None:
        _EVENT_WITH_SEATS = with_seat_figures(sa.select(Event)).where(Event.id == sa.bindparam("event_id"))
    return _EVENT_WITH_SEATS


def get_event_for(actor, event_id):
    """An event the actor may see (drafts: its managers only), with its seat figures and programme:
    two queries."""
    row = db.session.execute(_event_with_seats_statement(), {"event_id": event_id}).one_or_none()
    if row is None or not permissions.can_see_event(actor, row[0]):
        raise NotFound("No such event.")
    (event,) = events_with_figures([row])
    load_programmes([event])
    return event


def get_managed_event(actor, event_id):
    event = get_event_for(actor, event_id)
    if not permissions.can_manage_event(actor, event):
        raise Forbidden("Only staff, or the SIG's leads for their sessions, can do this.")
    return event


# --- checking an event's values ---------------------------------------------------------------

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
    """Check a whole event's values; raises Invalid with every field's error."""
    errors = {}
    cleaned = dict(values)

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    if values.get("kind") not in EVENT_KINDS:
        fail("kind", f"Must be one of: {', '.join(EVENT_KINDS)}.")
    if values.get("status") not in EVENT_STATUSES:
        fail("status", f"Must be one of: {', '.join(EVENT_STATUSES)}.")
    title = (values.get("title") or "").strip()
    if not title or len(title) > 200:
        fail("title", "Give a title of 1 to 200 characters.")
    cleaned["title"] = title
    for field, limit in (("description", 20_000), ("venue", 300), ("online_url", 500)):
        cleaned[field] = (values.get(field) or "").strip()
        if len(cleaned[field]) > limit:
            fail(field, f"At most {limit} characters.")
    for field in ("title", "venue", "online_url", "timezone"):
        if has_control_characters(values.get(field), allow_newlines=False):
            fail(field, "Must be one line without control characters.")
    if has_control_characters(values.get("description"), allow_newlines=True):
        fail("description", "Contains control characters.")
    if cleaned["online_url"] and not cleaned["online_url"].startswith(("https://", "http://")):
        fail("online_url", "Must be a web address starting https://.")
    try:
        zone = zone_for(values.get("timezone"))
    except Invalid as error:
        errors.update(error.errors)
        zone = timezone.utc
    for field in TIME_FIELDS:
        cleaned[field] = to_utc(values.get(field), zone)
        if cleaned[field] is not None and not EARLIEST <= cleaned[field] <= LATEST:
            fail(field, "Must be between the years 2000 and 2200.")
    starts, ends = cleaned["starts_at"], cleaned["ends_at"]
    if starts is None:
        fail("starts_at", "Required.")
    if ends is None:
        fail("ends_at", "Required.")
    if starts and ends and ends <= starts:
        fail("ends_at", "Must be after starts_at.")
    opens, closes = cleaned["booking_opens_at"], cleaned["booking_closes_at"]
    if opens and closes and closes <= opens:
        fail("booking_closes_at", "Must be after booking_opens_at.")
    if opens and starts and opens >= starts:
        fail("booking_opens_at", "Must be before the event starts.")
    if cleaned["cancellation_deadline"] and starts and cleaned["cancellation_deadline"] > starts:
        fail("cancellation_deadline", "Must not be after the event starts.")
    capacity = values.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 0
                                 or capacity > 1_000_000):
        fail("capacity", "Must be a whole number from 0, or null for unlimited.")
    hours = values.get("cpd_hours")
    if hours is not None:
        try:
            cleaned["cpd_hours"] = Decimal(str(hours)).quantize(Decimal("0.01"))
            if not cleaned["cpd_hours"].is_finite() or not 0 <= cleaned["cpd_hours"] <= 1000:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            fail("cpd_hours", "Must be a number of hours from 0 to 1000.")
    if cleaned.get("cpd_hours") is not None and starts and ends and not errors.get("cpd_hours"):
        length = Decimal((ends - starts).total_seconds()) / 3600
        if cleaned["cpd_hours"] > length:
            fail("cpd_hours", f"Must not be more than the event lasts ({length.quantize(Decimal('0.01'))} h).")
    if values.get("cpd_activity_type") not in ACTIVITY_TYPES:
        fail("cpd_activity_type", f"Must be one of: {', '.join(ACTIVITY_TYPES)}.")
    if values.get("discipline") is not None and values["discipline"] not in DISCIPLINES:
        fail("discipline", f"Must be one of: {', '.join(DISCIPLINES)}.")
    if values.get("course_id") is not None:
        if db.session.get(Course, values["course_id"]) is None:
            fail("course_id", "No such course.")
        elif values.get("kind") != "course":
            fail("course_id", "Only a course run belongs to a course.")
    if values.get("kind") == "sig_session" and values.get("sig_id") is None:
        fail("sig_id", "A SIG session needs its SIG.")
    if values.get("sig_id") is not None and db.session.get(Sig, values["sig_id"]) is None:
        fail("sig_id", "No such SIG.")
    if errors:
        raise Invalid.from_fields(errors)
    return cleaned


# --- creating and changing events -------------------------------------------------------------

def create_event(actor, values):
    values = {"status": "published", "timezone": "Europe/London", "cpd_activity_type": "formal_educational",
              "members_only": False, **values}
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
    return count_seats(event)


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
    count_seats(event)
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
    for field in changes:
        setattr(event, field, cleaned[field])
    audit.record_staff_action(actor, "event.update", "event", event.id, fields=sorted(changes),
                              changes=audit.changes_of(changed))
    db.session.flush()
    fill_from_waiting_list(event)
    return count_seats(event)


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
        booking.status, booking.cancelled_at = "cancelled", now
        notices.queue(booking.member, event, "event_cancelled")
    db.session.flush()
    return count_seats(event)


def add_session(actor, event, values):
    """A talk or workshop in a conference's programme."""
    if not permissions.can_manage_programme(actor, event):
        raise Forbidden("Only staff build a conference programme.")
    if event.kind != "conference":
        raise Invalid.on_field("event", "Only a conference has a programme.")
    errors = {}
    title = (values.get("title") or "").strip()
    if not title or len(title) > 200:
        errors["title"] = ["Give a title of 1 to 200 characters."]
    if values.get("kind", "talk") not in SESSION_KINDS:
        errors["kind"] = [f"Must be one of: {', '.join(SESSION_KINDS)}."]
    starts, ends = to_utc(values.get("starts_at"), event.zone), to_utc(values.get("ends_at"), event.zone)
    if starts is None or ends is None or ends <= starts:
        errors["ends_at"] = ["Give a start and an end after it."]
    elif starts < event.starts_at or ends > event.ends_at:
        errors["starts_at"] = ["Must fall within the conference's own times."]
    capacity = values.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or capacity < 0):
        errors["capacity"] = ["Must be a whole number from 0, or null for unlimited."]
    if errors:
        raise Invalid.from_fields(errors)
    session = ProgrammeSession(event=event, title=title, kind=values.get("kind", "talk"),
                               speaker=(values.get("speaker") or "").strip()[:200],
                               starts_at=starts, ends_at=ends, capacity=capacity)
    db.session.add(session)
    db.session.flush()
    return session


# --- courses --------------------------------------------------------------------------------

def create_course(actor, values):
    if actor is None or not actor.is_staff:
        raise Forbidden("Only staff add courses to the catalogue.")
    errors = {}
    title = (values.get("title") or "").strip()
    if not title or len(title) > 200:
        errors["title"] = ["Give a title of 1 to 200 characters."]
    if values.get("discipline") is not None and values["discipline"] not in DISCIPLINES:
        errors["discipline"] = [f"Must be one of: {', '.join(DISCIPLINES)}."]
    activity_type = values.get("cpd_activity_type", "formal_educational")
    if activity_type not in ACTIVITY_TYPES:
        errors["cpd_activity_type"] = [f"Must be one of: {', '.join(ACTIVITY_TYPES)}."]
    hours = values.get("cpd_hours")
    if hours is not None and not 0 <= hours <= 1000:
        errors["cpd_hours"] = ["Must be a number of hours from 0 to 1000."]
    if errors:
        raise Invalid.from_fields(errors)
    course = Course(title=title, description=(values.get("description") or "").strip(),
                    discipline=values.get("discipline"), cpd_activity_type=activity_type,
                    cpd_hours=Decimal(str(hours)) if hours is not None else None)
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


# --- booking --------------------------------------------------------------------------------

def lock_event(event_id):
    """Take the event's row for this transaction, so counts and inserts cannot interleave."""
    if db.session.get_bind().dialect.name == "sqlite":
        # A write begins SQLite's write transaction: other writers wait until we commit.
        db.session.execute(
            sa.update(Event).where(Event.id == event_id).values(id=Event.id)
            .execution_options(synchronize_session=False)
        )
        event = db.session.get(Event, event_id, populate_existing=True)
    else:
        event = db.session.scalar(
            sa.select(Event).where(Event.id == event_id).with_for_update().execution_options(populate_existing=True)
        )
    if event is None:
        raise NotFound("No such event.")
    return event


def _booking_refusal(member, event, now):
    if event.status == "cancelled":
        return "The event is cancelled."
    if event.status != "published":
        return "The event is not open for booking yet."
    if event.starts_at <= now:
        return "The event has already started."
    if event.booking_opens_at and event.booking_opens_at > now:
        return f"Booking opens on {event.booking_opens_at.astimezone(event.zone):%-d %b %Y at %H:%M} ({event.timezone})."
    if event.booking_closes_at and event.booking_closes_at <= now:
        return f"Booking closed on {event.booking_closes_at.astimezone(event.zone):%-d %b %Y at %H:%M} ({event.timezone})."
    if event.members_only:
        return members_only_refusal(member, event)
    return None


def may_join_online(actor, event, booking=None):
    """Whether `actor` is given the event's online joining link (see permissions.may_join_online)."""
    if actor is None or not event.online_url:
        return False
    if booking is None and not actor.is_staff:
        booking = active_booking(actor.id, event.id)
    return permissions.may_join_online(actor, event, booking)


def active_booking(member_id, event_id):
    return db.session.scalar(
        sa.select(Booking).where(Booking.member_id == member_id, Booking.event_id == event_id,
                                 Booking.status != "cancelled")
    )


def book(member, event_id):
    """A seat if one is free, else a place on the waiting list: lock, count, insert."""
    event = lock_event(event_id)
    if not permissions.can_see_event(member, event):
        raise NotFound("No such event.")
    refusal = _booking_refusal(member, event, utcnow())
    if refusal:
        raise Invalid(refusal, {"event": [refusal]})
    if active_booking(member.id, event.id) is not None:
        raise Conflict("You have already booked this event.")
    count_seats(event)
    status = "confirmed" if not event.is_full else "waitlisted"
    booking = Booking(event=event, member=member, status=status,
                      confirmed_at=utcnow() if status == "confirmed" else None)
    try:
        with db.session.begin_nested():
            db.session.add(booking)
    except sa.exc.IntegrityError:
        raise Conflict("You have already booked this event.") from None
    notices.queue(member, event, "booking_confirmed" if status == "confirmed" else "waitlisted")
    return with_position(booking)


def fill_from_waiting_list(event):
    """Give free seats to the waiting list, first come first served. The event must be locked."""
    count_seats(event)
    if event.capacity is None:
        free = event.waitlist_count
    else:
        free = max(event.capacity - event.confirmed_count, 0)
    if not free:
        return []
    waiting = db.session.scalars(
        sa.select(Booking).where(Booking.event_id == event.id, Booking.status == "waitlisted")
        .order_by(Booking.id).limit(free)
    ).all()
    now = utcnow()
    for booking in waiting:
        booking.status, booking.confirmed_at = "confirmed", now
        notices.queue(booking.member, event, "promoted")
    db.session.flush()
    return waiting


def cancel_booking(actor, booking):
    """The booker (before the deadline) or staff cancel; the first on the waiting list takes the seat."""
    if not permissions.can_manage_booking(actor, booking):
        raise NotFound("No such booking.")
    event = lock_event(booking.event_id)
    db.session.refresh(booking)
    if booking.status == "cancelled":
        raise Conflict("The booking is already cancelled.")
    now = utcnow()
    if not actor.is_staff:
        if event.cancellation_deadline and event.cancellation_deadline <= now:
            raise Invalid(
                f"Cancellations closed on {event.cancellation_deadline.astimezone(event.zone):%-d %b %Y at %H:%M}"
                f" ({event.timezone}).",
                {"booking": ["Past the cancellation deadline."]},
            )
        if event.starts_at <= now:
            raise Invalid("The event has already started.", {"booking": ["The event has started."]})
    was_confirmed = booking.status == "confirmed"
    booking.status, booking.cancelled_at = "cancelled", now
    db.session.flush()
    if was_confirmed:
        fill_from_waiting_list(event)
    return with_position(booking)


def get_booking_for(actor, booking_id):
    booking = db.session.get(Booking, booking_id)
    if booking is None or not permissions.can_manage_booking(actor, booking):
        raise NotFound("No such booking.")
    return with_position(booking)


def with_position(booking):
    """Set the booking's place on the waiting list, counted from the bookings before it."""
    if booking.status != "waitlisted":
        booking.waitlist_position = None
        return booking
    booking.waitlist_position = db.session.scalar(
        sa.select(sa.func.count()).where(Booking.event_id == booking.event_id, Booking.status == "waitlisted",
                                         Booking.id <= booking.id)
    )
    return booking


def _ranked_bookings(which_events):
    """Each booking's place among its event's bookings of the same status, in the order made
    (for waitlisted ones, their waiting-list position), for the events `which_events` selects."""
    return (
        sa.select(Booking.id, sa.func.row_number().over(
            partition_by=(Booking.event_id, Booking.status), order_by=Booking.id).label("position"))
        .where(which_events)
        .subquery()
    )


def member_bookings(member_id, upcoming_only=False):
    """A member's bookings with their events and waiting-list positions."""
    own_events = sa.select(Booking.event_id).where(Booking.member_id == member_id)
    ranked = _ranked_bookings(Booking.event_id.in_(own_events))
    statement = (
        sa.select(Booking, ranked.c.position)
        .join(ranked, ranked.c.id == Booking.id)
        .join(Event, Event.id == Booking.event_id)
        .where(Booking.member_id == member_id)
        .options(selectinload(Booking.event))
        .order_by(Event.starts_at.desc(), Booking.id)
    )
    if upcoming_only:
        statement = statement.where(Event.ends_at >= utcnow(), Booking.status != "cancelled")
    return statement


def bookings_page(statement, page, per_page):
    total = count_rows(statement)
    rows = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page)).all()
    items = []
    for booking, position in rows:
        booking.waitlist_position = position if booking.status == "waitlisted" else None
        items.append(booking)
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def event_bookings(event_id):
    """Everyone booked, waitlisted and cancelled for an event, with positions and members."""
    ranked = _ranked_bookings(Booking.event_id == event_id)
    return (
        sa.select(Booking, ranked.c.position)
        .join(ranked, ranked.c.id == Booking.id)
        .options(selectinload(Booking.member), selectinload(Booking.sessions_attended))
        .order_by(sa.case({"confirmed": 0, "waitlisted": 1}, value=Booking.status, else_=2), Booking.id)
    )


# --- attendance -----------------------------------------------------------------------------

def _credited_hours(event, booking):
    attended_sessions = [a.session for a in booking.sessions_attended]
    if attended_sessions:
        return sum((s.duration_hours for s in attended_sessions), Decimal(0))
    if event.cpd_hours is not None:
        # Never more than the event lasted, whatever was typed as its hours.
        return min(event.cpd_hours, event.duration_hours)
    return event.duration_hours


def mark_attendance(actor, event, attended_ids=(), absent_ids=(), sessions=None):
    """Take the register. Each attended booking gives its member one verified CPD record;
    marking absent again removes it. Sending the same register twice changes nothing."""
    if not permissions.can_manage_event(actor, event):
        raise Forbidden("Only staff, or the SIG's leads for their sessions, take this register.")
    attended_ids, absent_ids = set(attended_ids), set(absent_ids)
    both = attended_ids & absent_ids
    if both:
        raise Invalid(f"Bookings {sorted(both)} are marked both attended and absent.",
                      {"attended": ["A booking cannot be both attended and absent."]})
    if event.starts_at > utcnow():
        raise Invalid("The register opens when the event starts.", {"event": ["Not started yet."]})
    bookings = {b.id: b for b in db.session.scalars(
        sa.select(Booking).where(Booking.event_id == event.id, Booking.id.in_(attended_ids | absent_ids))
        .options(selectinload(Booking.sessions_attended).selectinload(SessionAttendance.session))
    )}
    unknown = (attended_ids | absent_ids) - set(bookings)
    if unknown:
        raise Invalid(f"No bookings {sorted(unknown)} for this event.", {"attended": ["Unknown booking ids."]})
    not_confirmed = sorted(i for i in attended_ids if bookings[i].status != "confirmed")
    if not_confirmed:
        raise Invalid(f"Bookings {not_confirmed} are not confirmed seats.", {"attended": ["Only confirmed seats attend."]})
    session_ids = {s.id: s for s in event.sessions}
    for booking_id, chosen in (sessions or {}).items():
        if booking_id not in attended_ids:
            raise Invalid("Sessions are given only for bookings marked attended.", {"sessions": ["Mark the booking attended."]})
        if set(chosen) - set(session_ids):
            raise Invalid("Unknown programme sessions.", {"sessions": ["Not sessions of this event."]})
    now = utcnow()
    audit.record_staff_action(actor, "event.attendance", "event", event.id, attended=sorted(attended_ids),
                              absent=sorted(absent_ids))
    for booking_id in sorted(attended_ids | absent_ids):
        booking = bookings[booking_id]
        attended = booking_id in attended_ids
        if sessions is not None and booking_id in sessions:
            chosen = set(sessions[booking_id])
            booking.sessions_attended = [a for a in booking.sessions_attended if a.session_id in chosen] + [
                SessionAttendance(session=session_ids[i]) for i in chosen
                if i not in {a.session_id for a in booking.sessions_attended}]
            db.session.flush()
        if booking.attended is not attended:
            booking.attended = attended
            db.session.add(AttendanceMark(booking_id=booking.id, attended=attended, marked_by_id=actor.id, marked_at=now))
        if attended:
            local_start, local_end = event.local_starts_at.date(), event.local_ends_at.date()
            record_services.record_attendance(
                booking.member_id, event.id, event.title, event.cpd_activity_type,
                local_start, local_end, _credited_hours(event, booking))
        else:
            record_services.remove_attendance_record(booking.member_id, event.id)
    db.session.flush()
    return [bookings[i] for i in sorted(bookings)]


def upcoming_events_needing_reminders(now):
    """Confirmed bookings for events starting in the next 24 hours that have had no reminder."""
    reminded = sa.select(Notice.id).where(
        Notice.kind == "reminder", Notice.member_id == Booking.member_id, Notice.event_id == Booking.event_id)
    return db.session.scalars(
        sa.select(Booking).join(Event, Event.id == Booking.event_id)
        .where(Booking.status == "confirmed", Event.status == "published",
               Event.starts_at > now, Event.starts_at <= now + timedelta(hours=24), ~sa.exists(reminded))
        .options(selectinload(Booking.event), selectinload(Booking.member))
    ).all()


# --- the member's private calendar feed ---------------------------------------------------------

def calendar_feed_for(member, reset=False):
    """The member's secret calendar address; reset gives a new one and the old stops working."""
    feed = db.session.get(CalendarFeed, member.id)
    if feed is None:
        feed = CalendarFeed(member_id=member.id, token=secrets.token_urlsafe(24))
        db.session.add(feed)
    elif reset:
        feed.token = secrets.token_urlsafe(24)
    db.session.flush()
    return feed


def events_in_feed(token):
    feed = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.token == token[:64]))
    if feed is None:
        raise NotFound("No such calendar.")
    return db.session.scalars(
        sa.select(Event).join(Booking, Booking.event_id == Event.id)
        .where(Booking.member_id == feed.member_id, Booking.status == "confirmed")
        .order_by(Event.starts_at)
    ).all()


# --- feedback -------------------------------------------------------------------------------------

def give_feedback(member, event, rating, comment=""):
    """An attendee rates the event once, after it has started."""
    booking = db.session.scalar(
        sa.select(Booking).where(Booking.event_id == event.id, Booking.member_id == member.id,
                                 Booking.status == "confirmed", Booking.attended.is_not(False))
    )
    if booking is None or event.starts_at > utcnow():
        raise Forbidden("Only those who attended can give feedback on this event, once it has taken place.")
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise Invalid.on_field("rating", "Give a whole number from 1 to 5.")
    comment = (comment or "").strip()
    if len(comment) > 5000:
        raise Invalid.on_field("comment", "At most 5000 characters.")
    if db.session.scalar(sa.select(Feedback.id).where(Feedback.event_id == event.id,
                                                      Feedback.member_id == member.id)) is not None:
        raise Conflict("You have already given feedback on this event.")
    feedback = Feedback(event_id=event.id, member_id=member.id, rating=rating, comment=comment)
    try:
        with db.session.begin_nested():
            db.session.add(feedback)
    except sa.exc.IntegrityError:
        raise Conflict("You have already given feedback on this event.") from None
    return feedback


# --- personal data ------------------------------------------------------------------------------

def erase_personal_data(member_id):
    """Bookings and attendance stay (the figures count them); what identifies or was written goes."""
    db.session.execute(sa.update(Feedback).where(Feedback.member_id == member_id).values(comment="")
                       .execution_options(synchronize_session=False))
    db.session.execute(sa.delete(Notice).where(Notice.member_id == member_id))
    db.session.execute(sa.delete(CalendarFeed).where(CalendarFeed.member_id == member_id))
    db.session.flush()


def personal_data(member_id):
    bookings = db.session.scalars(
        sa.select(Booking).where(Booking.member_id == member_id).options(selectinload(Booking.event))
        .order_by(Booking.id)).all()
    feedback = db.session.scalars(sa.select(Feedback).where(Feedback.member_id == member_id)).all()
    notices = db.session.scalars(sa.select(Notice).where(Notice.member_id == member_id).order_by(Notice.id)).all()
    return {
        "bookings.json": [
            {"id": b.id, "event_id": b.event_id, "event_title": b.event.title, "event_starts_at": b.event.starts_at,
             "status": b.status, "attended": b.attended, "booked_at": b.created_at, "cancelled_at": b.cancelled_at}
            for b in bookings],
        "feedback.json": [{"event_id": f.event_id, "rating": f.rating, "comment": f.comment,
                           "given_at": f.created_at} for f in feedback],
        "notices.json": [{"kind": n.kind, "subject": n.subject, "body": n.body, "created_at": n.created_at,
                          "sent_at": n.sent_at} for n in notices],
    }
