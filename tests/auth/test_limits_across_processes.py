"""Sign-in limits hold across gunicorn's worker processes when they share Redis storage."""
import json
import socket
import urllib.error
import urllib.request

import pytest

REDIS = ("127.0.0.1", 6379)


def redis_reachable():
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


def post_json(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.skipif(not redis_reachable(), reason="needs Redis on 127.0.0.1:6379 (CI has it): apt-get install redis-server")
def test_failed_sign_ins_are_counted_across_workers(database_url, serve_with_gunicorn, create_member):
    import uuid

    create_member(email="shared@example.org")
    base = serve_with_gunicorn(
        database_url, workers=4, RATELIMIT_ENABLED="1", SIGN_IN_RATE_LIMIT="1000 per minute",
        ACCOUNT_LOCKOUT_LIMIT="5 per hour",
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
        # a fresh key space, so runs never see each other's counters
        RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}",
    )
    statuses = [post_json(f"{base}/api/v1/auth/token", {"email": "shared@example.org", "password": "not it"})
                for _ in range(8)]
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429] * 3
