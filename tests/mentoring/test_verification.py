"""A mentor verifies their mentee's competence statements for registration: the application then says
"verified by" them (to the applicant's assessors too), a changed statement loses its verification,
and nobody but the active mentor may verify."""
from tests.registration.test_applications import CODES, complete_draft, journey


def test_a_mentor_verifies_a_statement_and_assessors_see_it(client, app, create_member, create_staff, auth_headers,
                                                            sign_in):
    trip = journey(client, app, create_member, create_staff, auth_headers)
    trip.started()
    assert client.patch(trip.own(), headers=trip.headers, json=complete_draft()).status_code == 200
    mentor = create_member(full_name="Mina Mentor", email="mina@employer.example")
    invited = client.post("/api/v1/me/mentors", headers=trip.headers, json={"email": mentor.email}).get_json()
    mentor_headers = auth_headers(mentor)
    code = CODES["CEng"][0]
    path = f"/api/v1/mentees/{trip.applicant.id}/applications/{trip.id}/statements/{code}/verification"
    assert client.post(path, headers=mentor_headers).status_code == 404  # not yet their mentor
    client.post(f"/api/v1/me/mentees/{invited['id']}/accept", headers=mentor_headers)

    listed = client.get(f"/api/v1/mentees/{trip.applicant.id}/applications", headers=mentor_headers).get_json()
    assert [a["id"] for a in listed["items"]] == [trip.id]
    assert client.get(f"/api/v1/mentees/{trip.applicant.id}/competence-map/CEng",
                      headers=mentor_headers).status_code == 200
    verified = client.post(path, headers=mentor_headers)
    assert verified.status_code == 200 and verified.get_json()["verified_by"].startswith("Mina Mentor")
    mine = client.get(trip.own(), headers=trip.headers).get_json()
    assert list(mine["verified_statements"]) == [code]

    assert client.patch(trip.own(), headers=trip.headers, json=complete_draft()).status_code == 200
    assert client.post(trip.own("/submit"), headers=trip.headers).status_code == 200  # the same text: it stays
    sign_in(create_staff(email="reviewing.staff@example.org"))
    page = client.get(f"/staff/applications/{trip.id}").get_data(as_text=True)
    assert "Verified by Mina Mentor (mina@employer.example), mentor" in page

    other = auth_headers(create_member())
    assert client.post(path, headers=other).status_code == 404


def test_a_changed_statement_loses_its_verification(client, app, create_member, create_staff, auth_headers):
    trip = journey(client, app, create_member, create_staff, auth_headers)
    trip.started()
    client.patch(trip.own(), headers=trip.headers, json=complete_draft())
    mentor = create_member(email="mina@employer.example")
    invited = client.post("/api/v1/me/mentors", headers=trip.headers, json={"email": mentor.email}).get_json()
    client.post(f"/api/v1/me/mentees/{invited['id']}/accept", headers=auth_headers(mentor))
    code = CODES["CEng"][0]
    client.post(f"/api/v1/mentees/{trip.applicant.id}/applications/{trip.id}/statements/{code}/verification",
                headers=auth_headers(mentor))
    client.patch(trip.own(), headers=trip.headers, json={"statements": {code: "A different account of my work."}})
    assert client.get(trip.own(), headers=trip.headers).get_json()["verified_statements"] == {}
