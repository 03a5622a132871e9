from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpd.core.models import Timestamped, UTCDateTime, utcnow
from cpd.extensions import db
from cpd.members.models import Member


class Course(Timestamped, db.Model):
    """A catalogue entry; its runs are events of kind `course`."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    discipline: Mapped[str | None] = mapped_column(sa.String(32))
    cpd_hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    cpd_activity_type: Mapped[str] = mapped_column(sa.String(32), nullable=False, default="formal_educational")

    runs: Mapped[list["Event"]] = relationship(back_populates="course", order_by="Event.starts_at")


class EventFacts:
    """What follows from an event's own columns: its zone, local times, seats left, whether it is
    open for booking. Shared by the mapped Event and by the plain rows a list reads
    (cpd.events.catalogue.ListedEvent), so both answer alike."""

    @property
    def zone(self):
        return ZoneInfo(self.timezone)

    @property
    def local_starts_at(self):
        return self.starts_at.astimezone(self.zone)

    @property
    def local_ends_at(self):
        return self.ends_at.astimezone(self.zone)

    @property
    def seats_taken(self):
        """Confirmed seats and seats held while their payment is made (or offered from the waiting list)."""
        return self.confirmed_count + (self.held_count or 0)

    @property
    def seats_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self):
        return self.capacity is not None and self.seats_taken >= self.capacity

    @property
    def has_started(self):
        return self.starts_at <= utcnow()

    @property
    def is_open_for_booking(self):
        now = utcnow()
        return (
            self.status == "published"
            and self.starts_at > now
            and (self.booking_opens_at is None or self.booking_opens_at <= now)
            and (self.booking_closes_at is None or self.booking_closes_at > now)
        )

    @property
    def duration_hours(self):
        return Decimal((self.ends_at - self.starts_at).total_seconds() / 3600).quantize(Decimal("0.01"))


class Event(EventFacts, Timestamped, db.Model):
    """Anything a member can book: a course run, a conference, a SIG session, an outreach event."""

    __tablename__ = "events"
    __table_args__ = (
        # Covers the programme's filter and order (published, not yet ended, soonest first): the
        # list and its count read the index alone, never the rows they pass over.
        sa.Index("ix_events_status_starts_ends", "status", "starts_at", "ends_at"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("confirmed_count >= 0 AND waitlist_count >= 0", name="seat_figures_not_negative"),
        sa.CheckConstraint("held_count >= 0", name="held_seats_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16), nullable=False, index=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    timezone: Mapped[str] = mapped_column(sa.String(64), nullable=False, default="Europe/London")
    venue: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    online_url: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    capacity: Mapped[int | None] = mapped_column(sa.Integer)  # None: unlimited
    cpd_hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    cpd_activity_type: Mapped[str] = mapped_column(sa.String(32), nullable=False, default="formal_educational")
    discipline: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False, default="draft")
    sig_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sigs.id", ondelete="SET NULL"), index=True)
    course_id: Mapped[int | None] = mapped_column(sa.ForeignKey("courses.id", ondelete="SET NULL"), index=True)
    members_only: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    booking_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    booking_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancellation_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Paid events: cancelling before it refunds (null: until the cancellation deadline, or the start).
    refund_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    # Raised each time its time or place changes: the calendar entry's SEQUENCE (RFC 5545 3.8.7.4), so
    # calendars that imported it replace the old day.
    sequence: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0, server_default="0")

    course: Mapped[Course | None] = relationship(back_populates="runs")
    sessions: Mapped[list["ProgrammeSession"]] = relationship(
        back_populates="event", cascade="all, delete-orphan",
        order_by=lambda: (ProgrammeSession.starts_at, ProgrammeSession.id)
    )

    # Kept by the transaction that changes a booking, under the event's lock (cpd.events.seats).
    confirmed_count: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0, server_default="0")
    waitlist_count: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0, server_default="0")
    held_count: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0, server_default="0")
    # One more with every change to the row (its seat figures included) and to its programme
    # sessions or prices, in the same transaction: a page of the programme is kept under the
    # revisions of the events on it (cpd.events.programme_pages).
    revision: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0, server_default="0",
                                          onupdate=sa.text("revision + 1"))

    prices: Mapped[list["EventPrice"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by=lambda: (EventPrice.position, EventPrice.id))

    @property
    def is_paid(self):
        return bool(self.prices)


class EventPrice(db.Model):
    """What a seat at a paid event costs one kind of buyer: VAT included at `vat_rate`, sold from
    `available_from` until `available_until` (an early-bird price ends; the full one follows)."""

    __tablename__ = "event_prices"
    __table_args__ = (
        sa.CheckConstraint("amount >= 0", name="price_not_negative"),
        sa.CheckConstraint("vat_rate >= 0 AND vat_rate < 1", name="vat_rate_a_fraction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2), nullable=False)
    vat_rate: Mapped[Decimal] = mapped_column(sa.Numeric(5, 4), nullable=False, default=Decimal("0"))
    eligibility: Mapped[str] = mapped_column(sa.String(16), nullable=False, default="anyone")
    available_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    available_until: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship(back_populates="prices")

    def on_sale(self, now):
        return ((self.available_from is None or self.available_from <= now)
                and (self.available_until is None or self.available_until > now))


class ProgrammeSession(Timestamped, db.Model):
    """A talk or workshop inside a conference, with its own times and (a workshop) its own capacity."""

    __tablename__ = "programme_sessions"
    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(16), nullable=False, default="talk")
    speaker: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    capacity: Mapped[int | None] = mapped_column(sa.Integer)

    event: Mapped[Event] = relationship(back_populates="sessions")

    @property
    def duration_hours(self):
        return Decimal((self.ends_at - self.starts_at).total_seconds() / 3600).quantize(Decimal("0.01"))


class Booking(Timestamped, db.Model):
    """A member's seat at an event, or their place on its waiting list.

    The waiting-list position is derived (the order bookings were made), never stored.
    """

    __tablename__ = "bookings"
    __table_args__ = (
        # One active booking per member per event, enforced by the database itself.
        sa.Index(
            "uq_bookings_active_member_event",
            "event_id",
            "member_id",
            unique=True,
            sqlite_where=sa.text("status != 'cancelled'"),
            postgresql_where=sa.text("status != 'cancelled'"),
        ),
        sa.Index("ix_bookings_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True)
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    attended: Mapped[bool | None] = mapped_column(sa.Boolean)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A seat kept while its payment is made (status held), or offered from the waiting list (offered).
    held_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship()
    member: Mapped[Member] = relationship()
    sessions_attended: Mapped[list["SessionAttendance"]] = relationship(
        back_populates="booking", cascade="all, delete-orphan"
    )

    waitlist_position = None  # set by the services when the booking is waitlisted


class SessionAttendance(db.Model):
    """A booked member's attendance at one programme session of a conference."""

    __tablename__ = "session_attendance"

    booking_id: Mapped[int] = mapped_column(sa.ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme_sessions.id", ondelete="CASCADE"), primary_key=True
    )

    booking: Mapped[Booking] = relationship(back_populates="sessions_attended")
    session: Mapped[ProgrammeSession] = relationship()


