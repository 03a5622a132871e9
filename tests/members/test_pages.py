"""Profile pages, and the staff's member list and member page."""
from cpd.extensions import db
from cpd.members.models import Member


def test_a_member_edits_their_profile(client, app, create_member, sign_in, form_post):
    member = create_member(full_name="Tim Berners-Lee")
    sign_in(member)
    page = client.get("/profile").get_data(as_text=True)
    assert 'for="discipline"' in page and 'for="cpd_policy"' in page
    response = form_post("/profile", {"full_name": "Tim Berners-Lee", "discipline": "digital", "sector": "academia",
                                      "career_stage": "senior_leader", "cpd_policy": "iet"})
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Member, member.id)
        assert (saved.discipline, saved.career_stage, saved.cpd_policy) == ("digital", "senior_leader", "iet")


def test_a_profile_with_a_bad_value_shows_the_error_beside_the_field(client, app, create_member, sign_in, form_post):
    member = create_member(discipline="science")
    sign_in(member)
    response = form_post("/profile", {"full_name": "X", "discipline": "alchemy", "cpd_policy": "iet"})
    assert response.status_code == 422
    assert 'id="discipline-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Member, member.id).discipline == "science"


def test_members_cannot_open_the_staff_pages(client, create_member, sign_in):
    member = create_member()
    sign_in(member)
    assert client.get("/staff/members").status_code == 403
    assert client.get(f"/staff/members/{member.id}").status_code == 403


def test_staff_search_members_and_set_a_grade_and_registration(client, app, create_member, create_staff, sign_in, form_post):
    sign_in(create_staff())
    target = create_member(full_name="Mary Anning", discipline="science")
    create_member(full_name="Isambard Brunel", discipline="engineering")

    listing = client.get("/staff/members?q=anning").get_data(as_text=True)
    assert "Mary Anning" in listing and "Isambard Brunel" not in listing

    url = f"/staff/members/{target.id}"
    saved = form_post(url, {"full_name": "Mary Anning", "grade": "fellow", "role": "member", "is_ambassador": "y",
                            "discipline": "science", "sector": "other", "career_stage": "specialist",
                            "cpd_policy": "science_council"})
    assert saved.status_code == 302
    registered = form_post(f"{url}/registrations", {"title": "CSci", "awarded_on": "2026-05-01"}, page_url=url)
    assert registered.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Chartered Scientist (Science Council), awarded 1 May 2026" in page
    with app.app_context():
        saved_member = db.session.get(Member, target.id)
        assert (saved_member.grade, saved_member.is_ambassador) == ("fellow", True)
