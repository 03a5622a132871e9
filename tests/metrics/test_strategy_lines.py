"""Lines of the strategy's "how we measure it", each against a scenario counted by hand: voluntary
equality answers (small counts suppressed) and targets with last year beside them. Publications,
engagement and surveys have their own folders of tests."""
import csv
import io
from datetime import date

import sqlalchemy as sa

from cpd.core.audit import AuditEntry
from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members.models import EqualityAnswers
from cpd.metrics import measures
from tests.metrics.test_kpis import at

TODAY = utcnow().date()
THIS_YEAR = TODAY.year


def kpis(app, year=THIS_YEAR):
    with app.app_context():
        return measures.kpis(year).as_dict()


def test_equality_answers_are_voluntary_private_and_shown_only_in_fives(client, app, create_member, create_staff,
                                                                         auth_headers):
    people = [create_member(grade="member", created_at=at(date(2024, 1, 8))) for _ in range(8)]
    for number, person in enumerate(people):
        headers = auth_headers(person)
        answers = {"consent": True, "gender": "woman" if number < 6 else "man", "age_band": "35_44",
                   "ethnicity": "prefer_not_to_say"}
        response = client.put("/api/v1/me/equality", headers=headers, json=answers)
        assert response.status_code == 200 and response.get_json()["gender"] == answers["gender"]
    headers = auth_headers(people[0])
    wrong = client.put("/api/v1/me/equality", headers=headers, json={"consent": True, "gender": "robot"})
    assert wrong.status_code == 422 and "woman" in wrong.get_json()["errors"]["gender"][0]
    assert client.put("/api/v1/me/equality", headers=headers, json={"gender": "man"}).status_code == 422  # no consent

    # By hand: 8 answered; the first withdraws: women 5, men 2 (fewer than 5: not shown); all 7 aged 35-44,
    # which would give the men's 2 away as 7 - 5: the women's count is hidden too.
    withdrawn = client.put("/api/v1/me/equality", headers=headers, json={"consent": False})
    assert withdrawn.get_json() == {"consent": False, "gender": None, "age_band": None, "ethnicity": None,
                                    "disability": None}
    with app.app_context():
        assert db.session.get(EqualityAnswers, people[0].id) is None
    diversity = kpis(app)["diversity"]
    assert diversity["gender"] == {"woman": None, "man": None}
    assert diversity["age_band"] == {"35_44": 7} and diversity["disability"] == {}

    staff = auth_headers(create_staff())
    exported = client.get(f"/api/v1/exports/members.csv?year={THIS_YEAR}", headers=staff).get_data(as_text=True)
    header = next(csv.reader(io.StringIO(exported)))
    assert not {"gender", "ethnicity", "age_band", "disability", "Gender", "Ethnic group"} & set(header)
    listed = client.get("/api/v1/members", headers=staff).get_data(as_text=True)
    assert "woman" not in listed and "35_44" not in listed
    with app.app_context():
        details = " ".join(str(d) for d in db.session.scalars(sa.select(AuditEntry.details)))
    assert "woman" not in details


def test_targets_per_measure_with_last_year_beside_them(client, app, create_member, create_staff, auth_headers,
                                                        sign_in, form_post):
    staff_member = create_staff()
    staff = auth_headers(staff_member)
    url = "/api/v1/metrics/targets"
    unknown = client.put(url, headers=staff, json={"year": THIS_YEAR, "measure": "happiness", "target": 10})
    assert unknown.status_code == 422 and "training.members_engaged" in unknown.get_json()["errors"]["measure"][0]
    assert client.put(url, headers=staff, json={"year": THIS_YEAR, "measure": "cpd.hours_logged", "target": -1}
                      ).status_code == 422
    saved = client.put(url, headers=staff, json={"year": THIS_YEAR, "measure": "membership.members", "target": 3})
    assert saved.status_code == 200 and saved.get_json()["targets"] == {"membership.members": 3.0}
    assert client.put(url, headers=auth_headers(create_member()), json={
        "year": THIS_YEAR, "measure": "membership.members", "target": 3}).status_code == 403

    create_member(grade="member", created_at=at(date(THIS_YEAR - 1, 3, 1)))
    create_member(grade="fellow", created_at=at(date(THIS_YEAR, 3, 1)))
    sign_in(staff_member)
    html = client.get(f"/staff/figures?year={THIS_YEAR}").get_data(as_text=True)
    # Members of the body: 2 this year against a target of 3 (below), 1 last year.
    assert "<th scope=\"row\">Members of the body</th>" in html
    row = html.split("<th scope=\"row\">Members of the body</th>", 1)[1].split("</tr>", 1)[0]
    assert ">2 <span class=\"status-bad\">(below)</span>" in row and ">3.0<" in row and ">1<" in row

    page = form_post(f"/staff/figures/targets?year={THIS_YEAR}", {"membership.members": "2", "cpd.hours_logged": "abc"})
    assert page.status_code == 422 and "Give a number" in page.get_data(as_text=True)
    assert client.get(url + f"?year={THIS_YEAR}", headers=staff).get_json()["targets"] == {"membership.members": 3.0}
    form_post(f"/staff/figures/targets?year={THIS_YEAR}", {"membership.members": "2"})
    assert client.get(url + f"?year={THIS_YEAR}", headers=staff).get_json()["targets"] == {"membership.members": 2.0}


