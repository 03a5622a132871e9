"""Row builders: each a generator over a GROUP BY query, fetched in batches, never all in memory."""
import sqlalchemy as sa

from cpd.core.spreadsheets import Column
from cpd.events.vocabulary import EVENT_KINDS, EVENT_STATUSES
from cpd.members.policy_catalogue import policy_names
from cpd.members.vocabulary import CAREER_STAGES, DISCIPLINES, GRADES, SECTORS

from cpd.events.models import Booking, Event
from cpd.extensions import db
from cpd.members.models import Member
from cpd.payments.models import Order, OrderLine
from cpd.records.models import CpdRecord
from cpd.sigs.models import Sig, SigMembership

BATCH = 1000

ATTENDANCE_HEADER = [
    Column("event_id", "Event number"), Column("title", "Event"), Column("kind", "Kind", EVENT_KINDS),
    Column("sig", "SIG"), Column("course_id", "Course number"), Column("starts_at", "Starts (local time)"),
    Column("timezone", "Timezone"), Column("status", "Status", EVENT_STATUSES), Column("capacity", "Capacity"),
    Column("confirmed", "Confirmed"), Column("waitlisted", "Waiting list"), Column("cancelled", "Cancelled"),
    Column("attended", "Attended"), Column("no_shows", "Did not attend"), Column("attendance_rate", "Attendance rate", number_format="0.0%"),
    Column("cpd_hours_credited", "CPD hours credited"),
]


