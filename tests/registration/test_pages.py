"""The applicant's and staff's pages: one route per action (save, submit, withdraw, appeal; appoint,
schedule the interview, decide), each with its page's CSRF token, and a refusal shown beside the
form, nothing saved."""
import sqlalchemy as sa

from cpd.extensions import db
from cpd.registration import titles
from cpd.registration.models import Application
from tests.conftest import csrf_token_from


def _start(client, form_post):
    started = form_post("/registration", {"title": "CEng"})
    assert started.status_code == 302
    url = started.headers["Location"]
    return url, csrf_token_from(client.get(url).get_data(as_text=True))


def _stored(app):
    with app.app_context():
        application = db.session.scalars(sa.select(Application)).one()
        return (application.status, {s.code: s.text for s in application.statements},
                [r.email for r in application.referees])


def test_the_applicant_saves_submits_and_withdraws_from_the_page(client, app, create_member, create_record,
                                                                 sign_in, form_post):
    member = create_member(grade="member")
    record = create_record(member)
    sign_in(member)
    url, token = _start(client, form_post)
    saved = client.post(url, data={"csrf_token": token, "statement-UKSPEC-A1": "I designed a bridge bearing.",
                                   "record_ids": [str(record.id)]})
    assert saved.status_code == 302 and "Saved." in client.get(url).get_data(as_text=True)
    assert _stored(app) == ("draft", {"UKSPEC-A1": "I designed a bridge bearing."}, [])

    # Submitting without referees is refused beside the form, and the statement typed is kept on the page.
    refused = client.post(f"{url}/submit", data={"csrf_token": token, "statement-UKSPEC-A1": "Rewritten."})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'class="error-summary"' in page and "Rewritten." in page
    assert _stored(app) == ("draft", {"UKSPEC-A1": "I designed a bridge bearing."}, [])

    with app.app_context():
        codes = [c.code for c in titles.get_title("CEng").competences]
    submitted = client.post(f"{url}/submit", data={
        "csrf_token": token, **{f"statement-{code}": f"What I did for {code}." for code in codes},
        "referees-0-name": "Priya Patel", "referees-0-email": "priya@example.org",
        "referees-1-name": "Tom Okafor", "referees-1-email": "tom@example.org",
        "qualifications-0-name": "MEng", "qualifications-0-awarded_by": "Bristol", "qualifications-0-year": "2016",
        "career_history-0-role": "Design engineer", "career_history-0-employer": "Severn Water",
        "career_history-0-began": "2016-09", "code_of_conduct_accepted": "y"})
    assert submitted.status_code == 302
    assert _stored(app)[0] == "submitted" and _stored(app)[2] == ["priya@example.org", "tom@example.org"]
    withdrawn = client.post(f"{url}/withdraw", data={"csrf_token": token})
    assert withdrawn.status_code == 302 and _stored(app)[0] == "withdrawn"
    again = client.post(f"{url}/withdraw", data={"csrf_token": token})
    assert again.status_code == 422 and "cannot be withdrawn" in again.get_data(as_text=True)


def test_staff_appoint_and_decide_on_routes_of_their_own(client, app, create_member, create_staff, sign_in,
                                                        form_post):
    member = create_member(grade="member")
    sign_in(member)
    url, _ = _start(client, form_post)
    application_id = url.rsplit("/", 1)[1]
    sign_in(create_staff())
    staff_page = f"/staff/applications/{application_id}"
    token = csrf_token_from(client.get(staff_page).get_data(as_text=True))
    # A draft has no assessors to appoint and no decision to take: refused beside the forms, nothing stored.
    appoint = client.post(f"{staff_page}/assessors", data={"csrf_token": token, "assessors-first": "1",
                                                          "assessors-second": "2"})
    decide = client.post(f"{staff_page}/decision", data={"csrf_token": token, "decision-outcome": "ratified"})
    assert appoint.status_code == 422 and decide.status_code == 422
    assert _stored(app)[0] == "draft"
    assert client.get(f"{staff_page}/decision").status_code == 405


def test_staff_schedule_the_interview_and_the_committee_refers_back_from_the_pages(client, app, create_member,
                                                                                  create_staff, auth_headers,
                                                                                  sign_in):
    from datetime import timedelta

    from cpd.core.models import utcnow
    from cpd.members.models import Member
    from tests.registration.test_applications import journey

    trip = journey(client, app, create_member, create_staff, auth_headers)
    trip.assessed()
    with app.app_context():
        staff = db.session.scalar(sa.select(Member).where(Member.email == "sam.staff@example.org"))
    sign_in(staff)
    page_url = f"/staff/applications/{trip.id}"
    page = client.get(page_url)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Schedule the interview" in text
    assert "The committee&#39;s decision" not in text  # CEng: the interview comes first
    token = csrf_token_from(text)
    starts = (utcnow() + timedelta(days=9)).strftime("%Y-%m-%dT10:00")
    ids = [str(trip.registrants[2].id), str(trip.registrants[3].id)]
    nowhere = client.post(f"{page_url}/interview", data={"csrf_token": token, "interview-starts_at": starts,
                                                         "interview-timezone": "Europe/London",
                                                         "interview-first": ids[0], "interview-second": ids[1]})
    assert nowhere.status_code == 422 and "Give the place" in nowhere.get_data(as_text=True)
    scheduled = client.post(f"{page_url}/interview", data={
        "csrf_token": token, "interview-starts_at": starts, "interview-timezone": "Europe/London",
        "interview-venue": "One Great George Street", "interview-first": ids[0], "interview-second": ids[1]})
    assert scheduled.status_code == 302
    with app.app_context():
        assert db.session.get(Application, trip.id).status == "interview_scheduled"
    trip.interview_happened()
    for headers in trip.reviewer_headers[2:]:
        from tests.registration.test_applications import verdict

        client.put(trip.url("/interview-report"), headers=headers, json=verdict())
    decided = client.post(f"{page_url}/decision", data={"csrf_token": token, "decision-outcome": "referred_back",
                                                        "decision-comment": "Say more about C2."})
    assert decided.status_code == 302
    sign_in(trip.applicant)
    own = client.get(f"/registration/applications/{trip.id}").get_data(as_text=True)
    assert "Returned to you by the registration committee" in own and "Say more about C2." in own