class SessionBooking(db.Model):
    """A booked attendee's place at a programme session with its own capacity (a workshop), or on
    that session's waiting list. Taken with the same lock-count-insert rule as an event's seats."""

    __tablename__ = "session_bookings"
    __table_args__ = (
        sa.Index("uq_session_bookings_active", "session_id", "member_id", unique=True,
                 sqlite_where=sa.text("status != 'cancelled'"), postgresql_where=sa.text("status != 'cancelled'")),
        sa.Index("ix_session_bookings_session_status", "session_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("programme_sessions.id", ondelete="CASCADE"), nullable=False)
    booking_id: Mapped[int] = mapped_column(sa.ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False)  # confirmed | waitlisted | cancelled
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    session: Mapped[ProgrammeSession] = relationship()

    waitlist_position = None  # set by the services when waitlisted


class AttendanceMark(db.Model):
    """The register's history: who marked a booking attended or absent, and when."""

    __tablename__ = "attendance_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(sa.ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False, index=True)
    attended: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)
    marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class CalendarFeed(db.Model):
    """A member's private calendar subscription: a secret URL they can reset."""

    __tablename__ = "calendar_feeds"

    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class Feedback(db.Model):
    """An attendee's rating (1 to 5) and comment on an event: one each."""

    __tablename__ = "feedback"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "member_id"),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_one_to_five"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    rating: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    comment: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
