"""The CPD log over the API: own records only, bad input refused whole, evidence by content."""
import csv
import io
import os
from datetime import date, timedelta

import sqlalchemy as sa
from pypdf import PdfReader

from cpd.extensions import db
from cpd.records import services, verified
from cpd.records.models import CpdRecord, Evidence

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ACTIVITY = {
    "title": "Welding inspection course",
    "activity_type": "formal_educational",
    "started_on": "2026-03-02",
    "ended_on": "2026-03-03",
    "hours": 12.5,
    "learning": "Reading radiographs",
    "benefit_to_practice": "I sign off welds myself now",
}


def record_count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(CpdRecord))


def test_a_member_logs_lists_changes_and_deletes_an_activity(client, app, create_member, auth_headers):
    headers = auth_headers(create_member())
    created = client.post("/api/v1/me/cpd-records", headers=headers, json=ACTIVITY)
    assert created.status_code == 201
    record = created.get_json()
    assert {k: record[k] for k in ACTIVITY} == ACTIVITY
    assert record["verified"] is False and record["source_event_id"] is None and record["objective_id"] is None

    client.post("/api/v1/me/cpd-records", headers=headers,
                json={**ACTIVITY, "title": "Mentoring", "activity_type": "work_based", "started_on": "2025-11-01",
                      "ended_on": None, "hours": 1})
    listing = client.get("/api/v1/me/cpd-records?year=2026", headers=headers).get_json()
    assert (listing["total"], [r["title"] for r in listing["items"]]) == (1, ["Welding inspection course"])
    by_type = client.get("/api/v1/me/cpd-records?activity_type=work_based", headers=headers).get_json()
    assert [r["ended_on"] for r in by_type["items"]] == ["2025-11-01"]

    url = f"/api/v1/me/cpd-records/{record['id']}"
    changed = client.patch(url, headers=headers, json={"hours": 14, "benefit_to_users": "Safer bridges"})
    assert changed.status_code == 200
    assert (changed.get_json()["hours"], changed.get_json()["benefit_to_users"]) == (14.0, "Safer bridges")
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404


def test_bad_activities_are_422_and_store_nothing(client, app, create_member, auth_headers):
    headers = auth_headers(create_member())
    tomorrow = (services.today() + timedelta(days=1)).isoformat()
    cases = {
        "hours zero": ({"hours": 0}, "hours"),
        "hours negative": ({"hours": -2}, "hours"),
        "over 24 a day": ({"started_on": "2026-03-02", "ended_on": "2026-03-02", "hours": 24.5}, "hours"),
        "over 24 a day over a span": ({"hours": 48.5}, "hours"),
        "end before start": ({"ended_on": "2026-03-01"}, "ended_on"),
        "in the future": ({"started_on": tomorrow, "ended_on": tomorrow}, "started_on"),
        "ends in the future": ({"ended_on": tomorrow}, "ended_on"),
        "unknown type": ({"activity_type": "napping"}, "activity_type"),
        "no title": ({"title": ""}, "title"),
        "long ago": ({"started_on": "1900-01-01"}, "started_on"),
        "not a number": ({"hours": "lots"}, "hours"),
        "someone's objective": ({"objective_id": 99999}, "objective_id"),
    }
    for name, (change, field) in cases.items():
        response = client.post("/api/v1/me/cpd-records", headers=headers, json={**ACTIVITY, **change})
        assert response.status_code == 422, name
        assert field in response.get_json()["errors"], (name, response.get_json())
    assert client.post("/api/v1/me/cpd-records", headers=headers, json={**ACTIVITY, "hours": 48}).status_code == 201
    assert record_count(app) == 1


def test_a_change_that_makes_a_record_invalid_changes_nothing(client, create_member, auth_headers):
    headers = auth_headers(create_member())
    record = client.post("/api/v1/me/cpd-records", headers=headers, json=ACTIVITY).get_json()
    url = f"/api/v1/me/cpd-records/{record['id']}"
    response = client.patch(url, headers=headers, json={"title": "Renamed", "ended_on": "2026-01-01"})
    assert response.status_code == 422
    assert client.get(url, headers=headers).get_json()["title"] == ACTIVITY["title"]


def test_another_members_records_are_404_and_staff_read_through_the_member(client, create_member, create_staff,
                                                                            auth_headers, create_record):
    owner, other = create_member(), create_member()
    record = create_record(owner)
    url = f"/api/v1/me/cpd-records/{record.id}"
    other_headers = auth_headers(other)
    assert client.get(url, headers=other_headers).status_code == 404
    assert client.patch(url, headers=other_headers, json={"hours": 1}).status_code == 404
    assert client.delete(url, headers=other_headers).status_code == 404
    assert client.get(f"/api/v1/members/{owner.id}/cpd-records", headers=other_headers).status_code == 403
    staff_view = client.get(f"/api/v1/members/{owner.id}/cpd-records", headers=auth_headers(create_staff()))
    assert [r["id"] for r in staff_view.get_json()["items"]] == [record.id]


