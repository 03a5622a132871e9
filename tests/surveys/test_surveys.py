"""Member surveys: answered once while open, and the satisfaction figure."""
from datetime import timedelta

from tests.metrics.test_strategy_lines import TODAY, kpis


def test_a_survey_is_answered_once_while_open(client, app, create_member, create_staff, auth_headers):
    staff = auth_headers(create_staff())
    survey = {"title": "Members' survey", "opens_on": (TODAY - timedelta(days=3)).isoformat(),
              "closes_on": (TODAY + timedelta(days=10)).isoformat(),
              "questions": [{"text": "How well does the body serve you?", "kind": "rating"},
                            {"text": "How useful are the SIGs?", "kind": "rating"},
                            {"text": "What should we do better?", "kind": "text"}]}
    backwards = client.post("/api/v1/surveys", headers=staff, json={**survey, "closes_on": "2020-01-01"})
    assert backwards.status_code == 422 and "closes_on" in backwards.get_json()["errors"]
    created = client.post("/api/v1/surveys", headers=staff, json=survey).get_json()
    closed = client.post("/api/v1/surveys", headers=staff, json={
        **survey, "opens_on": "2025-01-01", "closes_on": "2025-01-31"}).get_json()

    ann, bob = auth_headers(create_member(grade="member")), auth_headers(create_member(grade="member"))
    url = f"/api/v1/surveys/{created['id']}/responses"
    assert client.get("/api/v1/surveys", headers=ann).get_json()["total"] == 1  # only the open one
    bad = client.post(url, headers=ann, json={"answers": [6, 4, ""]})
    assert bad.status_code == 422 and "Question 1" in bad.get_json()["errors"]["answers"][0]
    assert client.post(url, headers=ann, json={"answers": [5, 4, "More evening sessions"]}).status_code == 201
    twice = client.post(url, headers=ann, json={"answers": [1, 1, ""]})
    assert twice.status_code == 422 and twice.get_json()["errors"]["survey"] == ["You have already answered this survey."]
    question_ids = [q["id"] for q in created["questions"]]
    assert client.post(url, headers=bob, json={"answers": {str(question_ids[0]): 3, str(question_ids[1]): 2}}
                       ).status_code == 201
    outside = client.post(f"/api/v1/surveys/{closed['id']}/responses", headers=bob, json={"answers": [5, 5, ""]})
    assert outside.status_code == 422 and "not open today" in outside.get_json()["errors"]["survey"][0]
    # By hand: 2 responses; ratings 5, 4, 3, 2: average 3.5.
    assert kpis(app)["satisfaction"]["survey"] == {"responses": 2, "average_rating": 3.5}
    results = client.get(f"/api/v1/surveys/{created['id']}", headers=staff).get_json()
    assert (results["responses"], results["average_rating"]) == (2, 3.5)
    assert "responses" not in client.get(f"/api/v1/surveys/{created['id']}", headers=ann).get_json()
