"""Fuzzing the API from its own OpenAPI document (schemathesis): for every operation, signed in,
a bounded number of generated requests; no 5xx, and every answer matches what is documented.

Hypothesis drives each operation here directly (schemathesis's pytest plugin does not yet run
under this pytest), and every operation's findings are reported together. Each request carries
a fresh token (an operation may revoke one), and the operations that erase an account go last."""
import os

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

# The full count in CI (CI=true); fewer on a developer's machine, for a quick run (FUZZ_EXAMPLES overrides).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or (25 if os.environ.get("CI") else 8))
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance]
ERASING = ("DELETE /api/v1/me", "POST /api/v1/members/{member_id}/erase")


def test_every_operation_answers_as_documented(app, create_member, create_staff, create_event, create_sig,
                                               create_record, auth_headers):
    staff = create_staff(grade="member")
    create_sig(leads=[staff], members=[create_member(grade="member")])
    create_event(capacity=3)
    create_record(staff)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = sorted((result.ok() for result in schema.get_all_operations()),
                        key=lambda operation: operation.label in ERASING)

    findings, calls = [], []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case):
            response = case.call_and_validate(headers=auth_headers(staff), checks=CHECKS)
            calls.append(response.status_code)

        try:
            fuzz()
        except BaseException as error:  # noqa: BLE001 (schemathesis raises exception groups); report them all
            findings.append(f"{operation.label}: {str(error)[:800]}")
    assert len(operations) > 50
    assert findings == []
    assert calls.count(200) + calls.count(201) > len(operations)  # many requests got through to the work
