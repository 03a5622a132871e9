"""An organisation's admin books several of its people onto an event in one order: one invoice to
the organisation (its billing details, the admin's purchase order), all seats or none under the
event's lock. Cancelling one person's seat credits that line (cpd.payments.refunds)."""
import sqlalchemy as sa

from cpd.core import audit
from cpd.core.errors import Forbidden, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.events import booking as booking_service
from cpd.events.models import Event
from cpd.extensions import db
from cpd.members.models import Member
from cpd.organisations import services
from cpd.organisations.models import Affiliation, SponsoredOrder
from cpd.payments import checkout
from cpd.payments.models import Order

MOST_PEOPLE = 200


def _people(organisation_id, member_ids):
    if not member_ids or len(member_ids) > MOST_PEOPLE or len(set(member_ids)) != len(member_ids):
        raise Invalid.on_field("member_ids", f"Name between 1 and {MOST_PEOPLE} different people.")
    belonging = set(db.session.scalars(sa.select(Affiliation.member_id).where(
        Affiliation.organisation_id == organisation_id, Affiliation.until.is_(None),
        Affiliation.member_id.in_(member_ids))))
    outside = [member_id for member_id in member_ids if member_id not in belonging]
    if outside:
        raise Forbidden(f"Not people of this organisation: {', '.join(map(str, outside))}.",
                        {"member_ids": [str(member_id) for member_id in outside]})
    found = {member.id: member for member in db.session.scalars(sa.select(Member).where(Member.id.in_(member_ids)))}
    return [found[member_id] for member_id in member_ids]


def book_people(actor, organisation_id, values):
    """(the order, its bookings): seats for the organisation's people and its invoice."""
    organisation = services.require_admin(actor, organisation_id)
    people = _people(organisation.id, values.get("member_ids") or [])
    event = db.session.get(Event, values.get("event_id"))
    if event is None:
        raise NotFound("No such event.")
    price = checkout.choose_price(actor, event, values.get("price_id"), utcnow())
    bookings = booking_service.book_group(people, event.id, actor)
    billing = {**organisation.billing, "organisation": organisation.name}
    order = checkout.invoice_for_group(actor, event, bookings, price, billing, values.get("purchase_order"))
    db.session.add(SponsoredOrder(order_id=order.id, organisation_id=organisation.id, placed_on=utcnow().date()))
    audit.record(actor, "organisation.booking", "organisation", organisation.id, order_id=order.id,
                 member_ids=[member.id for member in people])
    return order


def bookable_events(now):
    """Published events still to come with a price to book them at (the admin page's choice)."""
    events = db.session.scalars(sa.select(Event).where(Event.status == "published", Event.starts_at > now)
                                .order_by(Event.starts_at).limit(200)).all()
    return [event for event in events if event.prices]


def orders_of(organisation_id):
    """The orders the organisation's admins placed for its people, newest first."""
    return db.session.scalars(sa.select(Order).join(SponsoredOrder, SponsoredOrder.order_id == Order.id)
                              .where(SponsoredOrder.organisation_id == organisation_id)
                              .order_by(Order.id.desc()).limit(50)).all()
