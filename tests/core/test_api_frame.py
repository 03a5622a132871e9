"""The API frame: the OpenAPI document, and errors always as JSON in the contract's shape."""
from openapi_spec_validator import validate

from cpd import create_app


def test_openapi_document_validates_and_lists_the_operations(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    for path in ("/api/v1/auth/register", "/api/v1/auth/token", "/api/v1/me", "/api/v1/members",
                 "/api/v1/members/{member_id}", "/api/v1/members/{member_id}/registrations"):
        assert path in spec["paths"], path
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["message"]


def test_wrong_method_is_json_405_with_allow_header(client):
    response = client.put("/api/v1/auth/token", json={})
    assert response.status_code == 405
    assert response.is_json
    assert "POST" in response.headers["Allow"]


def test_malformed_json_is_400_and_nothing_is_written(client, app):
    response = client.post(
        "/api/v1/auth/register", data='{"email": "x@example.org",', content_type="application/json"
    )
    assert response.status_code == 400
    body = response.get_json()
    assert "Invalid JSON" in body["message"]
    staff_count = client.get("/api/v1/openapi.json")  # the app still answers
    assert staff_count.status_code == 200


def test_body_over_the_limit_is_json_413(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    response = client.post(
        "/api/v1/auth/register",
        json={"email": "big@example.org", "password": "x" * 2000, "full_name": "Big"},
    )
    assert response.status_code == 413
    assert response.is_json
    assert response.get_json()["code"] == 413


def test_page_errors_are_html(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Not Found" in response.get_data(as_text=True)


def test_an_unexpected_failure_is_a_json_500_under_the_api_and_a_page_elsewhere(database_url):
    app = create_app({"CPD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url})

    @app.route("/api/v1/boom")
    def api_boom():
        raise RuntimeError("kaboom")

    @app.route("/boom")
    def page_boom():
        raise RuntimeError("kaboom")

    client = app.test_client()
    api_response = client.get("/api/v1/boom")
    assert api_response.status_code == 500
    assert api_response.is_json
    assert "kaboom" not in api_response.get_data(as_text=True)
    page_response = client.get("/boom")
    assert page_response.status_code == 500
    assert page_response.mimetype == "text/html"


def test_security_headers_on_pages_and_api(client):
    for url in ("/", "/api/v1/openapi.json"):
        headers = client.get(url).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_health_checks(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ok", "database": "ok", "rate_limits": "process"}
