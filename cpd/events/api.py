"""/api/v1/events, /courses, bookings, attendance and calendars."""
from flask import Response, current_app, jsonify, request, stream_with_context
from flask.views import MethodView

from cpd.web.current import access, api_actor, public, require_actor, staff_only
from cpd.core import audit
from cpd.core.api import Blueprint, documents_errors, file_response
from cpd.core.pagination import PageArgsSchema, page_args, paginate
from cpd.core.spreadsheets import csv_stream
from cpd.core.urls import public_url
from cpd.events import (attendance, booking as booking_service, calendars, catalogue, feeds, hooks, messages,
                        programme_pages,
                        session_places)
from cpd.events.register import REGISTER_HEADER, register_rows
from cpd.events.schemas import (
    AttendanceSchema,
    BookingListSchema,
    BookingRequestSchema,
    BookingSchema,
    CalendarFeedSchema,
    CourseListSchema,
    CourseSchema,
    CourseSearchArgsSchema,
    EventChangeSchema,
    EventCreateSchema,
    EventListSchema,
    EventSchema,
    EventSearchArgsSchema,
    FeedbackSchema,
    MessageSchema,
    MessageSentSchema,
    ProgrammeSessionOutSchema,
    ProgrammeSessionSchema,
    RegisterListSchema,
    SessionPlaceSchema,
    event_document,
)
from cpd.extensions import db

blp = Blueprint("api_events", __name__, description="Events, bookings, attendance and calendars")
courses_blp = Blueprint("api_courses", __name__, description="The course catalogue")

ICS = "text/calendar"

# Checked before the input is read: the event's staff or its leads; anyone who may create events.
manages_event = access(lambda event_id, **_: catalogue.get_managed_event(require_actor(), event_id))
may_create_events = access(lambda **_: catalogue.check_may_create_events(require_actor()))


@blp.route("/events")
class Events(MethodView):
    @public
    @blp.arguments(EventSearchArgsSchema, location="query")
    @blp.response(200, EventListSchema)
    @documents_errors(blp, 422)
    def get(self, args):
        filters, page, per_page = page_args(args)
        actor = api_actor()
        statement = catalogue.event_search(actor, **filters)
        # Joining links in a list only for staff; a booker or lead finds theirs on the event itself.
        joining_link = actor is not None and actor.is_staff

        def render(total):
            listing = catalogue.page_of_events(statement, page, per_page, total)
            return jsonify({**listing, "items": [event_document(event, joining_link)
                                                 for event in listing["items"]]}).get_data(), listing["items"]

        return _kept_answer(*programme_pages.page(filters, statement, page, per_page, joining_link, render))

    @may_create_events
    @blp.arguments(EventCreateSchema)
    @blp.response(201, EventSchema)
    @documents_errors(blp, 400, 401, 403, 422)
    def post(self, values):
        event = catalogue.create_event(require_actor(), values)
        db.session.commit()
        return event


@blp.route("/events/<int:event_id>")
class OneEvent(MethodView):
    @public
    @blp.response(200, EventSchema)
    @documents_errors(blp, 404)
    def get(self, event_id):
        actor = api_actor()

        def render():
            event = catalogue.get_event_for(actor, event_id)
            return jsonify(event_document(event, joining_link=False)).get_data(), event

        kept = programme_pages.event_page(actor, event_id, render)
        if kept is not None:
            return _kept_answer(*kept)
        event = catalogue.get_event_for(actor, event_id)
        return jsonify(event_document(event, booking_service.may_join_online(actor, event)))

    @manages_event
    @blp.arguments(EventChangeSchema)
    @blp.response(200, EventSchema)
    @documents_errors(blp, 400, 401, 403, 404, 422)
    def patch(self, changes, event_id):
        actor = require_actor()
        event = catalogue.update_event(actor, catalogue.get_managed_event(actor, event_id), changes)
        db.session.commit()
        return event


def _kept_answer(etag, body):
    """A kept page's JSON, with its ETag: 304 to a client that holds it."""
    response = Response(body, mimetype="application/json")
    response.set_etag(etag)
    return response.make_conditional(request)


