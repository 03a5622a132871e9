from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional

from cpd.core.limits import (CAPACITY, COMMENT, CPD_HOURS, DESCRIPTION, SEARCH, SPEAKER, TIMEZONE, TITLE, VENUE,
                              WEB_ADDRESS)

from cpd.web.forms import choices
from cpd.events.vocabulary import EVENT_KINDS, SESSION_KINDS
from cpd.members.vocabulary import DISCIPLINES
from cpd.records.vocabulary import ACTIVITY_TYPES

LOCAL_TIME = "Local time at the event (its timezone below)."


class EventFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Search", validators=[Optional(), Length(max=SEARCH.high)])
    kind = SelectField("Kind", choices=choices(EVENT_KINDS, blank="All kinds"), validators=[Optional()])
    discipline = SelectField("Discipline", choices=choices(DISCIPLINES, blank="All disciplines"),
                             validators=[Optional()])
    date_from = DateField("From", validators=[Optional()])
    date_to = DateField("To", validators=[Optional()])


class EventForm(FlaskForm):
    kind = SelectField("Kind", choices=choices(EVENT_KINDS, blank=None))
    title = StringField("Title", validators=[DataRequired(), Length(max=TITLE.high)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=DESCRIPTION.high)])
    starts_at = DateTimeLocalField("Starts", validators=[DataRequired()], description=LOCAL_TIME)
    ends_at = DateTimeLocalField("Ends", validators=[DataRequired()], description=LOCAL_TIME)
    timezone = StringField("Timezone", default="Europe/London", validators=[DataRequired(), Length(max=TIMEZONE.high)],
                           description="An IANA name, such as Europe/London or Asia/Singapore.")
    venue = StringField("Venue", validators=[Optional(), Length(max=VENUE.high)])
    online_url = StringField("Online link", validators=[Optional(), Length(max=WEB_ADDRESS.high)])
    capacity = IntegerField("Capacity", validators=[Optional(), NumberRange(min=CAPACITY.low, max=CAPACITY.high)],
                            description="Leave empty for unlimited.")
    cpd_hours = DecimalField("CPD hours", places=2, validators=[Optional(), NumberRange(min=CPD_HOURS.low, max=CPD_HOURS.high)],
                             description="Leave empty to credit the event's length.")
    cpd_activity_type = SelectField("CPD activity type", choices=choices(ACTIVITY_TYPES, blank=None))
    discipline = SelectField("Discipline", choices=choices(DISCIPLINES, blank="Any"))
    course_id = SelectField("Course (for a course run)", validate_choice=False)
    sig_id = SelectField("SIG (for a SIG session)", validate_choice=False)
    members_only = BooleanField("Members only")
    status = SelectField("Status", choices=choices({"published": "Published", "draft": "Draft"}, blank=None))
    booking_opens_at = DateTimeLocalField("Booking opens", validators=[Optional()], description=LOCAL_TIME)
    booking_closes_at = DateTimeLocalField("Booking closes", validators=[Optional()], description=LOCAL_TIME)
    cancellation_deadline = DateTimeLocalField("Cancellation deadline", validators=[Optional()],
                                               description=LOCAL_TIME)
    refund_deadline = DateTimeLocalField("Refund deadline (paid events)", validators=[Optional()],
                                         description=LOCAL_TIME + " Cancelling before it refunds; empty: until the "
                                                                  "cancellation deadline, or the start.")


class ProgrammeSessionForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=TITLE.high)])
    kind = SelectField("Kind", choices=choices(SESSION_KINDS, blank=None))
    speaker = StringField("Speaker", validators=[Optional(), Length(max=SPEAKER.high)])
    starts_at = DateTimeLocalField("Starts", validators=[DataRequired()], description=LOCAL_TIME)
    ends_at = DateTimeLocalField("Ends", validators=[DataRequired()], description=LOCAL_TIME)
    capacity = IntegerField("Capacity (a workshop)", validators=[Optional(), NumberRange(min=CAPACITY.low, max=CAPACITY.high)])


class CourseForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=TITLE.high)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=DESCRIPTION.high)])
    discipline = SelectField("Discipline", choices=choices(DISCIPLINES, blank="Any"))
    cpd_hours = DecimalField("CPD hours per run", places=2, validators=[Optional(), NumberRange(min=CPD_HOURS.low, max=CPD_HOURS.high)])
    cpd_activity_type = SelectField("CPD activity type", choices=choices(ACTIVITY_TYPES, blank=None))


class FeedbackForm(FlaskForm):
    rating = RadioField("How was it?", choices=[SelectChoice(str(n), label) for n, label in (
        (5, "5 – excellent"), (4, "4 – good"), (3, "3 – fair"), (2, "2 – poor"), (1, "1 – very poor"))],
        validators=[DataRequired(message="Choose a rating from 1 to 5.")])
    comment = TextAreaField("Anything to tell the organisers? (optional)", validators=[Optional(), Length(max=COMMENT.high)])
    next = HiddenField()


MARKS = ("attended", "absent")


class MessageForm(FlaskForm):
    subject = StringField("Subject", validators=[DataRequired(), Length(max=200)])
    body = TextAreaField("Message", validators=[DataRequired(), Length(max=5_000)],
                         description="Each booker gets it by email, with a link to the event.")
    preview = SubmitField("Preview")
    send = SubmitField("Send to the bookers")


class RegisterForm(FlaskForm):
    """The register as a form: for each confirmed seat, attended or absent (or not yet marked) and,
    at an event with a programme, the sessions that attendee came to. Its fields are made per event
    by `register_form`; names the event has no seat for are not read."""

    mark_all = SubmitField("Mark everyone else attended")

    def marks(self):
        """(attended booking ids, absent booking ids, {booking id: session ids} or None); with
        "mark everyone else attended", each seat left unmarked counts as attended."""
        marked = {booking_id: self[f"booking_{booking_id}"].data for booking_id in self.booking_ids}
        if self.mark_all.data:
            marked = {booking_id: mark or "attended" for booking_id, mark in marked.items()}
        attended = [booking_id for booking_id, mark in marked.items() if mark == "attended"]
        absent = [booking_id for booking_id, mark in marked.items() if mark == "absent"]
        sessions = None
        if self.with_sessions:
            sessions = {booking_id: self[f"sessions_{booking_id}"].data or [] for booking_id in attended}
        return attended, absent, sessions


def register_form(bookings, programme):
    """A RegisterForm with a field for each confirmed booking of `bookings`, and its sessions
    checkboxes when the event has a programme (`programme`: its sessions)."""
    confirmed = [booking.id for booking in bookings if booking.status == "confirmed"]
    fields = {"booking_ids": confirmed, "with_sessions": bool(programme)}
    for booking_id in confirmed:
        fields[f"booking_{booking_id}"] = RadioField(choices=[SelectChoice(mark, mark.title()) for mark in MARKS],
                                                     validate_choice=False, validators=[Optional(), AnyOf(MARKS)])
        if programme:
            fields[f"sessions_{booking_id}"] = SelectMultipleField(
                choices=[SelectChoice(session.id, session.title) for session in programme], coerce=int)
    return type("EventRegisterForm", (RegisterForm,), fields)()
