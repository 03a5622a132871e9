"""Referees: each is asked by a private link of their own (no account; it works once, for
REFEREE_LINK_DAYS) and answers separately. When every referee has confirmed, the application is
`supported` and goes to assessment; one who declines returns it to the applicant as a draft, with
their comment shown on the application itself (not only in its history).

The Engineering Council's professional review reads referees' confirmation of the candidate's
account of their work (UK-SPEC, 4th edition); the number a title needs is its
`referees_required` (two for CEng, IEng and CSci)."""
import secrets
from datetime import timedelta

import sqlalchemy as sa

from cpd.core.errors import Gone, Invalid, NotFound
from cpd.core.models import utcnow
from cpd.core.tokens import digest
from cpd.core.urls import public_url
from cpd.extensions import db
from cpd.notices import queue_notice
from cpd.registration import draft_fields
from cpd.registration.models import Referee
from cpd.registration.steps import step

REFEREE_LINK_DAYS = 14


def ask_each(applicant, application, title):
    """A fresh link for every referee, and the notice that carries it."""
    expires = utcnow() + timedelta(days=REFEREE_LINK_DAYS)
    for referee in application.referees:
        raw = secrets.token_urlsafe(32)
        referee.status, referee.token_hash, referee.link_expires_at = "asked", digest(raw), expires
        referee.comment, referee.answered_at = "", None
        link = public_url("registration.supporter_page", token=raw)
        queue_notice(application.member, "referee_request",
                     f"{applicant.full_name} asks you to be a referee for their {title.name} application",
                     f"{applicant.full_name} has applied for registration as {title.name} ({title.title}) and named "
                     f"you as a referee. Please read their statements and confirm them, or decline with a comment "
                     f"(no account needed; the link works once and for {REFEREE_LINK_DAYS} days).",
                     links=[("Answer as referee", link)], to_address=referee.email, greeting=referee.name)


def close_links(application):
    for referee in application.referees:
        referee.token_hash = None


def referee_for_link(raw):
    """The referee a private link is for: 404 for a link that never was, 410 once used or expired."""
    referee = db.session.scalar(sa.select(Referee).where(Referee.token_hash == digest(raw)))
    if referee is None:
        raise NotFound("This link is not valid: check that it was copied whole.")
    if referee.status != "asked" or referee.application.status != "submitted" or referee.link_expires_at < utcnow():
        raise Gone("This link has expired or has already been used.")
    return referee


def answer(raw, confirmed, comment):
    """The referee confirms or declines (with a comment saying why)."""
    referee = referee_for_link(raw)
    errors = {}
    comment = draft_fields.comment(comment, errors)
    if not isinstance(confirmed, bool):
        errors["confirmed"] = ["Say whether you confirm the statements (true or false)."]
    if confirmed is False and not comment:
        errors["comment"] = ["Say why, so the applicant can improve the statements."]
    if errors:
        raise Invalid.from_fields(errors)
    application = referee.application
    referee.status, referee.comment, referee.answered_at = ("confirmed" if confirmed else "declined"), comment, utcnow()
    referee.link_expires_at = utcnow()  # the link works once (and then answers 410)
    if not confirmed:
        _back_to_draft(application, referee)
    elif all(r.status == "confirmed" for r in application.referees):
        application.status = "supported"
        step(application, None, "supported", comment, notify=(
            f"Your {application.title} application is supported",
            "Your referees confirmed your statements. Two assessors will be appointed next."))
    else:
        step(application, None, "referee_confirmed", f"{referee.name} confirmed." + (f" {comment}" if comment else ""))
    db.session.flush()
    return application


def _back_to_draft(application, referee):
    application.status, application.submitted_at = "draft", None
    application.feedback = {"by": f"{referee.name} (referee)", "comment": referee.comment, "competences": {},
                            "at": utcnow().isoformat()}
    close_links(application)
    step(application, None, "not_supported", referee.comment, notify=(
        f"Your {application.title} application is back with you",
        f"{referee.name} did not confirm your statements, and said:\n\n{referee.comment}\n\n"
        "Your application is a draft again: improve it (their comment is shown on it) and submit it when ready."))