def test_a_verified_record_keeps_its_hours_and_dates_but_takes_a_reflection(client, app, create_member, auth_headers):
    member = create_member()
    with app.app_context():
        record_id = verified.record_attendance(member.id, 7, "Bridge design course", "formal_educational",
                                               date(2026, 2, 2), date(2026, 2, 2), 6).id
        db.session.commit()
    headers = auth_headers(member)
    url = f"/api/v1/me/cpd-records/{record_id}"
    refused = client.patch(url, headers=headers, json={"hours": 60, "learning": "x"})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"hours": ["Set from recorded attendance."]}
    reflected = client.patch(url, headers=headers, json={"learning": "Load paths", "benefit_to_practice": "Fewer errors"})
    assert reflected.status_code == 200
    assert (reflected.get_json()["hours"], reflected.get_json()["verified"]) == (6.0, True)
    assert reflected.get_json()["source_event_id"] == 7
    assert client.delete(url, headers=headers).status_code == 409


def test_attendance_makes_one_record_however_often_it_is_recorded(app_ctx, create_member):
    member = create_member()
    for _ in range(3):
        verified.record_attendance(member.id, 9, "SIG talk", "professional_activity", date(2026, 4, 1), date(2026, 4, 1), 1.5)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CpdRecord)) == 1
    verified.remove_attendance_record(member.id, 9)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CpdRecord)) == 0


def test_evidence_is_checked_by_content_kept_privately_and_deleted_with_its_record(client, app, create_member,
                                                                                   create_staff, auth_headers,
                                                                                   create_record, monkeypatch):
    owner = create_member()
    record = create_record(owner)
    headers = auth_headers(owner)
    url = f"/api/v1/me/cpd-records/{record.id}/evidence"

    uploaded = client.post(url, headers=headers, data={"file": (io.BytesIO(PNG), "certificate.png")})
    assert uploaded.status_code == 201
    evidence = uploaded.get_json()
    assert (evidence["content_type"], evidence["filename"], evidence["size_bytes"]) == ("image/png", "certificate.png", len(PNG))

    renamed = client.post(url, headers=headers, data={"file": (io.BytesIO(PDF), "notes.exe")})
    assert renamed.get_json() | {"id": 0, "created_at": ""} == {
        "id": 0, "created_at": "", "filename": "notes.pdf", "content_type": "application/pdf", "size_bytes": len(PDF)}

    for content, name in ((b"MZ\x90\x00binary", "cert.pdf"), (b"<html><script>alert(1)</script>", "notes.txt"),
                          (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff", "pic.png")):
        refused = client.post(url, headers=headers, data={"file": (io.BytesIO(content), name)})
        assert refused.status_code == 422, name
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 100)
    assert client.post(url, headers=headers, data={"file": (io.BytesIO(PDF * 10), "big.pdf")}).status_code == 413
    assert client.post(url, headers=headers, data={}).status_code == 422

    with app.app_context():
        stored = db.session.scalars(sa.select(Evidence.stored_name)).all()
    folder = os.path.join(app.config["UPLOAD_DIR"], "evidence")
    assert sorted(os.listdir(folder)) == sorted(stored) and len(stored) == 2
    assert not any("certificate" in name for name in stored)

    download_url = f"{url}/{evidence['id']}"
    download = client.get(download_url, headers=headers)
    assert download.status_code == 200 and download.data == PNG
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert client.get(download_url, headers=auth_headers(create_member())).status_code == 404
    assert client.get(download_url, headers=auth_headers(create_staff())).status_code == 200

    assert client.delete(f"/api/v1/me/cpd-records/{record.id}", headers=headers).status_code == 204
    assert os.listdir(folder) == []


def test_the_csv_download_has_a_row_per_record_with_formulas_neutralised(client, create_member, auth_headers, create_record):
    member = create_member()
    create_record(member, title="=HYPERLINK(\"http://evil.example\")", hours=1.5, started_on=date(2026, 1, 5))
    create_record(member, title="Site visit", started_on=date(2026, 2, 6), ended_on=date(2026, 2, 7), hours=9)
    response = client.get("/api/v1/me/cpd-records.csv", headers=auth_headers(member))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert not response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["title"] for row in rows] == ["'=HYPERLINK(\"http://evil.example\")", "Site visit"]
    assert (rows[1]["started_on"], rows[1]["ended_on"], rows[1]["hours"]) == ("2026-02-06", "2026-02-07", "9.0")


