"""The programme, an event's page, booking and cancelling, my bookings; for staff and leads,
creating events, the programme of a conference, the bookings and the register."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cpd.web.pages import page_number, search_text, staff_required
from cpd.core import audit
from cpd.core.errors import Forbidden, Invalid
from cpd.web.forms import ConfirmForm, blank_to_none, choices, commit_change
from cpd.core.models import utcnow
from cpd.core.pagination import paginate
from cpd.events import (attendance, booking as booking_service, catalogue, feeds, hooks, messages, month,
                        permissions, session_places)
from cpd.events import register as registers
from cpd.events.api import feed_url
from cpd.web.redirects import safe_next
from cpd.events.forms import (CourseForm, EventFilterForm, EventForm, FeedbackForm, MessageForm, ProgrammeSessionForm,
                              register_form)
from cpd.events.vocabulary import EVENT_KINDS
from cpd.extensions import db

bp = Blueprint("events", __name__)

PER_PAGE = 20
UPCOMING_SHOWN = 200  # the bookings to come, all on one page (the count says if more)
EVENT_FORM_FIELDS = ("kind", "title", "description", "starts_at", "ends_at", "timezone", "venue", "online_url",
                     "capacity", "cpd_hours", "cpd_activity_type", "discipline", "members_only", "status",
                     "booking_opens_at", "booking_closes_at", "cancellation_deadline", "refund_deadline")


def _actor():
    return current_user if current_user.is_authenticated else None



@bp.route("/events")
def event_list():
    form = EventFilterForm(request.args)
    filters = {}
    if form.validate():
        filters = {"kind": form.kind.data or None, "discipline": form.discipline.data or None,
                   "query": form.q.data or None}
        if form.date_from.data:
            filters["date_from"] = catalogue.start_of_day(form.date_from.data)
        if form.date_to.data:
            filters["date_to"] = catalogue.end_of_day(form.date_to.data)
    if not form.date_from.data and not request.args.get("past"):
        filters["date_from"] = utcnow()
    listing = catalogue.page_of_events(catalogue.event_search(_actor(), **filters), page_number(), PER_PAGE)
    return render_template("events/list.html", form=form, listing=listing)


@bp.route("/events/calendar")
def event_calendar_month():
    """The programme as a month grid (no JavaScript), a list of days on a phone."""
    today = utcnow().date()
    try:
        first = month.month_of(request.args.get("month"), today)
    except Invalid as error:
        return render_template("events/month.html", error=error.errors["month"][0], weeks=[], first=None), 422
    before, after = month.neighbours(first)
    return render_template("events/month.html", error=None, weeks=month.weeks(first), first=first, before=before,
                           after=after, today=today)


@bp.route("/events/<int:event_id>")
def event_detail(event_id):
    actor = _actor()
    event = catalogue.get_event_for(actor, event_id)
    booking = booking_service.active_booking(actor.id, event.id) if actor else None
    feedback_form = None
    if booking:
        booking_service.with_position(booking)
        given = attendance.events_with_feedback_from(actor.id, [event.id])
        if attendance.may_give_feedback(booking, event.id in given):
            feedback_form = FeedbackForm(next=request.path)
    seated = booking is not None and booking.status == "confirmed"
    return render_template(
        "events/detail.html", event=event, booking=booking, form=ConfirmForm(), feedback_form=feedback_form,
        timetable=session_places.timetable(event),
        session_figures=session_places.session_figures(event.id) if any(s.capacity for s in event.sessions) else {},
        places=session_places.places_of(actor.id, event.id) if seated and event.sessions else {},
        may_choose_sessions=seated and not event.has_started,
        cancellation_refusal=booking_service.cancellation_refusal(event),
        members_only_refusal=None if booking else booking_service.members_only_refusal_for(actor, event),
        can_manage=permissions.can_manage_event(actor, event),
        joining_link=permissions.may_join_online(actor, event, booking),
        can_manage_programme=permissions.can_manage_programme(actor, event),
        google_link=month.google_calendar_link(event), outlook_link=month.outlook_link(event),
    )


@bp.route("/events/<int:event_id>/book", methods=["POST"])
@login_required
def book(event_id):
    if ConfirmForm().validate_on_submit():
        done, booking = commit_change(lambda: booking_service.book(current_user, event_id))
        if done:
            if booking.status == "confirmed":
                flash("Your seat is booked. A confirmation is on its way.", "success")
            else:
                flash(f"The event is full: you are number {booking.waitlist_position} on the waiting list.", "info")
    return redirect(url_for("events.event_detail", event_id=event_id))


@bp.route("/bookings/<int:booking_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel_booking(booking_id):
    booking = booking_service.get_booking_for(current_user, booking_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        was_waiting = booking.status == "waitlisted"
        done, _ = commit_change(lambda: booking_service.cancel_booking(current_user, booking))
        if done:
            hooks.tell("cancellations_committed", booking.event_id)
            flash("You have left the waiting list." if was_waiting else "Your booking is cancelled.", "success")
        return redirect(url_for("events.event_detail", event_id=booking.event_id))
    return render_template("events/confirm_cancel_booking.html", booking=booking, form=form,
                           event=booking.event)


@bp.route("/bookings")
@login_required
def my_bookings():
    """What is to come and what has been, apart; feedback asked for one past event at a time."""
    upcoming = booking_service.bookings_page(booking_service.member_bookings(current_user.id, upcoming_only=True),
                                             1, UPCOMING_SHOWN)
    past = booking_service.bookings_page(booking_service.member_bookings(current_user.id, past_only=True),
                                         page_number(), PER_PAGE)
    shown = upcoming["items"] + past["items"]
    given = attendance.events_with_feedback_from(current_user.id, [b.event_id for b in shown])
    for booking in shown:
        booking.may_cancel = booking.status != "cancelled" and not booking_service.cancellation_refusal(booking.event)
        booking.may_give_feedback = attendance.may_give_feedback(booking, booking.event_id in given)
    feed = feeds.calendar_feed_for(current_user)
    db.session.commit()
    asked = attendance.feedback_to_ask(past["items"])
    orders = hooks.ask("orders_of_bookings", [b.id for b in shown], default={})
    return render_template("events/my_bookings.html", upcoming=upcoming, listing=past, feed_url=feed_url(feed),
                           form=ConfirmForm(), asked=asked,
                           feedback_form=FeedbackForm(formdata=None, next=request.path) if asked else None,
                           orders=orders)


@bp.route("/events/<int:event_id>/feedback", methods=["POST"])
@login_required
def give_feedback(event_id):
    event = catalogue.get_event_for(current_user, event_id)
    form = FeedbackForm()
    back = safe_next(form.next.data) or url_for("events.event_detail", event_id=event.id)
    if form.validate_on_submit():
        done, _ = commit_change(lambda: attendance.give_feedback(current_user, event, int(form.rating.data),
                                                                 form.comment.data or ""))
        if done:
            flash("Thank you: your feedback is with the organisers.", "success")
    else:
        flash(" ".join(form.rating.errors or form.comment.errors) or "Please try again.", "error")
    return redirect(back)


@bp.route("/events/<int:event_id>/sessions/<int:session_id>/choose", methods=["POST"])
@login_required
def choose_session(event_id, session_id):
    if ConfirmForm().validate_on_submit():
        done, place = commit_change(lambda: session_places.choose_session(current_user, event_id, session_id))
        if done:
            flash("Your place at the session is booked." if place.status == "confirmed" else
                  f"The session is full: you are number {place.waitlist_position} on its waiting list.",
                  "success" if place.status == "confirmed" else "info")
    return redirect(url_for("events.event_detail", event_id=event_id, _anchor="programme-heading"))


@bp.route("/session-places/<int:place_id>/give-up", methods=["POST"])
@login_required
def give_up_session_place(place_id):
    if ConfirmForm().validate_on_submit():
        done, place = commit_change(lambda: session_places.give_up(current_user, place_id))
        if done:
            flash("You have given up your place at the session.", "success")
            return redirect(url_for("events.event_detail", event_id=place.session.event_id,
                                    _anchor="programme-heading"))
    return redirect(url_for("events.my_bookings"))


@bp.route("/bookings/calendar/reset", methods=["POST"])
@login_required
def reset_calendar_feed():
    if ConfirmForm().validate_on_submit():
        feeds.calendar_feed_for(current_user, reset=True)
        db.session.commit()
        flash("Your calendar address is new; the old one no longer works.", "success")
    return redirect(url_for("events.my_bookings"))


# --- running events ---------------------------------------------------------------------------

def _event_choices(form):
    courses = {str(course.id): course.title for course in db.session.scalars(catalogue.course_search())}
    form.course_id.choices = choices(courses, blank="None")
    form.sig_id.choices = choices(dict(catalogue.sig_choices(current_user)), blank="None")
    if not current_user.is_staff:
        # A SIG lead runs their SIG's sessions and outreach, nothing else.
        form.kind.choices = choices({k: v for k, v in EVENT_KINDS.items() if k in permissions.LEAD_KINDS}, blank=None)
        form.sig_id.choices = form.sig_id.choices[1:]


def _event_values(form):
    values = {name: form[name].data for name in EVENT_FORM_FIELDS}
    values["discipline"] = blank_to_none(values["discipline"])
    values["course_id"] = int(form.course_id.data) if blank_to_none(form.course_id.data) else None
    values["sig_id"] = int(form.sig_id.data) if blank_to_none(form.sig_id.data) else None
    values["cpd_hours"] = float(values["cpd_hours"]) if values["cpd_hours"] is not None else None
    for name in ("description", "venue", "online_url"):
        values[name] = values[name] or ""
    return values


@bp.route("/events/new", methods=["GET", "POST"])
@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit_event(event_id=None):
    event = catalogue.get_managed_event(current_user, event_id) if event_id else None
    if event is None and not permissions.can_create_any_event(current_user):
        raise Forbidden("Only staff, and the leads of a SIG for its sessions, create events.")
    form = EventForm(obj=event)
    _event_choices(form)
    if event and request.method == "GET":
        for name in catalogue.TIME_FIELDS:
            value = getattr(event, name)
            form[name].data = value.astimezone(event.zone).replace(tzinfo=None) if value else None
        form.course_id.data, form.sig_id.data = str(event.course_id or ""), str(event.sig_id or "")
    elif not event and request.method == "GET" and request.args.get("sig_id"):
        form.sig_id.data, form.kind.data = request.args["sig_id"], "sig_session"
    if form.validate_on_submit():
        values = _event_values(form)
        done, saved = commit_change(
            lambda: catalogue.create_event(current_user, values) if event is None
            else catalogue.update_event(current_user, event, values), form)
        if done:
            flash("The event is saved.", "success")
            return redirect(url_for("events.event_detail", event_id=saved.id))
    return render_template("events/form.html", form=form, event=event), 422 if form.errors else 200


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel_event(event_id):
    event = catalogue.get_managed_event(current_user, event_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        done, _ = commit_change(lambda: catalogue.cancel_event(current_user, event))
        if done:
            hooks.tell("cancellations_committed", event_id)
            flash("The event is cancelled and everyone booked has been told.", "success")
        return redirect(url_for("events.event_detail", event_id=event_id))
    return render_template("events/confirm_cancel_event.html", event=event, form=form)


@bp.route("/events/<int:event_id>/sessions/new", methods=["GET", "POST"])
@login_required
def add_session(event_id):
    event = catalogue.get_managed_event(current_user, event_id)
    form = ProgrammeSessionForm()
    if form.validate_on_submit():
        values = {name: form[name].data for name in ("title", "kind", "speaker", "starts_at", "ends_at", "capacity")}
        done, _ = commit_change(lambda: catalogue.add_session(current_user, event, values), form)
        if done:
            flash("Session added to the programme.", "success")
            return redirect(url_for("events.event_detail", event_id=event.id))
    return render_template("events/session_form.html", form=form, event=event), 422 if form.errors else 200


@bp.route("/events/<int:event_id>/register", methods=["GET", "POST"])
@login_required
def register(event_id):
    """The bookings and waiting list, and the register: attended or absent for each seat."""
    event = catalogue.get_managed_event(current_user, event_id)
    everyone = booking_service.bookings_page(booking_service.event_bookings(event.id), 1, 10_000)["items"]
    name = search_text()
    bookings = registers.named(everyone, name)
    form = register_form(bookings, event.sessions)
    if form.validate_on_submit():
        attended, absent, sessions = form.marks()
        done, _ = commit_change(lambda: attendance.mark_attendance(current_user, event, attended, absent, sessions))
        if done:
            flash(f"Register saved: {len(attended)} attended, {len(absent)} absent.", "success")
            return redirect(url_for("events.register", event_id=event.id, **({"q": name} if name else {})))
    if form.errors:
        flash("The register was not saved: mark each seat attended or absent, and tick only this event's "
              "sessions.", "error")
    audit.record(current_user, "personal_data.register", "event", event.id)
    db.session.commit()
    # Until the register is taken, each attendee's chosen workshops are ticked for them.
    chosen = session_places.chosen_session_ids([b.id for b in bookings]) if event.sessions else {}
    return render_template("events/register.html", event=event, bookings=bookings, form=form, name=name,
                           unmarked=registers.unmarked(everyone), chosen=chosen), 422 if form.errors else 200


@bp.route("/events/<int:event_id>/message", methods=["GET", "POST"])
@login_required
def message_bookers(event_id):
    """Write to the event's bookers: write, preview (as they will read it, with how many), then send."""
    event = catalogue.get_managed_event(current_user, event_id)
    form = MessageForm()
    preview = None
    if form.validate_on_submit():
        values = {"subject": form.subject.data, "body": form.body.data}
        if form.send.data:
            done, sent = commit_change(lambda: messages.send_to_bookers(current_user, event, values), form)
            if done:
                flash(f"Message sent to {sent} booker{'s' if sent != 1 else ''}.", "success")
                return redirect(url_for("events.register", event_id=event.id))
        else:
            try:
                preview = (*messages.check_message(values), len(messages.recipients(event)))
            except Invalid as error:
                for field, problems in error.errors.items():
                    form[field].errors = list(problems)
    return render_template("events/message.html", event=event, form=form, preview=preview), \
        422 if form.errors else 200


@bp.route("/courses")
def course_list():
    listing = paginate(catalogue.course_search(), page_number(), PER_PAGE)
    return render_template("events/courses.html", listing=listing)


@bp.route("/courses/new", methods=["GET", "POST"])
@staff_required
def add_course():
    form = CourseForm()
    if form.validate_on_submit():
        values = {"title": form.title.data, "description": form.description.data or "",
                  "discipline": blank_to_none(form.discipline.data),
                  "cpd_hours": float(form.cpd_hours.data) if form.cpd_hours.data is not None else None,
                  "cpd_activity_type": form.cpd_activity_type.data}
        done, _ = commit_change(lambda: catalogue.create_course(current_user, values), form)
        if done:
            flash("Course added to the catalogue.", "success")
            return redirect(url_for("events.course_list"))
    return render_template("events/course_form.html", form=form), 422 if form.errors else 200
