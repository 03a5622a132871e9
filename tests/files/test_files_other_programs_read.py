"""Files other programs open: calendars read by a strict client, spreadsheets, xAPI ids, OpenAPI."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar


def _instants_by_strict_reader(body):
    calendar = vobject.readOne(body.decode("utf-8"))
    return [entry.dtstart.value.astimezone(timezone.utc) for entry in calendar.vevent_list]


@pytest.mark.parametrize("zone, month, day", [
    ("Europe/London", 1, 14), ("Europe/London", 7, 14), ("Pacific/Auckland", 1, 14), ("Pacific/Auckland", 7, 14),
    ("America/New_York", 3, 29), ("Asia/Singapore", 1, 14),
])
def test_a_strict_calendar_client_reads_the_same_instant(client, create_event, zone, month, day):
    local = datetime(2031, month, day, 9, 0, tzinfo=ZoneInfo(zone))
    event = create_event(timezone=zone, starts_at=local.astimezone(timezone.utc))
    body = client.get(f"/api/v1/events/{event.id}/calendar.ics").data
    ours = [c.decoded("dtstart").astimezone(timezone.utc) for c in Calendar.from_ical(body).walk("VEVENT")]
    assert ours == [local.astimezone(timezone.utc)]
    assert _instants_by_strict_reader(body) == ours


def test_the_private_feed_reads_alike_in_winter_and_summer(client, create_event, create_member, book_seat,
                                                           auth_headers):
    member = create_member()
    winter = datetime(2031, 1, 14, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    summer = datetime(2031, 7, 14, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    for moment in (winter, summer):
        book_seat(member, create_event(starts_at=moment.astimezone(timezone.utc)))
    url = client.get("/api/v1/me/calendar-feed", headers=auth_headers(member)).get_json()["url"]
    body = client.get(url.split("cpd.example.org", 1)[1]).data
    assert sorted(_instants_by_strict_reader(body)) == [winter.astimezone(timezone.utc),
                                                        summer.astimezone(timezone.utc)]
    assert winter.astimezone(timezone.utc).hour == 9 and summer.astimezone(timezone.utc).hour == 8


def test_the_calendar_name_is_escaped(client, create_event):
    event = create_event(title="Welding, brazing; soldering")
    body = client.get(f"/api/v1/events/{event.id}/calendar.ics").get_data(as_text=True)
    assert "X-WR-CALNAME:Welding\\, brazing\\; soldering" in body


def test_xapi_ids_do_not_depend_on_the_host_header(client, create_member, create_record, auth_headers):
    member = create_member()
    create_record(member, title="Reading")
    headers = auth_headers(member)
    first = client.get("/api/v1/me/xapi-statements", headers={**headers, "Host": "one.example.org"}).get_json()
    second = client.get("/api/v1/me/xapi-statements", headers={**headers, "Host": "two.example.net"}).get_json()
    assert first["statements"] == second["statements"]
    assert first["statements"][0]["object"]["id"].startswith("https://cpd.example.org/")


def test_every_operation_is_named_and_files_declare_their_types(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["servers"] == [{"url": "https://cpd.example.org", "description": "this service"}]
    ids = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("summary") and operation.get("operationId"), (method, path)
            ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))
    media = {path: set(ops["get"]["responses"]["200"].get("content", {}))
             for path, ops in document["paths"].items() if "get" in ops}
    assert media["/api/v1/exports/attendance.csv"] == {"text/csv"}
    assert media["/api/v1/exports/attendance.xlsx"] == {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    assert media["/api/v1/me/cpd-profile.pdf"] == {"application/pdf"}
    assert media["/api/v1/events/{event_id}/calendar.ics"] == {"text/calendar"}
    assert media["/api/v1/me/export"] == {"application/zip"}
    assert "image/png" in media["/api/v1/me/cpd-records/{record_id}/evidence/{evidence_id}"]
