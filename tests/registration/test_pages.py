"""The applicant's and staff's pages: one route per action (save, submit, withdraw; appoint,
decide), each with its page's CSRF token, and a refusal shown beside the form, nothing saved."""
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
        return application.status, {s.code: s.text for s in application.statements}, application.supporter_email


def test_the_applicant_saves_submits_and_withdraws_from_the_page(client, app, create_member, create_record,
                                                                 sign_in, form_post):
    member = create_member()
    record = create_record(member)
    sign_in(member)
    url, token = _start(client, form_post)
    saved = client.post(url, data={"csrf_token": token, "statement-UKSPEC-A1": "I designed a bridge bearing.",
                                   "record_ids": [str(record.id)]})
    assert saved.status_code == 302 and "Saved." in client.get(url).get_data(as_text=True)
    assert _stored(app) == ("draft", {"UKSPEC-A1": "I designed a bridge bearing."}, "")

    # Submitting without a supporter is refused beside the form, and the statement typed is kept on the page.
    refused = client.post(f"{url}/submit", data={"csrf_token": token, "statement-UKSPEC-A1": "Rewritten."})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'class="error-summary"' in page and "Rewritten." in page
    assert _stored(app) == ("draft", {"UKSPEC-A1": "I designed a bridge bearing."}, "")

    with app.app_context():
        codes = [c.code for c in titles.get_title("CEng").competences]
    submitted = client.post(f"{url}/submit", data={
        "csrf_token": token, **{f"statement-{code}": f"What I did for {code}." for code in codes},
        "supporter_name": "Priya Patel", "supporter_email": "priya@example.org"})
    assert submitted.status_code == 302
    assert _stored(app)[0] == "submitted" and _stored(app)[2] == "priya@example.org"
    withdrawn = client.post(f"{url}/withdraw", data={"csrf_token": token})
    assert withdrawn.status_code == 302 and _stored(app)[0] == "withdrawn"
    again = client.post(f"{url}/withdraw", data={"csrf_token": token})
    assert again.status_code == 422 and "cannot be withdrawn" in again.get_data(as_text=True)


def test_staff_appoint_and_decide_on_routes_of_their_own(client, app, create_member, create_staff, sign_in,
                                                        form_post):
    member = create_member()
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
