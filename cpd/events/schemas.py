"""Events, courses, programme sessions and bookings in the API."""
from datetime import datetime, time, timezone

import marshmallow as ma

from cpd.core.pagination import PageArgsSchema, list_schema
from cpd.core.schemas import Text, one_of
from cpd.core.limits import (ADDRESS, CAPACITY, CODE, COMMENT, CPD_HOURS, DATABASE_ID, DESCRIPTION, EMAIL,
                              IDS_AT_ONCE, NAME, RATING, SEARCH, SPEAKER, TIMEZONE, TITLE, VENUE, WEB_ADDRESS)
from cpd.events.models import Event
from cpd.events.vocabulary import BOOKING_STATUSES, EVENT_KINDS, EVENT_STATUSES, SESSION_KINDS
from cpd.members.vocabulary import DISCIPLINES
from cpd.records.vocabulary import ACTIVITY_TYPES


class EventTime(ma.fields.AwareDateTime):
    """A stored UTC time shown in the event's own timezone, with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        zone = getattr(obj, "zone", None) or getattr(getattr(obj, "event", None), "zone", timezone.utc)
        return value.astimezone(zone).isoformat()


class DateOrTime(ma.fields.Field):
    """A filter bound: a date (the whole day) or an ISO 8601 time; without an offset, UTC."""

    def __init__(self, *args, end_of_day=False, **kwargs):
        super().__init__(*args, metadata={"type": "string", "format": "date-time",
                                          "description": "a date (YYYY-MM-DD) or an ISO 8601 time"}, **kwargs)
        self.end_of_day = end_of_day

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or len(value) > 40:
            raise ma.ValidationError("Give a date (YYYY-MM-DD) or an ISO 8601 time.")
        try:
            moment = datetime.fromisoformat(value.strip().replace(" ", "+"))
        except ValueError:
            raise ma.ValidationError("Give a date (YYYY-MM-DD) or an ISO 8601 time.") from None
        if not 1 <= moment.year <= 9998:
            raise ma.ValidationError("Out of range.")
        if len(value.strip()) == 10 and self.end_of_day:
            moment = datetime.combine(moment.date(), time.max)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class ProgrammeSessionSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    event_id = ma.fields.Integer(dump_only=True)
    title = Text(required=True, min_length=TITLE.low, max_length=TITLE.high)
    kind = ma.fields.String(load_default="talk", validate=one_of(list(SESSION_KINDS)))
    speaker = Text(load_default="", max_length=SPEAKER.high)
    starts_at = ma.fields.DateTime(required=True)
    ends_at = ma.fields.DateTime(required=True)
    capacity = ma.fields.Integer(allow_none=True, load_default=None, strict=True,
                                 validate=ma.validate.Range(min=CAPACITY.low, max=CAPACITY.high))


class ProgrammeSessionOutSchema(ma.Schema):
    id = ma.fields.Integer()
    event_id = ma.fields.Integer()
    title = ma.fields.String()
    kind = ma.fields.String()
    speaker = ma.fields.String()
    starts_at = EventTime()
    ends_at = EventTime()
    capacity = ma.fields.Integer(allow_none=True)
    duration_hours = ma.fields.Float()


class EventSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"enum": list(EVENT_KINDS)})
    title = ma.fields.String()
    description = ma.fields.String()
    starts_at = EventTime()
    ends_at = EventTime()
    timezone = ma.fields.String()
    venue = ma.fields.String()
    online_url = ma.fields.String(allow_none=True, metadata={
        "description": "the joining link: only for confirmed bookers, staff and the event's leads; else null"})
    capacity = ma.fields.Integer(allow_none=True)
    cpd_hours = ma.fields.Float(allow_none=True)
    cpd_activity_type = ma.fields.String()
    discipline = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"enum": list(EVENT_STATUSES)})
    sig_id = ma.fields.Integer(allow_none=True)
    course_id = ma.fields.Integer(allow_none=True)
    members_only = ma.fields.Boolean()
    booking_opens_at = EventTime(allow_none=True)
    booking_closes_at = EventTime(allow_none=True)
    cancellation_deadline = EventTime(allow_none=True)
    refund_deadline = EventTime(allow_none=True)
    confirmed_count = ma.fields.Integer()
    waitlist_count = ma.fields.Integer()
    seats_left = ma.fields.Integer(allow_none=True)
    is_open_for_booking = ma.fields.Boolean()
    sessions = ma.fields.List(ma.fields.Nested(ProgrammeSessionOutSchema))
    prices = ma.fields.Method("_prices", metadata={"description": "A paid event's prices (on the event itself; "
                                                                  "lists leave them out)."})

    def _prices(self, event):
        return [price_document(price) for price in event.prices]


EventListSchema = list_schema(EventSchema, "EventList")


class MessageSchema(ma.Schema):
    subject = Text(required=True, min_length=1, max_length=200)
    body = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=5_000))


class MessageSentSchema(ma.Schema):
    subject = ma.fields.String()
    recipients = ma.fields.Integer(metadata={"description": "the bookers written to (held, waiting or offered seats)"})


class EventChangeSchema(ma.Schema):
    """Times without an offset are the event's local time (its `timezone`)."""

    kind = ma.fields.String(validate=one_of(list(EVENT_KINDS)))
    title = Text(min_length=TITLE.low, max_length=TITLE.high)
    description = Text(max_length=DESCRIPTION.high)
    starts_at = ma.fields.DateTime()
    ends_at = ma.fields.DateTime()
    timezone = Text(max_length=TIMEZONE.high)
    venue = Text(max_length=VENUE.high)
    online_url = Text(max_length=WEB_ADDRESS.high)
    capacity = ma.fields.Integer(allow_none=True, strict=True)
    cpd_hours = ma.fields.Float(allow_none=True, allow_nan=False)
    cpd_activity_type = ma.fields.String(validate=one_of(list(ACTIVITY_TYPES)),
                                         metadata={"description": "default: its course's type, else formal_educational"})
    discipline = ma.fields.String(allow_none=True, validate=one_of(list(DISCIPLINES)))
    status = ma.fields.String(validate=one_of(["draft", "published"]))
    sig_id = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=DATABASE_ID.low, max=DATABASE_ID.high))
    course_id = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=DATABASE_ID.low, max=DATABASE_ID.high))
    members_only = ma.fields.Boolean(truthy={True}, falsy={False})
    booking_opens_at = ma.fields.DateTime(allow_none=True)
    booking_closes_at = ma.fields.DateTime(allow_none=True)
    cancellation_deadline = ma.fields.DateTime(allow_none=True)
    refund_deadline = ma.fields.DateTime(allow_none=True, metadata={
        "description": "A paid event: cancelling before it refunds (null: until the cancellation deadline, or the start)."})