def test_the_pdf_profile_lists_activities_and_reflections(client, create_member, auth_headers, create_record):
    member = create_member(full_name="Zoë Łukasiewicz")
    create_record(member, title="Thermal imaging workshop", learning="Emissivity matters", started_on=date(2026, 5, 5))
    response = client.get("/api/v1/me/cpd-profile.pdf", headers=auth_headers(member))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for expected in ("Zoë Łukasiewicz", "Thermal imaging workshop", "Emissivity matters", "Science Council"):
        assert expected in text


def test_xapi_statements_are_stable_and_describe_each_record(client, app, create_member, auth_headers, create_record):
    member = create_member(email="xapi@example.org")
    create_record(member, title="Reading", hours=7.5, ended_on=date(2026, 3, 2))
    with app.app_context():
        verified.record_attendance(member.id, 44, "Conference day", "professional_activity", date(2026, 4, 1), date(2026, 4, 1), 6)
        db.session.commit()
    headers = auth_headers(member)
    first = client.get("/api/v1/me/xapi-statements", headers=headers).get_json()
    second = client.get("/api/v1/me/xapi-statements", headers=headers).get_json()
    assert first["statements"] == second["statements"] == first["items"]
    attended, completed = first["statements"]
    assert attended["verb"]["id"] == "http://adlnet.gov/expapi/verbs/attended"
    assert attended["object"]["id"].endswith("/events/44")
    assert completed["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert completed["result"]["duration"] == "PT7H30M"
    assert completed["actor"]["mbox"] == "mailto:xapi@example.org"
    assert completed["timestamp"].startswith("2026-03-02T00:00:00")
    assert len({s["id"] for s in first["statements"]}) == 2


def test_policies_are_public_and_the_summary_names_unknown_codes(client, create_member, auth_headers):
    policies = client.get("/api/v1/cpd-policies").get_json()
    assert {p["code"] for p in policies["items"]} == {
        "science_council", "iet", "rics", "engineers_ireland", "engineers_australia", "acca"}
    response = client.get("/api/v1/me/cpd-summary?policy=nope", headers=auth_headers(create_member()))
    assert response.status_code == 404
    assert "engineers_australia" in response.get_json()["message"]


def test_the_summary_of_five_thousand_records_costs_three_queries(client, app, create_member, auth_headers,
                                                                         count_queries):
    member = create_member(cpd_policy="engineers_ireland")
    with app.app_context():
        db.session.execute(sa.insert(CpdRecord), [
            {"member_id": member.id, "title": f"Activity {n}", "activity_type": ("work_based", "self_directed")[n % 2],
             "started_on": date(2026, 1, 1) + timedelta(days=n % 300), "ended_on": date(2026, 1, 1) + timedelta(days=n % 300),
             "hours": 0.5, "description": "", "learning": "", "benefit_to_practice": "", "benefit_to_users": "",
             "verified": False} for n in range(5000)])
        db.session.commit()
    headers = auth_headers(member)
    with count_queries() as statements:
        response = client.get("/api/v1/me/cpd-summary?as_of=2026-11-01", headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["total"], body["compliant"], body["record_count"]) == (2500.0, True, 5000)
    assert body["by_activity_type"]["work_based"] == 1250.0
    # The token's member, the policy with the member's exemptions, the amounts.
    assert len(statements) <= 3, statements


def test_the_summary_asks_about_evidence_of_the_members_own_records_only(client, app, create_member, auth_headers,
                                                                          count_queries):
    """Other members' certificates are not read to answer one member's summary: the database asks
    record by record (an index lookup), where a join to every evidenced record made it gather the
    whole evidence table each time (67 ms a summary at 200,000 files, bench/RESULTS.md)."""
    member, other = create_member(cpd_policy="acca"), create_member(cpd_policy="acca")
    with app.app_context():
        records = [CpdRecord(member_id=owner.id, title=f"Course {n}", activity_type="formal_educational",
                             started_on=date(2026, 3, 1), ended_on=date(2026, 3, 1), hours=2, verifiable=True)
                   for n, owner in enumerate([member, member, other])]
        db.session.add_all(records)
        db.session.flush()
        db.session.add_all(Evidence(record_id=record.id, filename="c.pdf", stored_name=f"e{record.id}",
                                    content_type="application/pdf", size_bytes=10) for record in records[::2])
        db.session.commit()
    with count_queries() as statements:
        body = client.get("/api/v1/me/cpd-summary?as_of=2026-11-01", headers=auth_headers(member)).get_json()
    # Two claimed verifiable, one with its certificate: 2 verifiable hours, 2 claimed without evidence.
    assert (body["total"], body["verifiable_total"]) == (4.0, 2.0)
    assert any("2.00 hours claimed as verifiable have no evidence attached" in note for note in body["notes"]), body["notes"]
    amounts = [s for s in statements if "FROM cpd_records" in s and "evidence" in s]
    assert len(amounts) == 1, statements
    assert "evidence.record_id = cpd_records.id" in " ".join(amounts[0].split()), amounts[0]
    assert "DISTINCT evidence" not in amounts[0]
