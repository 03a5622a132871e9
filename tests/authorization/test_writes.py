"""Who may change what, through every API method but GET, for each kind of caller: each case in a
world of its own, since the call may change it. And the table itself: a route missing from it fails."""
import pytest

from tests.authorization.table import API, NOT_CHECKED_HERE, PAGES, ROLES, build_world, call, cases


@pytest.fixture
def world(app, client):
    return build_world(app, client)


def test_every_route_is_in_the_table(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.rule in NOT_CHECKED_HERE:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if rule.rule.startswith("/api/"):
                known = (method, rule.rule) in API
            elif method == "GET":
                known = rule.rule in PAGES
            else:
                known = True  # every page POST is in test_reads.test_page_forms_refuse_a_post_without_its_token
            if not known:
                missing.append(f"{method} {rule.rule}")
    assert missing == [], "routes without an entry in the authorization table"


WRITES = cases(reads=False)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind, method, rule", WRITES, ids=[f"{c[1]} {c[2]}" for c in WRITES])
def test_who_may_write(client, world, kind, method, rule, role):
    response, expected = call(client, world, kind, method, rule, role)
    assert response.status_code == expected, response.get_data(as_text=True)[:300]
