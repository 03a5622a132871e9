"""The xAPI scenario of `make bench`: a learning system posts batches of 1,000 `completed`
statements (each for a different member, named by mbox, with a duration) to /api/v1/xapi/statements
on the same gunicorn; figures are statements turned into CPD records per second, per batch, counted
from the records the run made."""
import base64
import json
import statistics
import time
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

BATCH = 1000
BATCHES = 5
SYSTEM = "Bench LMS"


def _client(app):
    from cpd.extensions import db
    from cpd.integrations import xapi

    with app.app_context():
        client, secret = xapi.create_client(f"{SYSTEM} {uuid.uuid4().hex[:6]}")
        db.session.commit()
        return client.name, client.key, secret


def _emails(app):
    from cpd.extensions import db
    from cpd.members.models import Member

    with app.app_context():
        return list(db.session.scalars(sa.select(Member.email).where(Member.role == "member",
                                                                     Member.erased_at.is_(None))
                                       .order_by(Member.id).limit(BATCH)))


def _statements(emails, day):
    return [{"id": str(uuid.uuid4()), "actor": {"objectType": "Agent", "mbox": f"mailto:{email}"},
             "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
             "object": {"objectType": "Activity", "id": f"https://lms.example.org/course/{uuid.uuid4()}",
                        "definition": {"name": {"en-GB": "Bench module"}}},
             "result": {"completion": True, "duration": "PT1H30M"}, "timestamp": day} for email in emails]


def _records_from(app, name):
    from cpd.extensions import db
    from cpd.records.models import CpdRecord

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(CpdRecord)
                                 .where(CpdRecord.source_system == name))


def xapi_batches(base, app):
    name, key, secret = _client(app)
    emails = _emails(app)
    headers = {"Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode(),
               "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
    seconds, errors = [], 0
    for batch in range(BATCHES):
        day = (datetime.now(timezone.utc) - timedelta(days=batch + 1)).isoformat()
        body = json.dumps(_statements(emails, day)).encode()
        request = urllib.request.Request(f"{base}/api/v1/xapi/statements", data=body, headers=headers, method="POST")
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                response.read()
        except OSError:
            errors += 1
            continue
        seconds.append(time.perf_counter() - started)
    records = _records_from(app, name)
    median = statistics.median(seconds) if seconds else 0
    return {"batches": len(seconds), "statements": len(emails), "errors": errors, "records": records,
            "median_s": median, "per_second": len(emails) / median if median else 0,
            "expected_records": len(emails) * len(seconds)}


def xapi_lines(figures):
    if not figures:
        return []
    met = figures["records"] == figures["expected_records"] and figures["errors"] == 0
    return ["| xAPI in | batches of | median s a batch | statements → CPD records per second | records made | "
            "errors | one record per statement |", "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
            f"| completed statements, each for a different member | {figures['statements']:,} | "
            f"{figures['median_s']:.2f} | {figures['per_second']:,.0f} | {figures['records']:,} | {figures['errors']} | "
            f"{'yes' if met else 'no'} |", ""]
