"""Which changes are webhook events, found where every domain's changes meet: the session's flush.
The deliveries are written into the same transaction (the outbox), so an event is announced exactly
when it is committed, and never for work that rolled back. Payloads carry ids and codes, never a
person's name or address."""
import secrets
import time

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import get_history

from cpd.core.background import after_commit
from cpd.core.models import utcnow
from cpd.credentials.models import Credential
from cpd.events.models import Booking
from cpd.integrations.models import WebhookDelivery, WebhookSubscription
from cpd.members.models import Member
from cpd.payments.models import Order
from cpd.records.models import CpdRecord
from cpd.registration.models import Application

EVENTS = ("member.joined", "member.left", "booking.confirmed", "booking.cancelled", "attendance.marked",
          "cpd_record.created", "registration.ratified", "credential.revoked", "order.paid", "order.refunded")
DELIVER_ONE = "cpd.integrations.webhooks.deliver_one"
# Who listens, read at most every WEBHOOK_SUBSCRIPTIONS_TTL seconds per process: a subscription made
# in another process hears events from within that time; one made in this process, at once.
_listening = {"at": None, "by_event": {}}


def forget_subscriptions():
    """The next event reads who listens afresh (a subscription was made or ended)."""
    _listening["at"] = None


def know_nobody_listens():
    """No subscription exists (the tests' emptied database): nothing to read until one is made."""
    _listening.update(at=time.monotonic(), by_event={})


def _subscriptions(session):
    now = time.monotonic()
    if _listening["at"] is None or now - _listening["at"] > current_app.config["WEBHOOK_SUBSCRIPTIONS_TTL"]:
        by_event = {}
        rows = session.execute(sa.select(WebhookSubscription.id, WebhookSubscription.events)
                               .where(WebhookSubscription.active.is_(True))).all()
        for subscription_id, events in rows:
            for name in events:
                by_event.setdefault(name, []).append(subscription_id)
        _listening.update(at=now, by_event=by_event)
    return _listening["by_event"]


def _became(obj, attribute, values):
    """True when `attribute` was set to one of `values` in this flush (a new object counts)."""
    history = get_history(obj, attribute)
    return bool(history.added) and history.added[0] in values and (not history.deleted or
                                                                   history.deleted[0] not in values)


def _set(obj, attribute):
    history = get_history(obj, attribute)
    return bool(history.added) and history.added[0] is not None and not (history.deleted and history.deleted[0])


def _events_of(obj, new):
    if isinstance(obj, Booking):
        data = {"booking_id": obj.id, "event_id": obj.event_id, "member_id": obj.member_id, "status": obj.status}
        if _became(obj, "status", ("confirmed",)):
            yield "booking.confirmed", data
        if _became(obj, "status", ("cancelled",)) and not new:
            yield "booking.cancelled", data
        if not new and get_history(obj, "attended").added and obj.attended is not None:
            yield "attendance.marked", {**data, "attended": obj.attended}
    elif isinstance(obj, CpdRecord) and new:
        yield "cpd_record.created", {"record_id": obj.id, "member_id": obj.member_id, "activity_type":
                                     obj.activity_type, "hours": str(obj.hours), "verified": bool(obj.verified)}
    elif isinstance(obj, Member) and obj.role == "member":
        if obj.joined_on is not None and (new or _set(obj, "joined_on")):
            yield "member.joined", {"member_id": obj.id, "joined_on": obj.joined_on.isoformat(), "grade": obj.grade}
        if _set(obj, "left_on"):
            yield "member.left", {"member_id": obj.id, "left_on": obj.left_on.isoformat()}
    elif isinstance(obj, Application) and not new and _became(obj, "status", ("ratified",)):
        yield "registration.ratified", {"application_id": obj.id, "member_id": obj.member_id, "title": obj.title}
    elif isinstance(obj, Credential) and not new and _set(obj, "revoked_at"):
        yield "credential.revoked", {"credential_id": obj.id, "kind": obj.kind, "reason": obj.revoked_reason}
    elif isinstance(obj, Order) and not new:
        data = {"order_id": obj.id, "number": obj.number, "status": obj.status, "currency": obj.currency,
                "total": str(obj.total)}
        if _became(obj, "status", ("paid",)):
            yield "order.paid", data
        if _became(obj, "status", ("refunded", "part_refunded")):
            yield "order.refunded", data


WATCHED = (Booking, CpdRecord, Member, Application, Credential, Order)


@event.listens_for(Session, "after_flush")
def _write_deliveries(session, flush_context):
    changed = [(obj, True) for obj in session.new if isinstance(obj, WATCHED)]
    changed += [(obj, False) for obj in session.dirty if isinstance(obj, WATCHED) and session.is_modified(obj)]
    if not changed:
        return
    listening = _subscriptions(session)
    if not listening:
        return
    now = utcnow()
    for obj, new in changed:
        for name, data in _events_of(obj, new):
            for subscription_id in listening.get(name, ()):
                delivery = WebhookDelivery(subscription_id=subscription_id, message_id=f"msg_{secrets.token_hex(12)}",
                                           event_type=name, next_attempt_at=now, payload={
                                               "type": name, "timestamp": now.isoformat(), "data": data})
                session.add(delivery)
                session.info.setdefault("webhook_deliveries", []).append(delivery)


@event.listens_for(Session, "after_flush_postexec")
def _queue_written(session, flush_context):
    """Queue each delivery once it has its id (the flush after the one that wrote it)."""
    waiting = session.info.get("webhook_deliveries", [])
    for delivery in [d for d in waiting if d.id is not None]:
        after_commit(session, DELIVER_ONE, delivery.id, job_id=f"webhook-{delivery.id}")
    session.info["webhook_deliveries"] = [d for d in waiting if d.id is None]
