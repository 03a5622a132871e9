"""SIG pages: join and leave; the lead's room."""
from datetime import timedelta

from cpd.core.models import utcnow


def test_a_member_joins_a_sig_from_its_page(client, create_member, create_sig, sign_in, form_post):
    sig = create_sig(name="Photonics")
    sign_in(create_member())
    joined = form_post(f"/sigs/{sig.id}/join", {}, page_url=f"/sigs/{sig.id}")
    assert joined.status_code == 302
    page = client.get(f"/sigs/{sig.id}").get_data(as_text=True)
    assert "1 member" in page and "Leave the group" in page
    form_post(f"/sigs/{sig.id}/leave", {}, page_url=f"/sigs/{sig.id}")
    assert "Join the group" in client.get(f"/sigs/{sig.id}").get_data(as_text=True)


def test_the_lead_sees_fill_and_attendance_rates_and_creates_sessions(client, create_member, create_sig,
                                                                      create_event, create_booking, sign_in):
    lead = create_member(grade="member")
    sig = create_sig(name="Robotics", leads=[lead])
    event = create_event(kind="sig_session", sig_id=sig.id, title="Robot arms", capacity=4,
                         starts_at=utcnow() - timedelta(days=2))
    create_booking(create_member(), event, attended=True)
    create_booking(create_member(), event, attended=False)
    sign_in(lead)
    page = client.get("/my-sigs").get_data(as_text=True)
    assert "Robot arms" in page and "50%" in page  # 2 of 4 seats; 1 of 2 came
    form = client.get(f"/events/new?sig_id={sig.id}").get_data(as_text=True)
    assert 'value="sig_session"' in form and 'value="course"' not in form
