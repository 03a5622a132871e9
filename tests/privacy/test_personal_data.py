"""Personal data: a member downloads everything held on them; erasure anonymises them and
deletes their evidence, and the strategy's figures do not move."""
import io
import json
import os
import zipfile
from datetime import date, timedelta

import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members.models import Member
from cpd.metrics import measures
from tests.conftest import TEST_PASSWORD
from tests.records.test_api import PNG


def _world(create_member, create_event, create_booking, create_record, create_sig, client, auth_headers):
    member = create_member(email="grace@example.org", full_name="Grace Hopper", grade="fellow",
                           discipline="digital", cpd_policy="science_council")
    record = create_record(member, title="Compiler design", learning="Linkers", started_on=date.today() - timedelta(days=3))
    event = create_event(starts_at=utcnow() - timedelta(days=2), kind="conference")
    create_booking(member, event, attended=True)
    create_sig(members=[member])
    headers = auth_headers(member)
    client.post(f"/api/v1/me/cpd-records/{record.id}/evidence", headers=headers,
                data={"file": (io.BytesIO(PNG), "certificate.png")})
    client.post(f"/api/v1/events/{event.id}/feedback", headers=headers, json={"rating": 5, "comment": "Loved it"})
    return member, headers


def test_a_member_downloads_everything_held_on_them(client, create_member, create_event, create_booking,
                                                    create_record, create_sig, auth_headers):
    member, headers = _world(create_member, create_event, create_booking, create_record, create_sig, client, auth_headers)
    response = client.get("/api/v1/me/export", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"profile.json", "cpd-records.json", "bookings.json", "sigs.json", "feedback.json",
            "development-plan.json", "notices.json", "audit-log.json"} <= names
    assert json.loads(archive.read("profile.json"))["email"] == "grace@example.org"
    assert json.loads(archive.read("cpd-records.json"))[0]["learning"] == "Linkers"
    assert json.loads(archive.read("feedback.json"))[0]["comment"] == "Loved it"
    (evidence,) = [n for n in names if n.startswith("evidence/")]
    assert archive.read(evidence) == PNG


def test_erasing_anonymises_deletes_evidence_and_keeps_the_figures(client, app, create_member, create_event,
                                                                   create_booking, create_record, create_sig,
                                                                   create_staff, auth_headers):
    member, headers = _world(create_member, create_event, create_booking, create_record, create_sig, client, auth_headers)
    year = utcnow().year
    with app.app_context():
        before = measures.kpis(year).as_dict()
    evidence_dir = os.path.join(app.config["UPLOAD_DIR"], "evidence")
    assert len(os.listdir(evidence_dir)) == 1

    assert client.delete("/api/v1/me", headers=headers).status_code == 204
    with app.app_context():
        erased = db.session.get(Member, member.id)
        assert (erased.full_name, erased.password_hash) == ("Erased member", None)
        assert "grace" not in erased.email and erased.erased_at is not None
        after = measures.kpis(year).as_dict()
        from cpd.records.models import CpdRecord
        assert db.session.scalar(sa.select(CpdRecord.learning)) == "[erased]"
    assert after == before
    assert os.listdir(evidence_dir) == []
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    signin = client.post("/api/v1/auth/token", json={"email": "grace@example.org", "password": TEST_PASSWORD})
    assert signin.status_code == 401

    staff = auth_headers(create_staff())
    assert client.post(f"/api/v1/members/{member.id}/erase", headers=staff).status_code == 409
    other = create_member()
    assert client.post(f"/api/v1/members/{other.id}/erase", headers=auth_headers(create_member())).status_code == 403
    erased_by_staff = client.post(f"/api/v1/members/{other.id}/erase", headers=staff)
    assert erased_by_staff.status_code == 200 and erased_by_staff.get_json()["full_name"] == "Erased member"


def test_the_audit_log_records_sign_ins_and_staff_actions_for_staff_to_read(client, create_member, create_staff,
                                                                           auth_headers):
    staff_member = create_staff(email="boss@example.org")
    member = create_member()
    client.post("/api/v1/auth/token", json={"email": "boss@example.org", "password": TEST_PASSWORD})
    client.post("/api/v1/auth/token", json={"email": "boss@example.org", "password": "wrong password"})
    staff = auth_headers(staff_member)
    client.patch(f"/api/v1/members/{member.id}", headers=staff, json={"grade": "fellow"})
    client.post(f"/api/v1/members/{member.id}/erase", headers=staff)
    log = client.get("/api/v1/audit-log?per_page=100", headers=staff).get_json()
    actions = [(e["action"], e["actor_id"], e["target_id"]) for e in reversed(log["items"])]
    assert actions == [("sign_in", staff_member.id, staff_member.id), ("sign_in_failed", None, None),
                       ("member.update", staff_member.id, member.id), ("member.erase", staff_member.id, member.id)]
    assert log["items"][1]["details"] == {"fields": ["grade"], "changes": {"grade": {"old": None, "new": "fellow"}}}
    assert log["items"][2]["details"] == {"email": "boss@example.org", "via": "api"}
    assert client.get("/api/v1/audit-log", headers=auth_headers(member)).status_code in (401, 403)
    assert client.get("/api/v1/audit-log", headers=auth_headers(create_member())).status_code == 403