class EventCreateSchema(EventChangeSchema):
    kind = ma.fields.String(required=True, validate=one_of(list(EVENT_KINDS)))
    title = Text(required=True, min_length=TITLE.low, max_length=TITLE.high)
    starts_at = ma.fields.DateTime(required=True)
    ends_at = ma.fields.DateTime(required=True)


class EventSearchArgsSchema(PageArgsSchema):
    kind = ma.fields.String(validate=one_of(list(EVENT_KINDS)))
    date_from = DateOrTime(data_key="from")
    date_to = DateOrTime(data_key="to", end_of_day=True)
    sig_id = ma.fields.Integer(validate=ma.validate.Range(min=DATABASE_ID.low, max=DATABASE_ID.high))
    course_id = ma.fields.Integer(validate=ma.validate.Range(min=DATABASE_ID.low, max=DATABASE_ID.high))
    discipline = ma.fields.String(validate=one_of(list(DISCIPLINES)))
    query = Text(data_key="q", max_length=SEARCH.high)
    status = ma.fields.String(validate=one_of(list(EVENT_STATUSES)), metadata={"description": "staff: drafts too"})

    @ma.validates_schema
    def from_before_to(self, args, **kwargs):
        if args.get("date_from") and args.get("date_to") and args["date_from"] > args["date_to"]:
            raise ma.ValidationError("`from` must not be after `to`.", "from")


class CourseSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    title = Text(required=True, min_length=TITLE.low, max_length=TITLE.high)
    description = Text(load_default="", max_length=DESCRIPTION.high)
    discipline = ma.fields.String(allow_none=True, load_default=None, validate=one_of(list(DISCIPLINES)))
    cpd_hours = ma.fields.Float(allow_none=True, load_default=None, allow_nan=False,
                                validate=ma.validate.Range(min=CPD_HOURS.low, max=CPD_HOURS.high))
    cpd_activity_type = ma.fields.String(load_default="formal_educational", validate=one_of(list(ACTIVITY_TYPES)))
    run_ids = ma.fields.Method("_run_ids", dump_only=True)

    def _run_ids(self, course):
        return [run.id for run in course.runs if run.status != "draft"]


CourseListSchema = list_schema(CourseSchema, "CourseList")


class CourseSearchArgsSchema(PageArgsSchema):
    query = Text(data_key="q", max_length=SEARCH.high)
    discipline = ma.fields.String(validate=one_of(list(DISCIPLINES)))


class BookedEventSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    kind = ma.fields.String()
    starts_at = EventTime()
    ends_at = EventTime()
    timezone = ma.fields.String()
    status = ma.fields.String()


class BillingSchema(ma.Schema):
    name = Text(load_default="", max_length=NAME.high)
    organisation = Text(load_default="", max_length=NAME.high)
    address = Text(load_default="", max_length=ADDRESS.high, one_line=False)
    email = Text(load_default="", max_length=EMAIL.high)


class BookingRequestSchema(ma.Schema):
    """A paid event's checkout choices (a free event takes none): the price, a discount code, card
    or invoice, an employer's purchase order and billing details (parsed here, checked by cpd.payments)."""
    price_id = ma.fields.Integer(strict=True, allow_none=True)
    discount_code = Text(allow_none=True, max_length=CODE.high)
    pay_by = ma.fields.String(allow_none=True, validate=one_of(("card", "invoice")))
    purchase_order = Text(allow_none=True, max_length=CODE.high * 2)
    billing = ma.fields.Nested(BillingSchema, allow_none=True)


class BookingSchema(ma.Schema):
    id = ma.fields.Integer()
    event_id = ma.fields.Integer()
    member_id = ma.fields.Integer()
    status = ma.fields.String(metadata={"enum": list(BOOKING_STATUSES)})
    waitlist_position = ma.fields.Integer(allow_none=True)
    attended = ma.fields.Boolean(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    cancelled_at = ma.fields.AwareDateTime(allow_none=True)
    held_until = ma.fields.AwareDateTime(allow_none=True)
    offer_expires_at = ma.fields.AwareDateTime(allow_none=True)
    event = ma.fields.Nested(BookedEventSchema)
    order = ma.fields.Raw(attribute="order_document", allow_none=True, dump_default=None,
                          metadata={"description": "A paid booking's order, as GET /orders/{id} gives it."})

    @ma.post_dump
    def _paid_fields_only_when_paid(self, document, **kwargs):
        """A free event's booking keeps the shape it has always had."""
        for name in ("held_until", "offer_expires_at", "order"):
            if document.get(name) is None:
                document.pop(name, None)
        return document


class RegisterEntrySchema(BookingSchema):
    member_name = ma.fields.String(attribute="member.full_name")
    member_email = ma.fields.String(attribute="member.email")
    session_ids = ma.fields.Method("_session_ids")

    def _session_ids(self, booking):
        return sorted(a.session_id for a in booking.sessions_attended)


BookingListSchema = list_schema(BookingSchema, "BookingList")
RegisterListSchema = list_schema(RegisterEntrySchema, "RegisterList")


class AttendanceSchema(ma.Schema):
    attended = ma.fields.List(ma.fields.Integer(strict=True), load_default=list, validate=ma.validate.Length(max=IDS_AT_ONCE.high))
    absent = ma.fields.List(ma.fields.Integer(strict=True), load_default=list, validate=ma.validate.Length(max=IDS_AT_ONCE.high))
    sessions = ma.fields.Dict(
        keys=ma.fields.Integer(), values=ma.fields.List(ma.fields.Integer(strict=True)), load_default=None,
        metadata={"description": "booking id to the programme session ids it attended (conferences)"},
    )


class CalendarFeedSchema(ma.Schema):
    url = ma.fields.String(required=True)



class FeedbackSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    event_id = ma.fields.Integer(dump_only=True)
    rating = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(min=RATING.low, max=RATING.high))
    comment = Text(load_default="", max_length=COMMENT.high)
    created_at = ma.fields.AwareDateTime(dump_only=True)


