"""The CPD log as pages: log, reflect, upload evidence, plan, see the summary chart."""
import io
import re
from datetime import date

import sqlalchemy as sa

from cpd.extensions import db
from cpd.records.models import CpdRecord, Objective
from tests.conftest import csrf_token_from
from tests.records.test_api import PNG


def test_a_member_logs_an_activity_and_sees_it_in_the_log(client, app, create_member, sign_in, form_post):
    sign_in(create_member())
    response = form_post("/cpd/new", {
        "title": "Lean six sigma yellow belt", "activity_type": "formal_educational", "started_on": "2026-04-01",
        "ended_on": "2026-04-02", "hours": "14", "learning": "DMAIC", "benefit_to_practice": "Shorter lead times",
        "benefit_to_users": "", "description": "", "objective_id": ""})
    assert response.status_code == 302
    listing = client.get("/cpd/?year=2026").get_data(as_text=True)
    assert "Lean six sigma yellow belt" in listing and "14.00" in listing


def test_errors_in_the_log_form_show_beside_their_fields(client, app, create_member, sign_in, form_post):
    sign_in(create_member())
    response = form_post("/cpd/new", {"title": "Too long a day", "activity_type": "other", "started_on": "2026-04-01",
                                      "hours": "30", "objective_id": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="hours-error"' in html and "At most 24 hours over 1 day." in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CpdRecord)) == 0


def test_evidence_upload_and_delete_with_confirmation(client, app, create_member, sign_in, create_record):
    member = create_member()
    record = create_record(member)
    sign_in(member)
    page = client.get(f"/cpd/{record.id}").get_data(as_text=True)
    token = csrf_token_from(page)
    uploaded = client.post(f"/cpd/{record.id}/evidence",
                           data={"csrf_token": token, "file": (io.BytesIO(PNG), "slides.png")},
                           content_type="multipart/form-data")
    assert uploaded.status_code == 302
    assert "slides.png" in client.get(f"/cpd/{record.id}").get_data(as_text=True)
    refused = client.post(f"/cpd/{record.id}/evidence",
                          data={"csrf_token": token, "file": (io.BytesIO(b"\x00\x01binary"), "x.pdf")},
                          content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "Only PDF, PNG, JPEG, plain text or Word (DOCX)" in refused.get_data(as_text=True)

    confirm = client.get(f"/cpd/{record.id}/delete").get_data(as_text=True)
    assert "Delete this activity?" in confirm and "evidence file will be deleted too" in confirm
    deleted = client.post(f"/cpd/{record.id}/delete", data={"csrf_token": csrf_token_from(confirm)})
    assert deleted.status_code == 302
    with app.app_context():
        assert db.session.get(CpdRecord, record.id) is None


def test_another_members_record_page_is_404(client, create_member, sign_in, create_record):
    record = create_record(create_member())
    sign_in(create_member())
    assert client.get(f"/cpd/{record.id}").status_code == 404
    assert client.get(f"/cpd/{record.id}/edit").status_code == 404


def test_the_summary_page_has_charts_with_their_tables(client, create_member, sign_in, create_record):
    member = create_member(cpd_policy="rics")
    create_record(member, activity_type="work_based", started_on=date(2026, 2, 2), hours=8)
    sign_in(member)
    html = client.get("/cpd/summary?as_of=2026-06-30").get_data(as_text=True)
    assert html.count('src="data:image/svg+xml;charset=utf-8;base64,') == 2
    assert "10.00 more hours of formal learning (structured, with learning outcomes) needed by 31 Dec 2026 (recorded by 31 Jan 2027)" in html
    assert "You can finish recording this period's activity until 31 Jan 2027." in html
    assert re.search(r"Work-based learning</th><td class=\"number\">8.0</td>", html)
    other = client.get("/cpd/summary?policy=iet&as_of=2026-06-30").get_data(as_text=True)
    assert "The figure in this policy is guidance, not a rule." in other and "Not yet on track:" in other
    assert "22.00 more hours needed by 31 Dec 2026" in other


def test_the_development_plan_shows_activity_against_each_objective(client, app, create_member, sign_in, form_post, create_record):
    member = create_member()
    sign_in(member)
    assert form_post("/cpd/plan/new", {"title": "Become a chartered scientist", "why": "Career", "target_date": "2027-06-30",
                                       "status": "in_progress"}).status_code == 302
    with app.app_context():
        objective_id = db.session.scalar(sa.select(Objective.id))
    create_record(member, title="CSci mentoring session", objective_id=objective_id, hours=1.5)
    plan = client.get("/cpd/plan").get_data(as_text=True)
    assert "Become a chartered scientist" in plan and "CSci mentoring session" in plan and "1.5 hours logged" in plan


def test_staff_read_a_members_log_and_members_cannot(client, create_member, create_staff, sign_in, create_record):
    owner = create_member(full_name="Owen Owner")
    create_record(owner, title="Root-cause analysis")
    sign_in(create_member())
    assert client.get(f"/cpd/members/{owner.id}").status_code == 403
    sign_in(create_staff())
    page = client.get(f"/cpd/members/{owner.id}").get_data(as_text=True)
    assert "CPD log of Owen Owner" in page and "Root-cause analysis" in page
