"""A request that only read ends with COMMIT (PostgreSQL keeps its prepared statements); anything
written and not committed is still rolled back (cpd.core.read_transactions)."""
import sqlalchemy as sa

from cpd.extensions import db
from cpd.members.models import Member


def _name(app, member_id):
    with app.app_context():
        return db.session.get(Member, member_id).full_name


def test_what_a_request_wrote_and_did_not_commit_is_rolled_back(app, create_member):
    member = create_member(full_name="Ada Before")
    with app.app_context():  # a statement of its own, no object changed: only the connection knows it wrote
        db.session.execute(sa.update(Member).where(Member.id == member.id).values(full_name="Ada Statement"))
        assert db.session.get(Member, member.id).full_name == "Ada Statement"
    assert _name(app, member.id) == "Ada Before"
    with app.app_context():  # an object changed and flushed
        db.session.get(Member, member.id).full_name = "Ada Flushed"
        db.session.flush()
    assert _name(app, member.id) == "Ada Before"
    with app.app_context():  # an object changed, not flushed
        db.session.get(Member, member.id).full_name = "Ada Pending"
    assert _name(app, member.id) == "Ada Before"


def test_reading_requests_keep_what_the_database_prepared(client, app, create_member, auth_headers):
    member = create_member(cpd_policy="iet")
    headers = auth_headers(member)
    answers = [client.get("/api/v1/me/cpd-summary", headers=headers) for _ in range(7)]
    assert {answer.status_code for answer in answers} == {200}
    with app.app_context():
        connection = db.session.connection()
        if connection.dialect.name == "postgresql":
            # psycopg prepares a statement on its fifth run, and forgot them all on every ROLLBACK:
            # each request's reads were planned again. Now the token's member stays prepared.
            prepared = db.session.scalars(sa.text("SELECT statement FROM pg_prepared_statements")).all()
            assert any("api_tokens.token_hash" in statement for statement in prepared), prepared
        else:
            # SQLite's driver begins no transaction to read: none is left open, no lock held.
            assert not connection.connection.driver_connection.in_transaction


def test_a_streamed_register_still_reads_what_its_request_loaded(client, create_event, create_member, create_staff,
                                                                  auth_headers, book_seat):
    """The reading transaction ended by COMMIT expires nothing: the CSV is written after the request's
    end, from the event it loaded."""
    event = create_event(capacity=3)
    book_seat(create_member(full_name="Grace Hopper"), event)
    answer = client.get(f"/api/v1/events/{event.id}/attendees.csv", headers=auth_headers(create_staff()))
    assert answer.status_code == 200
    assert "Grace Hopper" in answer.get_data(as_text=True)