def _local(moment, zone):
    return moment.astimezone(zone).isoformat() if moment is not None else None


def _number(value):
    return float(value) if value is not None else None


def price_document(price):
    zone = price.event.zone
    return {"id": price.id, "name": price.name, "amount": f"{price.amount:.2f}",
            "vat_rate": str(price.vat_rate.normalize()), "eligibility": price.eligibility,
            "available_from": _local(price.available_from, zone), "available_until": _local(price.available_until, zone)}


def session_document(session, zone):
    return {
        "capacity": session.capacity, "duration_hours": float(session.duration_hours),
        "ends_at": _local(session.ends_at, zone), "event_id": session.event_id, "id": session.id,
        "kind": session.kind, "speaker": session.speaker, "starts_at": _local(session.starts_at, zone),
        "title": session.title,
    }


def event_document(event, joining_link=True):
    """EventSchema's output, built directly: the programme list and event page are the busiest
    answers, and marshmallow's per-field dumping was most of their time (see bench/RESULTS.md).
    A test keeps the two identical. Without `joining_link` the online link is null (it goes to
    confirmed bookers, staff and leads only)."""
    zone = event.zone
    document = {
        "booking_closes_at": _local(event.booking_closes_at, zone),
        "booking_opens_at": _local(event.booking_opens_at, zone),
        "cancellation_deadline": _local(event.cancellation_deadline, zone),
        "capacity": event.capacity,
        "confirmed_count": event.confirmed_count,
        "course_id": event.course_id,
        "cpd_activity_type": event.cpd_activity_type,
        "cpd_hours": _number(event.cpd_hours),
        "description": event.description,
        "discipline": event.discipline,
        "ends_at": _local(event.ends_at, zone),
        "id": event.id,
        "is_open_for_booking": event.is_open_for_booking,
        "kind": event.kind,
        "members_only": event.members_only,
        "online_url": event.online_url if joining_link else None,
        "seats_left": event.seats_left,
        "sessions": [session_document(session, zone) for session in event.sessions],
        "sig_id": event.sig_id,
        "starts_at": _local(event.starts_at, zone),
        "status": event.status,
        "timezone": event.timezone,
        "title": event.title,
        "venue": event.venue,
        "waitlist_count": event.waitlist_count,
        "refund_deadline": _local(event.refund_deadline, zone),
    }
    if isinstance(event, Event):  # a list's plain rows carry no prices
        document["prices"] = [price_document(price) for price in event.prices]
    return document


class SessionPlaceSchema(ma.Schema):
    id = ma.fields.Integer()
    session_id = ma.fields.Integer()
    event_id = ma.fields.Function(lambda place: place.session.event_id)
    booking_id = ma.fields.Integer()
    status = ma.fields.String(metadata={"enum": list(BOOKING_STATUSES)})
    waitlist_position = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.AwareDateTime()
