"""Notices: written to the outbox with the change, delivered by `flask mail send` over SMTP
(the SMTP server is the one thing mocked), retried when sending fails."""
import smtplib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.notices.models import Notice
from cpd.extensions import db


class FakeSmtp:
    """Stands in for the SMTP server on the other side of the network."""

    sent = []
    fail = False

    def __init__(self, host, port, timeout=None):
        if FakeSmtp.fail:
            raise ConnectionRefusedError("SMTP server unreachable")

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        FakeSmtp.sent.append(message)

    def quit(self):
        pass


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSmtp.sent, FakeSmtp.fail = [], False
    monkeypatch.setattr(smtplib, "SMTP", FakeSmtp)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    return FakeSmtp


def outbox(app):
    with app.app_context():
        return db.session.execute(sa.select(Notice.kind, Notice.sent_at, Notice.attempts).order_by(Notice.id)).all()


def test_a_confirmation_goes_by_smtp_with_the_events_calendar(app, smtp, create_event, create_member, book_seat):
    member = create_member(email="ada@example.org")
    book_seat(member, create_event(title="Fluid dynamics"))
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0 and "1 sent, 0 failed" in result.output
    (message,) = smtp.sent
    assert message["To"] == "ada@example.org" and message["Subject"] == "Booking confirmed: Fluid dynamics"
    attachments = [part for part in message.iter_attachments()]
    assert attachments[0].get_content_type() == "text/calendar"
    assert "BEGIN:VEVENT" in attachments[0].get_content()
    assert outbox(app)[0].sent_at is not None
    app.test_cli_runner().invoke(args=["mail", "send"])
    assert len(smtp.sent) == 1


def test_the_calendar_is_built_at_delivery_and_shows_the_event_as_it_stands(app, smtp, client, create_event,
                                                                             create_member, create_staff,
                                                                             book_seat, auth_headers):
    event = create_event(title="Fluid dynamics", capacity=1)
    book_seat(create_member(), event)
    book_seat(create_member(), event)  # waitlisted: told without a calendar entry
    with app.app_context():
        assert db.session.scalars(sa.select(Notice.calendar)).all() == [None, None]  # nothing built while booking
    staff = auth_headers(create_staff())
    assert client.patch(f"/api/v1/events/{event.id}", headers=staff,
                        json={"title": "Fluid dynamics, revised"}).status_code == 200
    assert "2 sent" in app.test_cli_runner().invoke(args=["mail", "send"]).output
    confirmed, waiting = smtp.sent
    (entry,) = list(confirmed.iter_attachments())
    assert "SUMMARY:Fluid dynamics\\, revised" in entry.get_content()
    assert list(waiting.iter_attachments()) == []


def test_a_failed_send_stays_in_the_outbox_and_is_retried(app, smtp, create_event, create_member, book_seat):
    book_seat(create_member(), create_event())
    smtp.fail = True
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "0 sent, 1 failed" in result.output
    kind, sent_at, attempts = outbox(app)[0]
    assert (sent_at, attempts) == (None, 1)

    smtp.fail = False
    assert "0 sent" in app.test_cli_runner().invoke(args=["mail", "send"]).output  # not due again yet
    with app.app_context():
        db.session.execute(sa.update(Notice).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert "1 sent, 0 failed" in app.test_cli_runner().invoke(args=["mail", "send"]).output
    assert len(smtp.sent) == 1


def test_the_reminder_goes_the_day_before_and_only_once(app, smtp, create_event, create_member, book_seat):
    member = create_member()
    book_seat(member, create_event(title="Tomorrow's course", starts_in=timedelta(hours=20)))
    book_seat(member, create_event(title="Next week's course", starts_in=timedelta(days=7)))
    runner = app.test_cli_runner()
    runner.invoke(args=["mail", "send"])
    runner.invoke(args=["mail", "send"])
    subjects = [m["Subject"] for m in smtp.sent]
    assert subjects.count("Tomorrow: Tomorrow's course") == 1
    assert not any(s.startswith("Tomorrow: Next week") for s in subjects)


def test_without_a_mail_server_notices_are_printed(app, create_event, create_member, book_seat, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    book_seat(create_member(email="print@example.org"), create_event(title="Printed course"))
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "print@example.org: Booking confirmed: Printed course" in result.output