def _count_where(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def attendance_statement(date_from=None, date_to=None, kind=None, sig_id=None):
    confirmed = _count_where(Booking.status == "confirmed")
    attended = _count_where(Booking.attended.is_(True))
    credited = sa.select(sa.func.coalesce(sa.func.sum(CpdRecord.hours), 0)).where(
        CpdRecord.source_event_id == Event.id).scalar_subquery()
    statement = (
        sa.select(
            Event, Sig.name, confirmed, _count_where(Booking.status == "waitlisted"),
            _count_where(Booking.status == "cancelled"), attended,
            _count_where(sa.and_(Booking.status == "confirmed", Booking.attended.is_(False))), credited,
        )
        .outerjoin(Booking, Booking.event_id == Event.id)
        .outerjoin(Sig, Sig.id == Event.sig_id)
        .where(Event.status != "draft")
        .group_by(Event.id, Sig.name)
        .order_by(Event.starts_at, Event.id)
    )
    if date_from:
        statement = statement.where(Event.starts_at >= date_from)
    if date_to:
        statement = statement.where(Event.starts_at <= date_to)
    if kind:
        statement = statement.where(Event.kind == kind)
    if sig_id:
        statement = statement.where(Event.sig_id == sig_id)
    return statement


def attendance_rows(**filters):
    """One row per event: seats, waiting list, cancellations, attendance and CPD credited."""
    result = db.session.execute(attendance_statement(**filters).execution_options(yield_per=BATCH))
    for event, sig_name, confirmed, waitlisted, cancelled, attended, no_shows, credited in result:
        marked = attended + no_shows
        yield [
            event.id, event.title, event.kind, sig_name or "", event.course_id or "",
            event.starts_at.astimezone(event.zone), event.timezone, event.status,
            "" if event.capacity is None else event.capacity, confirmed, waitlisted, cancelled, attended, no_shows,
            round(attended / marked, 4) if marked else "", round(float(credited), 2),
        ]


MEMBERS_HEADER = [
    Column("member_id", "Member number"), Column("full_name", "Name"), Column("email", "Email"),
    Column("grade", "Grade", GRADES), Column("is_ambassador", "Ambassador"),
    Column("discipline", "Discipline", DISCIPLINES), Column("sector", "Sector", SECTORS),
    Column("career_stage", "Career stage", CAREER_STAGES), Column("cpd_policy", "CPD policy"),
    Column("bookings", "Bookings"), Column("attended", "Attended"), Column("cpd_hours_logged", "CPD hours logged"),
    Column("sigs", "SIGs"),
]


def members_header():
    """MEMBERS_HEADER with the CPD policies' names (policies are data: read when the export is made)."""
    names = policy_names()
    return [Column(column.name, column.heading, names) if column.name == "cpd_policy" else column
            for column in MEMBERS_HEADER]


# One row per account of a member (staff accounts aside).
IN_MEMBERS_EXPORT = Member.role == "member"


def member_rows(year, limit=None):
    """One row per account: who they are and how they engaged in the year (the first `limit` only)."""
    from cpd.metrics.measures import year_bounds

    start, end = year_bounds(year)
    bookings = (
        sa.select(Booking.member_id, sa.func.count().label("bookings"),
                  _count_where(Booking.attended.is_(True)).label("attended"))
        .join(Event, Event.id == Booking.event_id)
        .where(Event.starts_at >= start, Event.starts_at < end)
        .group_by(Booking.member_id).subquery()
    )
    hours = (
        sa.select(CpdRecord.member_id, sa.func.sum(CpdRecord.hours).label("hours"))
        .where(CpdRecord.ended_on >= start.date(), CpdRecord.ended_on < end.date())
        .group_by(CpdRecord.member_id).subquery()
    )
    sigs = (sa.select(SigMembership.member_id, sa.func.count(sa.distinct(SigMembership.sig_id)).label("sigs"))
            .where(SigMembership.joined_at < end, sa.or_(SigMembership.left_at.is_(None), SigMembership.left_at >= start))
            .group_by(SigMembership.member_id).subquery())
    statement = (
        sa.select(Member, sa.func.coalesce(bookings.c.bookings, 0), sa.func.coalesce(bookings.c.attended, 0),
                  sa.func.coalesce(hours.c.hours, 0), sa.func.coalesce(sigs.c.sigs, 0))
        .outerjoin(bookings, bookings.c.member_id == Member.id)
        .outerjoin(hours, hours.c.member_id == Member.id)
        .outerjoin(sigs, sigs.c.member_id == Member.id)
        .where(IN_MEMBERS_EXPORT)
        .order_by(Member.id)
        .limit(limit)
        .execution_options(yield_per=BATCH)
    )
    for member, booked, attended, logged, sig_count in db.session.execute(statement):
        yield [
            member.id, member.full_name, member.email, member.grade or "", member.is_ambassador,
            member.discipline or "", member.sector or "", member.career_stage or "", member.cpd_policy,
            booked, attended, round(float(logged), 2), sig_count,
        ]


ORDERS_HEADER = [
    Column("order", "Order"), Column("invoice", "Invoice"), Column("date", "Date (UTC)"), Column("buyer", "Buyer"),
    Column("organisation", "Organisation"), Column("event_id", "Event number"), Column("event", "Event"),
    Column("price", "Price"), Column("net", "Net"), Column("vat_rate", "VAT rate"), Column("vat", "VAT"),
    Column("gross", "Gross"), Column("currency", "Currency"), Column("method", "Paid by"),
    Column("reference", "Reference"), Column("purchase_order", "Purchase order"), Column("status", "Status"),
    Column("refunded", "Refunded (order)"),
]


def order_rows(event_id=None):
    """One row per order line, for finance: amounts as decimal strings, the order's refunds beside it."""
    from sqlalchemy.orm import selectinload

    statement = (sa.select(OrderLine).join(Order, Order.id == OrderLine.order_id)
                 .options(selectinload(OrderLine.order).selectinload(Order.documents),
                          selectinload(OrderLine.order).selectinload(Order.event), selectinload(OrderLine.price))
                 .order_by(Order.id, OrderLine.id))
    if event_id is not None:
        statement = statement.where(Order.event_id == event_id)
    for line in db.session.scalars(statement.execution_options(yield_per=BATCH)):
        order = line.order
        invoice = next((d.number for d in order.documents if d.kind == "invoice"), "")
        yield [order.number, invoice, order.created_at, order.billing_name, order.billing_organisation,
               order.event_id, order.event.title, line.price.name if line.price else line.description,
               f"{line.net:.2f}", str(line.vat_rate.normalize()), f"{line.vat:.2f}", f"{line.gross:.2f}",
               order.currency, order.pay_by, order.provider_reference or "", order.purchase_order, order.status,
               f"{order.refunded:.2f}"]
