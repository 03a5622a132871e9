"""Who may read every route: each GET of the table (API and pages) for each kind of caller, and the
checks that come before any input (a staff operation refused to a member whatever the body, HEAD
as GET, a page form without its CSRF token). None of these changes what the world holds, so the
world is built once for the module and emptied when the module ends."""
import pytest

from cpd.extensions import limiter
from tests.authorization.table import (API, CALLED_BY_OTHER_SYSTEMS, FORM_WITHOUT_TOKEN, ROLES, build_world, call, cases,
                                       url_for_case)
from tests.conftest import empty_database


@pytest.fixture(autouse=True)
def _empty_database_after_test():
    """Replaces the suite's emptying for this module: the module's world stays until its end."""
    yield
    limiter.reset()


@pytest.fixture(scope="module")
def world(app):
    built = build_world(app, app.test_client())
    yield built
    empty_database(app)


READS = cases(reads=True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind, method, rule", READS, ids=[f"{c[1]} {c[2]}" for c in READS])
def test_who_may_read(client, world, kind, method, rule, role):
    response, expected = call(client, world, kind, method, rule, role)
    assert response.status_code == expected, response.get_data(as_text=True)[:300]


def test_page_forms_refuse_a_post_without_its_token(app, client, world):
    headers, people, values, special = world
    with client.session_transaction() as session:
        session["_user_id"] = people["staff"].get_id()
        session["_fresh"] = True
    refused = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or "POST" not in rule.methods:
            continue
        response = client.post(url_for_case(rule.rule, "POST", values, special), data={"title": "x"})
        if rule.rule in CALLED_BY_OTHER_SYSTEMS:
            # No CSRF token: the caller proves who it is with its own credentials, never the cookie.
            if response.status_code not in (400, 401):
                refused.append(f"{rule.rule}: {response.status_code} with only a session cookie")
        elif response.status_code != FORM_WITHOUT_TOKEN["staff"]:
            refused.append(f"{rule.rule}: {response.status_code}")
    assert refused == []


STAFF_ONLY = sorted((method, rule) for (method, rule), (expected, _) in API.items()
                    if expected["staff"] != 403 and all(expected[role] == 403 for role in ROLES[1:-1]))


@pytest.mark.parametrize("method, rule", STAFF_ONLY, ids=[f"{m} {r}" for m, r in STAFF_ONLY])
def test_a_member_hears_403_from_a_staff_operation_whatever_the_input(client, world, method, rule):
    """Who may call is checked before the input is read: an invalid body or query from a member gets
    403, never a 422 that tells them what the operation expects."""
    headers, _, values, special = world
    url = url_for_case(rule, method, values, special) + "?page=zero&year=abc&status=nonsense"
    body = None if method in ("GET", "DELETE") else {"no such field": ["\u0000"], "year": "abc"}
    response = client.open(url, method=method, headers=headers["member"], json=body)
    assert response.status_code == 403, response.get_data(as_text=True)[:300]


@pytest.mark.parametrize("method, rule", [(m, r) for m, r in STAFF_ONLY if m == "GET"],
                         ids=[r for m, r in STAFF_ONLY if m == "GET"])
def test_head_is_checked_like_get(client, world, method, rule):
    """Flask answers HEAD with a view's get: the check before input answers it the same way."""
    headers, _, values, special = world
    url = url_for_case(rule, method, values, special)
    assert client.head(url).status_code == 401
    assert client.head(url, headers=headers["member"]).status_code == 403