def test_with_no_applications_or_declarations_the_keys_are_there_with_zeros(app):
    figures = kpis(app)
    assert figures["applications"] == {"submitted": 0, "ratified": 0, "declined": 0, "median_days_to_decision": None,
                                       "by_status": {}}
    assert figures["revalidation"] == {"declared": 0, "audited": 0, "outcomes": {}}


def test_training_with_the_publications_education_resources_and_government_by_topic(client, app, create_member,
                                                                                     create_staff, auth_headers):
    # By hand, this year: a member reads a journal (engaged through the Publications only), a
    # non-member reads it too; nobody attended a course. Two education resources for schools (one
    # published this year, one last year), one professional report; the school resource downloaded
    # three times, the report twice (not an education resource). Government: a round table on
    # skills and net zero, a consultation on skills, and one on no topic: 3 in all, skills 2, net zero 1.
    staff = auth_headers(create_staff())
    member, outsider = create_member(grade="member"), create_member()

    def publish(title, audience, published_on):
        response = client.post("/api/v1/publications", headers=staff, json={
            "title": title, "kind": "guidance", "audience": audience, "published_on": published_on,
            "url": "https://example.org/" + title.replace(" ", "-")})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    journal = publish("Journal 12", "professionals", f"{THIS_YEAR}-01-05")
    lesson = publish("Bridges lesson plan", "schools", f"{THIS_YEAR}-02-01")
    publish("Circuits lesson plan", "schools", f"{THIS_YEAR - 1}-09-01")
    assert lesson["download_url"].endswith(f"/publications/{lesson['id']}/download")
    for reader in (member, outsider):
        assert client.post(f"/api/v1/publications/{journal['id']}/read", headers=auth_headers(reader)).status_code == 201
    for _ in range(3):
        opened = client.get(f"/publications/{lesson['id']}/download")
        assert opened.status_code == 302 and opened.headers["Location"] == "https://example.org/Bridges-lesson-plan"
    for _ in range(2):
        client.get(f"/publications/{journal['id']}/download")
    wrong = client.post("/api/v1/publications", headers=staff, json={
        "title": "x", "kind": "guidance", "audience": "aliens", "published_on": f"{THIS_YEAR}-01-05"})
    assert wrong.status_code == 422 and "audience" in wrong.get_json()["errors"]

    for title, topics in (("Round table", ["skills", "net_zero"]), ("Consultation", ["skills"]), ("Visit", [])):
        response = client.post("/api/v1/engagements", headers=staff, json={
            "kind": "government", "organisation": "DSIT", "title": title, "happened_on": f"{THIS_YEAR}-03-03",
            "topics": topics})
        assert response.status_code == 201 and response.get_json()["topics"] == sorted(topics)
    unknown = client.post("/api/v1/engagements", headers=staff, json={
        "kind": "government", "organisation": "DSIT", "title": "x", "happened_on": f"{THIS_YEAR}-03-03",
        "topics": ["astrology"]})
    assert unknown.status_code == 422 and "astrology" in unknown.get_json()["errors"]["topics"][0]

    figures = kpis(app)
    assert (figures["training"]["members_engaged"], figures["training"]["non_members_engaged"]) == (0, 0)
    assert figures["training"]["with_publications"] == {"members_engaged": 1, "non_members_engaged": 1}
    assert figures["education"] == {"resources_published": 1, "resources_available": 2, "downloads": 3,
                                    "outreach_events": 0}
    assert figures["engagement"]["government"] == 3
    assert figures["engagement"]["government_by_topic"] == {"skills": 2, "net_zero": 1}
    body = client.get(f"/api/v1/metrics/kpis?year={THIS_YEAR}", headers=staff).get_json()
    assert body["education"]["downloads"] == 3 and "education" in body["explanations"]


def test_a_year_stored_before_a_measure_existed_gets_it_added_and_keeps_the_rest(app, create_member):
    # A year stored by an earlier release has no education figures: the daily round adds them from
    # the facts, and nothing it held changes.
    from cpd.metrics import closed_years
    from cpd.metrics.models import ClosedYearFigures

    year = THIS_YEAR - 2
    create_member(grade="member", created_at=at(date(year, 1, 8)))
    with app.app_context():
        computed = measures.compute_kpis(year).as_dict()
        old = {key: value for key, value in computed.items() if key != "education"}
        old["training"] = {key: value for key, value in old["training"].items() if key != "with_publications"}
        old["cpd"] = {**old["cpd"], "hours_logged": 12.5}  # what was stored stands, whatever it was
        db.session.add(ClosedYearFigures(year=year, figures=closed_years.as_stored(old), stored_at=utcnow()))
        db.session.commit()
        shown = measures.kpis(year).as_dict()
        assert shown["education"] == computed["education"] and shown["cpd"]["hours_logged"] == 12.5
        assert year in measures.close_years(TODAY, utcnow())
        db.session.commit()
        stored = closed_years.stored_figures(year)
    assert stored["education"] == computed["education"]
    assert stored["training"]["with_publications"] == computed["training"]["with_publications"]
    assert stored["cpd"]["hours_logged"] == 12.5
