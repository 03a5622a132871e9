"""The real counterpart for payments: localstripe (the stateful fake Stripe server), started here on
127.0.0.1, with the app's STRIPE_API_BASE pointed at it, so the official `stripe` library does the
talking and nothing is mocked."""
import hashlib
import hmac
import json
import time
import urllib.request

import pytest
import stripe

from tests.servers import start_localstripe

SECRET_KEY = "sk_test_cpd_platform"
WEBHOOK_SECRET = "whsec_cpd_tests"


@pytest.fixture(scope="session")
def localstripe():
    server = start_localstripe()
    yield server
    server.stop()


@pytest.fixture
def stripe_settings(app, localstripe):
    """The app's Stripe settings pointed at localstripe for one test."""
    saved = {name: app.config.get(name) for name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE")}
    app.config.update(STRIPE_SECRET_KEY=SECRET_KEY, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
                      STRIPE_API_BASE=localstripe.base)
    yield {"STRIPE_SECRET_KEY": SECRET_KEY, "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
           "STRIPE_API_BASE": localstripe.base}
    app.config.update(saved)


def stripe_client(localstripe):
    """The buyer's side of Stripe (what Stripe.js does in a browser), through the same library."""
    return stripe.StripeClient(SECRET_KEY, base_addresses={"api": localstripe.base})


def pay_with_card(localstripe, intent_id, card="pm_card_visa"):
    client = stripe_client(localstripe)
    client.v1.payment_intents.update(intent_id, params={"payment_method": card})
    return client.v1.payment_intents.confirm(intent_id)


def point_webhook_at(localstripe, url):
    """localstripe signs each event with the secret and posts it to `url`, as Stripe would."""
    body = f"url={url}&secret={WEBHOOK_SECRET}".encode()
    request = urllib.request.Request(f"{localstripe.base}/_config/webhooks/cpd", data=body, method="POST")
    urllib.request.urlopen(request, timeout=10)


def signed(event, secret=WEBHOOK_SECRET, at=None):
    """(payload, Stripe-Signature header) for an event, signed as Stripe signs (its v1 scheme)."""
    payload = json.dumps(event)
    at = at or int(time.time())
    signature = hmac.new(secret.encode(), f"{at}.{payload}".encode(), hashlib.sha256).hexdigest()
    return payload, f"t={at},v1={signature}"