@blp.route("/events/<int:event_id>/cancel", methods=["POST"])
@blp.response(200, EventSchema)
@documents_errors(blp, 401, 403, 404, 409)
def cancel_event(event_id):
    actor = require_actor()
    event = catalogue.cancel_event(actor, catalogue.get_managed_event(actor, event_id))
    db.session.commit()
    hooks.tell("cancellations_committed", event_id)
    return event


@blp.route("/events/<int:event_id>/messages", methods=["POST"])
@manages_event
@blp.arguments(MessageSchema)
@blp.response(201, MessageSentSchema)
@documents_errors(blp, 401, 403, 404, 422)
def message_bookers(values, event_id):
    """Write to the event's bookers (staff; a SIG's leads for its sessions), through the outbox"""
    actor = require_actor()
    sent = messages.send_to_bookers(actor, catalogue.get_managed_event(actor, event_id), values)
    db.session.commit()
    return {"subject": values["subject"], "recipients": sent}


@blp.route("/events/<int:event_id>/calendar.ics")
@public
@blp.doc(responses={"200": file_response("an RFC 5545 calendar with one VEVENT", ICS)})
@documents_errors(blp, 404)
def event_calendar(event_id):
    event = catalogue.get_event_for(api_actor(), event_id)
    body = calendars.event_calendar(event, current_app.config["CALENDAR_UID_HOST"],
                                    public_url("events.event_detail", event_id=event.id))
    return Response(body, mimetype=ICS, headers={"Content-Disposition": f'attachment; filename="event-{event.id}.ics"'})


@blp.route("/events/<int:event_id>/sessions", methods=["POST"])
@staff_only
@blp.arguments(ProgrammeSessionSchema)
@blp.response(201, ProgrammeSessionOutSchema)
@documents_errors(blp, 400, 401, 403, 404, 422)
def add_session(values, event_id):
    actor = require_actor()
    session = catalogue.add_session(actor, catalogue.get_event_for(actor, event_id), values)
    db.session.commit()
    return session


@blp.route("/events/<int:event_id>/sessions/<int:session_id>/places", methods=["POST"])
@blp.doc(description="A place at a workshop (a session with its own capacity) for an attendee "
                                      "with a confirmed seat: confirmed, or on the session's waiting list.")
@blp.response(201, SessionPlaceSchema)
@documents_errors(blp, 401, 404, 409, 422)
def choose_session(event_id, session_id):
    place = session_places.choose_session(require_actor(), event_id, session_id)
    db.session.commit()
    return place


@blp.route("/session-places/<int:place_id>", methods=["DELETE"])
@blp.doc(description="Give up a session place: the first on its waiting list takes it.")
@blp.response(200, SessionPlaceSchema)
@documents_errors(blp, 401, 404, 409)
def give_up_session_place(place_id):
    place = session_places.give_up(require_actor(), place_id)
    db.session.commit()
    return place


@blp.route("/events/<int:event_id>/bookings")
class EventBookings(MethodView):
    @manages_event
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, RegisterListSchema)
    @documents_errors(blp, 401, 403, 404, 422)
    def get(self, args, event_id):
        event = catalogue.get_managed_event(require_actor(), event_id)
        return booking_service.bookings_page(booking_service.event_bookings(event.id), args["page"], args["per_page"])

    @blp.arguments(BookingRequestSchema)
    @blp.response(201, BookingSchema)
    @documents_errors(blp, 401, 404, 409, 422, 503)
    def post(self, choices, event_id):
        booking = booking_service.request_seat(require_actor(), event_id, choices)
        return _committed(booking, 201)


@blp.route("/events/<int:event_id>/attendance", methods=["PUT"])
@manages_event
@blp.arguments(AttendanceSchema)
@blp.response(200, RegisterListSchema)
@documents_errors(blp, 400, 401, 403, 404, 422)
def put_attendance(register, event_id):
    actor = require_actor()
    event = catalogue.get_managed_event(actor, event_id)
    marked = attendance.mark_attendance(actor, event, register["attended"], register["absent"], register["sessions"])
    db.session.commit()
    return {"items": marked, "total": len(marked), "page": 1, "per_page": max(len(marked), 1)}


