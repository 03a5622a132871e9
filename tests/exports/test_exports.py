"""Exports open cleanly in a spreadsheet: streamed CSV and XLSX, formulas neutralised, staff only."""
import csv
import io
from datetime import datetime, timedelta

from openpyxl import load_workbook

from cpd.core.models import utcnow


def _past_event(create_event, **fields):
    return create_event(starts_at=utcnow() - timedelta(days=fields.pop("days_ago", 3)), **fields)


def test_attendance_csv_has_a_row_per_event_with_its_figures(client, create_event, create_member, create_booking,
                                                            create_staff, auth_headers, create_sig):
    sig = create_sig(name="Rail Signalling")
    event = _past_event(create_event, kind="sig_session", sig_id=sig.id, title="=SUM(A1:A9)", capacity=4,
                        timezone="Europe/Paris", cpd_hours=2)
    for attended in (True, True, False):
        create_booking(create_member(), event, attended=attended)
    create_booking(create_member(), event, status="waitlisted")
    create_booking(create_member(), event, status="cancelled")
    staff = auth_headers(create_staff())
    # The register, sent again, credits each attendee's CPD (2 hours each).
    register = client.get(f"/api/v1/events/{event.id}/bookings", headers=staff).get_json()["items"]
    client.put(f"/api/v1/events/{event.id}/attendance", headers=staff,
               json={"attended": [b["id"] for b in register if b["attended"] is True]})

    response = client.get("/api/v1/exports/attendance.csv", headers=staff)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert not response.data.startswith(b"\xef\xbb\xbf")
    (row,) = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert row["title"] == "'=SUM(A1:A9)"
    assert (row["kind"], row["sig"], row["timezone"]) == ("sig_session", "Rail Signalling", "Europe/Paris")
    assert row["starts_at"].endswith("+01:00") or row["starts_at"].endswith("+02:00")
    assert (row["capacity"], row["confirmed"], row["waitlisted"], row["cancelled"]) == ("4", "3", "1", "1")
    assert (row["attended"], row["no_shows"], row["attendance_rate"], row["cpd_hours_credited"]) == (
        "2", "1", "0.6667", "4.0")


def test_attendance_filters_and_bad_filters(client, create_event, create_staff, create_member, auth_headers, create_sig):
    sig = create_sig()
    _past_event(create_event, kind="course", title="Old course", days_ago=40)
    _past_event(create_event, kind="sig_session", sig_id=sig.id, title="Recent session", days_ago=2)
    staff = auth_headers(create_staff())

    def titles(query):
        text = client.get(f"/api/v1/exports/attendance.csv?{query}", headers=staff).get_data(as_text=True)
        return [row["title"] for row in csv.DictReader(io.StringIO(text))]

    since = (utcnow() - timedelta(days=10)).date().isoformat()
    assert titles(f"from={since}") == ["Recent session"]
    assert titles("kind=course") == ["Old course"]
    assert titles(f"sig_id={sig.id}") == ["Recent session"]
    for bad in ("from=2026-05-01&to=2026-01-01", "kind=party", "from=yesterday", "sig_id=-1"):
        response = client.get(f"/api/v1/exports/attendance.csv?{bad}", headers=staff)
        assert response.status_code == 422, bad
        assert response.is_json
    assert client.get("/api/v1/exports/attendance.csv", headers=auth_headers(create_member())).status_code == 403
    assert client.get("/api/v1/exports/attendance.xlsx").status_code == 401


def test_attendance_xlsx_opens_in_a_spreadsheet(client, create_event, create_staff, auth_headers):
    _past_event(create_event, title="@cmd formula", capacity=None)
    response = client.get("/api/v1/exports/attendance.xlsx", headers=auth_headers(create_staff()))
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook.active
    header, row = list(sheet.iter_rows(values_only=True))
    assert header[:3] == ("Event number", "Event", "Kind") and header[5:7] == ("Starts (local time)", "Timezone")
    assert header[9] == "Confirmed"
    title_cell = sheet.cell(row=2, column=2)
    assert title_cell.value == "@cmd formula" and title_cell.data_type == "s" and title_cell.quotePrefix
    assert row[2] == "Course" and row[7] == "Published" and row[8] is None
    starts = sheet.cell(row=2, column=6)
    assert isinstance(starts.value, datetime) and starts.is_date and starts.number_format == "yyyy-mm-dd hh:mm"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:P2"


def test_members_engagement_export(client, create_member, create_staff, auth_headers, create_event, create_booking,
                                   create_record):
    member = create_member(full_name="+44 7700 900000", grade="member", discipline="digital")
    event = _past_event(create_event)
    create_booking(member, event, attended=True)
    create_record(member, started_on=utcnow().date() - timedelta(days=1), hours=3)
    staff = auth_headers(create_staff())
    year = utcnow().year
    text = client.get(f"/api/v1/exports/members.csv?year={year}", headers=staff).get_data(as_text=True)
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["full_name"] == "'+44 7700 900000"
    assert (row["grade"], row["bookings"], row["attended"], row["cpd_hours_logged"]) == ("member", "1", "1", "3.0")
    xlsx = client.get(f"/api/v1/exports/members.xlsx?year={year}", headers=staff)
    assert len(list(load_workbook(io.BytesIO(xlsx.data), read_only=True).active.iter_rows())) == 2
    assert client.get("/api/v1/exports/members.csv?year=1950", headers=staff).status_code == 422


def test_the_xlsx_shows_the_attendance_rate_as_a_percentage_and_policies_by_name(
        client, create_event, create_member, create_booking, create_staff, auth_headers):
    event = _past_event(create_event, title="Metrology")
    came, missed = create_member(cpd_policy="engineers_ireland"), create_member()
    staff = auth_headers(create_staff())
    bookings = [create_booking(person, event) for person in (came, missed)]
    client.put(f"/api/v1/events/{event.id}/attendance", headers=staff,
               json={"attended": [bookings[0]], "absent": [bookings[1]]})
    sheet = load_workbook(io.BytesIO(client.get("/api/v1/exports/attendance.xlsx", headers=staff).data)).active
    header = [cell.value for cell in sheet[1]]
    rate = sheet.cell(row=2, column=header.index("Attendance rate") + 1)
    assert rate.value == 0.5 and rate.number_format == "0.0%"
    members = load_workbook(io.BytesIO(client.get(f"/api/v1/exports/members.xlsx?year={utcnow().year}",
                                                  headers=staff).data)).active
    policies = [row[[c.value for c in members[1]].index("CPD policy")] for row in members.iter_rows(min_row=2,
                                                                                                      values_only=True)]
    assert "Engineers Ireland" in policies and "engineers_ireland" not in policies
