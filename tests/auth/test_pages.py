"""Sign up, sign in and sign out through the pages, with CSRF."""
import sqlalchemy as sa

from cpd.extensions import db
from cpd.members.models import Member
from tests.conftest import TEST_PASSWORD

SIGN_UP = {
    "full_name": "Rosalind Franklin",
    "email": "rosalind@example.org",
    "password": "photo fifty one",
    "confirm": "photo fifty one",
    "discipline": "science",
    "sector": "academia",
    "career_stage": "specialist",
}


def accounts(app):
    with app.app_context():
        return db.session.scalars(sa.select(Member.email)).all()


def test_a_newcomer_signs_up_and_lands_signed_in(client, app, form_post):
    response = form_post("/signup", SIGN_UP)
    assert response.status_code == 302
    home = client.get("/")
    assert "Hello, Rosalind Franklin" in home.get_data(as_text=True)
    assert accounts(app) == ["rosalind@example.org"]


def test_a_form_posted_without_its_csrf_token_is_refused(client, app):
    response = client.post("/signup", data=SIGN_UP)
    assert response.status_code == 400
    assert accounts(app) == []


def test_sign_up_errors_appear_beside_their_fields(client, app, create_member, form_post):
    create_member(email="rosalind@example.org")
    response = form_post("/signup", {**SIGN_UP, "email": "Rosalind@Example.org"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="email-error"' in html and "Already registered." in html
    assert 'aria-describedby="email-error"' in html
    mismatch = form_post("/signup", {**SIGN_UP, "email": "new@example.org", "confirm": "something else"})
    assert "The passwords differ." in mismatch.get_data(as_text=True)
    assert accounts(app) == ["rosalind@example.org"]


def test_sign_in_then_out(client, create_member, form_post):
    create_member(email="grace@example.org", full_name="Grace Hopper")
    wrong = form_post("/signin", {"email": "grace@example.org", "password": "not it at all"})
    assert wrong.status_code == 422
    assert "Wrong email, password or authentication code." in wrong.get_data(as_text=True)

    signed_in = form_post("/signin", {"email": "GRACE@example.org", "password": TEST_PASSWORD})
    assert signed_in.status_code == 302
    assert "Hello, Grace Hopper" in client.get("/").get_data(as_text=True)

    signed_out = form_post("/signout", {}, page_url="/")
    assert signed_out.status_code == 302
    assert "Hello, Grace Hopper" not in client.get("/").get_data(as_text=True)


def test_sign_in_follows_a_local_next_but_never_another_site(client, create_member, form_post):
    create_member(email="grace@example.org")
    credentials = {"email": "grace@example.org", "password": TEST_PASSWORD}
    local = form_post("/signin", {**credentials, "next": "/profile"})
    assert local.headers["Location"] == "/profile"
    client.delete_cookie("session")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        response = form_post("/signin", {**credentials, "next": target})
        assert response.headers["Location"] == "/", target
        client.delete_cookie("session")


def test_pages_that_need_an_account_send_you_to_sign_in(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/signin?next=")