@blp.route("/events/<int:event_id>/attendees.csv")
@blp.doc(responses={"200": file_response("the register", "text/csv")})
@documents_errors(blp, 401, 403, 404)
def attendees_csv(event_id):
    actor = require_actor()
    event = catalogue.get_managed_event(actor, event_id)
    audit.record(actor, "personal_data.register", "event", event.id)
    db.session.commit()
    rows = csv_stream(REGISTER_HEADER, register_rows(event))
    return Response(stream_with_context(rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="event-{event.id}-register.csv"'})


@blp.route("/events/<int:event_id>/feedback", methods=["POST"])
@blp.arguments(FeedbackSchema)
@blp.response(201, FeedbackSchema)
@documents_errors(blp, 400, 401, 403, 404, 409, 422)
def give_feedback(values, event_id):
    actor = require_actor()
    feedback = attendance.give_feedback(actor, catalogue.get_event_for(actor, event_id), values["rating"],
                                      values["comment"])
    db.session.commit()
    return feedback


@blp.route("/me/bookings")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, BookingListSchema)
@documents_errors(blp, 401, 422)
def my_bookings(args):
    return booking_service.bookings_page(booking_service.member_bookings(require_actor().id), args["page"], args["per_page"])


@blp.route("/bookings/<int:booking_id>")
class OneBooking(MethodView):
    @blp.response(200, BookingSchema)
    @documents_errors(blp, 401, 404)
    def get(self, booking_id):
        return booking_service.get_booking_for(require_actor(), booking_id)

    @blp.response(200, BookingSchema)
    @documents_errors(blp, 401, 404, 409, 422)
    def delete(self, booking_id):
        actor = require_actor()
        booking = booking_service.cancel_booking(actor, booking_service.get_booking_for(actor, booking_id))
        event_id = booking.event_id
        answer = _committed(booking, 200)
        hooks.tell("cancellations_committed", event_id)
        return answer


_BOOKING = BookingSchema()  # made once: a schema (and its nested ones) costs more to make than to dump


def _committed(booking, status):
    """Commit, and answer with the booking as BookingSchema gives it, dumped before the commit
    expires it: after, every field (and its event) would be read back from the database, three
    queries on the busiest write there is."""
    answer = jsonify(_BOOKING.dump(booking))
    db.session.commit()
    answer.status_code = status
    return answer


# --- the member's private calendar feed ---------------------------------------------------------

def feed_url(feed):
    return public_url("api_events.calendar_feed", token=feed.token)


@blp.route("/me/calendar-feed")
class MyCalendarFeed(MethodView):
    @blp.response(200, CalendarFeedSchema)
    @documents_errors(blp, 401)
    def get(self):
        feed = feeds.calendar_feed_for(require_actor())
        db.session.commit()
        return {"url": feed_url(feed)}

    @blp.doc(description="A new secret address; the old one stops working.")
    @blp.response(200, CalendarFeedSchema)
    @documents_errors(blp, 401)
    def post(self):
        feed = feeds.calendar_feed_for(require_actor(), reset=True)
        db.session.commit()
        return {"url": feed_url(feed)}


@blp.route("/calendar/<token>.ics")
@public
@blp.doc(responses={"200": file_response("the member's booked events", ICS)})
@documents_errors(blp, 404)
def calendar_feed(token):
    events = feeds.events_in_feed(token)
    body = calendars.bookings_calendar(events, current_app.config["CALENDAR_UID_HOST"])
    return Response(body, mimetype=ICS, headers={"Cache-Control": "private, max-age=900"})


# --- courses --------------------------------------------------------------------------------

@courses_blp.route("")
class Courses(MethodView):
    @public
    @courses_blp.arguments(CourseSearchArgsSchema, location="query")
    @courses_blp.response(200, CourseListSchema)
    @documents_errors(courses_blp, 422)
    def get(self, args):
        filters, page, per_page = page_args(args)
        return paginate(catalogue.course_search(**filters), page, per_page)

    @staff_only
    @courses_blp.arguments(CourseSchema)
    @courses_blp.response(201, CourseSchema)
    @documents_errors(courses_blp, 400, 401, 403, 422)
    def post(self, values):
        course = catalogue.create_course(require_actor(), values)
        db.session.commit()
        return course


@courses_blp.route("/<int:course_id>")
@public
@courses_blp.response(200, CourseSchema)
@documents_errors(courses_blp, 404)
def get_course(course_id):
    return catalogue.get_course(course_id)
