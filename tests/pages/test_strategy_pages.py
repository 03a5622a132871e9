"""The strategy's new lines as pages: publications and "I read this", surveys, equality answers,
and staff recording engagement, supporters and surveys."""
import re
from datetime import timedelta

from cpd.core.models import utcnow

TODAY = utcnow().date()


def test_a_member_reads_a_publication_and_is_taken_to_reflect_on_it(client, create_member, create_staff,
                                                                    auth_headers, sign_in, form_post):
    client.post("/api/v1/publications", headers=auth_headers(create_staff()), json={
        "title": "Report on technician careers", "kind": "report", "published_on": "2026-04-01", "cpd_hours": 1.5})
    anonymous = client.get("/publications").get_data(as_text=True)
    assert "Report on technician careers" in anonymous and "I read this</button>" not in anonymous
    sign_in(create_member())
    page = client.get("/publications").get_data(as_text=True)
    assert "I read this</button>" in page
    action = re.search(r'action="(/publications/\d+/read)"', page).group(1)
    done = form_post(action, {}, page_url="/publications")
    assert done.status_code == 302 and "/edit" in done.headers["Location"]
    assert "In your CPD log." in client.get("/publications").get_data(as_text=True)
    assert "Read: Report on technician careers" in client.get("/cpd/").get_data(as_text=True)


def test_staff_publish_record_engagement_and_supporters_from_pages(client, create_staff, sign_in, form_post):
    sign_in(create_staff())
    refused = form_post("/staff/publications/new", {"title": "Standard 7", "kind": "standard",
                                                    "published_on": "2026-02-02", "url": "ftp://example.org"})
    assert refused.status_code == 422 and "Must be a web address starting https://" in refused.get_data(as_text=True)
    assert form_post("/staff/publications/new", {"title": "Standard 7", "kind": "standard",
                                                 "published_on": "2026-02-02"}).status_code == 302
    assert form_post("/staff/engagements", {"kind": "government", "organisation": "DSIT", "title": "Round table",
                                            "happened_on": "2026-05-05"}).status_code == 302
    assert "Round table" in client.get("/staff/engagements").get_data(as_text=True)
    backwards = form_post("/staff/supporters", {"name": "Acme", "kind": "employer", "since": "2026-01-01",
                                                "until": "2025-01-01"})
    assert backwards.status_code == 422 and "Must not be before" in backwards.get_data(as_text=True)


def test_a_survey_made_on_a_page_is_answered_on_a_page_once(client, create_member, create_staff, sign_in, form_post):
    sign_in(create_staff())
    made = form_post("/staff/surveys/new", {
        "title": "Autumn survey", "opens_on": (TODAY - timedelta(days=1)).isoformat(),
        "closes_on": (TODAY + timedelta(days=5)).isoformat(),
        "questions": "How satisfied are you with the body?\nWhat would you change? (text)"})
    assert made.status_code == 302
    sign_in(create_member())
    listing = client.get("/surveys").get_data(as_text=True)
    link = listing.split('href="/surveys/', 1)[1].split('"', 1)[0]
    page = client.get(f"/surveys/{link}").get_data(as_text=True)
    assert 'type="radio"' in page and "<textarea" in page
    names = sorted(set(part.split('"', 1)[0] for part in page.split('name="question-')[1:]))
    unanswered = form_post(f"/surveys/{link}", {})
    assert unanswered.status_code == 422 and "rate it from 1 to 5" in unanswered.get_data(as_text=True)
    answered = form_post(f"/surveys/{link}", {f"question-{names[0]}": "4", f"question-{names[1]}": "Evening talks"})
    assert answered.status_code == 302
    assert "You have answered this survey." in client.get(f"/surveys/{link}").get_data(as_text=True)


def test_equality_answers_are_given_and_withdrawn_on_a_page(client, create_member, sign_in, form_post):
    sign_in(create_member())
    page = client.get("/profile/equality").get_data(as_text=True)
    assert "These questions are voluntary" in page
    given = form_post("/profile/equality", {"consent": "y", "gender": "woman", "age_band": "25_34"})
    assert given.status_code == 302
    assert 'value="woman" selected' in client.get("/profile/equality").get_data(as_text=True) or \
        'selected value="woman"' in client.get("/profile/equality").get_data(as_text=True)
    form_post("/profile/equality", {"gender": "woman"})  # consent unticked
    again = client.get("/profile/equality").get_data(as_text=True)
    assert 'value="woman" selected' not in again and 'selected value="woman"' not in again
