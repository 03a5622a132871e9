"""Webhooks against a real receiver on loopback: each event a subscription names arrives once,
signed so that the standardwebhooks library verifies it; a receiver that fails gets the delivery
again on the back-off schedule; the log shows each attempt; a delivery can be replayed; and in
production an address that resolves to a private network is refused."""
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa
from standardwebhooks.webhooks import Webhook

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.integrations import webhooks
from cpd.integrations.models import WebhookDelivery


class Receiver:
    """An HTTP server on 127.0.0.1 that keeps what it is sent and answers `status`."""

    def __init__(self):
        received, receiver = [], self
        self.received, self.status = received, 200

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/cpd"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def send_due(app):
    with app.app_context():
        return webhooks.deliver_due()


def test_events_arrive_signed_once_and_failures_are_retried_then_replayed(client, app, receiver, create_event,
                                                                          create_member, create_staff,
                                                                          auth_headers):
    staff = auth_headers(create_staff())
    made = client.post("/api/v1/webhooks", headers=staff, json={
        "url": receiver.url, "events": ["booking.confirmed", "booking.cancelled", "cpd_record.created"]})
    assert made.status_code == 201, made.get_json()
    subscription = made.get_json()
    assert subscription["secret"].startswith("whsec_")
    assert "secret" not in client.get("/api/v1/webhooks", headers=staff).get_json()["items"][0]

    event, member = create_event(title="Welding basics"), create_member()
    booking = client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(member)).get_json()
    assert send_due(app) == (1, 0)
    headers, body = receiver.received[0]
    verified = Webhook(subscription["secret"]).verify(body, {name.lower(): value for name, value in headers.items()})
    assert verified["type"] == "booking.confirmed"
    assert verified["data"] == {"booking_id": booking["id"], "event_id": event.id, "member_id": member.id,
                                "status": "confirmed"}
    assert "Welding" not in body.decode() and member.email not in body.decode()  # ids, never personal data
    assert send_due(app) == (0, 0)  # sent once

    receiver.status = 500
    client.delete(f"/api/v1/bookings/{booking['id']}", headers=auth_headers(member))
    assert send_due(app) == (0, 1)
    log = client.get(f"/api/v1/webhooks/{subscription['id']}/deliveries", headers=staff).get_json()["items"]
    failing = log[0]
    assert (failing["event_type"], failing["status"], failing["attempts"], failing["last_status_code"]) == (
        "booking.cancelled", "pending", 1, 500)
    assert failing["last_error"] == "answered 500" and failing["last_duration_ms"] is not None
    later = utcnow() + timedelta(seconds=6)
    receiver.status = 204
    with app.app_context():
        assert webhooks.deliver_due(later) == (1, 0)
    redelivered = [json.loads(b)["type"] for _, b in receiver.received]
    assert redelivered == ["booking.confirmed", "booking.cancelled", "booking.cancelled"]
    assert receiver.received[1][0]["webhook-id"] == receiver.received[2][0]["webhook-id"]  # the same message

    replayed = client.post(f"/api/v1/webhook-deliveries/{log[0]['id']}/replay", headers=staff)
    assert replayed.status_code == 200 and replayed.get_json()["status"] == "pending"
    assert send_due(app) == (1, 0) and len(receiver.received) == 4


def test_a_delivery_gives_up_after_the_retry_time(app, client, receiver, create_event, create_member, create_staff,
                                                  auth_headers):
    staff = auth_headers(create_staff())
    client.post("/api/v1/webhooks", headers=staff, json={"url": receiver.url, "events": ["booking.confirmed"]})
    receiver.status = 503
    event = create_event()
    client.post(f"/api/v1/events/{event.id}/bookings", headers=auth_headers(create_member()))
    moment = utcnow()
    with app.app_context():
        for step in range(10):  # each try when its back-off has passed
            webhooks.deliver_due(moment)
            moment += timedelta(hours=11)
        delivery = db.session.scalar(sa.select(WebhookDelivery))
        assert (delivery.status, delivery.next_attempt_at) == ("failed", None)
        assert 1 < delivery.attempts <= 8


def test_bad_subscriptions_are_refused_and_production_refuses_private_addresses(client, app, create_staff,
                                                                               create_member, auth_headers):
    staff = auth_headers(create_staff())
    unknown = client.post("/api/v1/webhooks", headers=staff, json={"url": "http://127.0.0.1:9/x", "events": ["nope"]})
    assert unknown.status_code == 422
    member = client.post("/api/v1/webhooks", headers=auth_headers(create_member()),
                         json={"url": "http://127.0.0.1:9/x", "events": ["booking.confirmed"]})
    assert member.status_code == 403
    app.config["ENV_NAME"] = "production"
    try:
        for url in ("https://127.0.0.1/hook", "https://10.0.0.8/hook", "https://169.254.169.254/latest",
                    "http://example.org/hook"):
            refused = client.post("/api/v1/webhooks", headers=staff, json={"url": url, "events": ["order.paid"]})
            assert refused.status_code == 422 and "url" in refused.get_json()["errors"], url
    finally:
        app.config["ENV_NAME"] = "testing"


def test_flask_webhooks_send_delivers_what_is_due_without_a_worker(app, client, receiver, create_event, create_member,
                                                                   create_staff, auth_headers):
    client.post("/api/v1/webhooks", headers=auth_headers(create_staff()),
                json={"url": receiver.url, "events": ["cpd_record.created"]})
    member = create_member()
    logged = client.post("/api/v1/me/cpd-records", headers=auth_headers(member), json={
        "title": "Reading on corrosion", "activity_type": "self_directed", "started_on": "2026-11-02", "hours": 2})
    assert logged.status_code == 201
    result = app.test_cli_runner().invoke(args=["webhooks", "send"])
    assert result.exit_code == 0 and result.output.startswith("1 delivered, 0 not")
    (_, body), = receiver.received
    assert json.loads(body)["data"] == {"record_id": logged.get_json()["id"], "member_id": member.id,
                                        "activity_type": "self_directed", "hours": "2.00", "verified": False}


def test_erasure_announces_each_credential_it_revokes(app, client, receiver, create_member, create_staff,
                                                       auth_headers):
    from datetime import date

    from cpd.credentials import issuing
    from cpd.members.models import Member

    staff = auth_headers(create_staff())
    made = client.post("/api/v1/webhooks", headers=staff, json={"url": receiver.url, "events": ["credential.revoked"]})
    member = create_member(registrations=[("CSci", date(2024, 5, 1))])
    with app.app_context():
        issuing.issue_due(db.session.get(Member, member.id))
        db.session.commit()
    assert client.delete("/api/v1/me", headers=auth_headers(member)).status_code in (200, 204)
    assert send_due(app) == (1, 0)
    headers, body = receiver.received[0]
    verified = Webhook(made.get_json()["secret"]).verify(body, {k.lower(): v for k, v in headers.items()})
    assert (verified["type"], verified["data"]["kind"]) == ("credential.revoked", "registration")
