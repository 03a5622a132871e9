"""A mentor or line manager verifies the competence statements of their mentee's application
(IET Career Manager's "interim verification": a line manager who need not be a member vouches for
the evidence); assessors see "verified by ..." beside the statement. Only the mentee's active
mentor may, and only while the application is still the applicant's or under review."""
import sqlalchemy as sa

from cpd.core import audit
from cpd.core.errors import Conflict, NotFound
from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.mentoring import services as mentoring
from cpd.registration.models import Application, ApplicationStatement

OPEN = ("draft", "submitted", "supported", "under_assessment")


def verify(mentor, mentee_id, application_id, code):
    mentorship = mentoring.active_mentorship(mentor, mentee_id)
    application = db.session.get(Application, application_id)
    if application is None or application.member_id != mentee_id:
        raise NotFound("No such application.")
    if application.status not in OPEN:
        raise Conflict(f"The application is {application.status.replace('_', ' ')}: its statements are settled.")
    statement = db.session.scalar(sa.select(ApplicationStatement).where(
        ApplicationStatement.application_id == application.id, ApplicationStatement.code == code))
    if statement is None:
        raise NotFound(f"The application has no statement for {code}.")
    statement.verified_by = f"{mentor.full_name} ({mentorship.email}), mentor"[:300]
    statement.verified_at = utcnow()
    audit.record(mentor, "registration.statement_verified", "application", application.id, code=code)
    db.session.flush()
    return statement
