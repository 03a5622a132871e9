"""The history an application keeps: each transition writes one step (who, when, what was said),
an entry in the audit log and, where the applicant should hear of it, a notice."""
from sqlalchemy.orm import selectinload

from cpd.core import audit
from cpd.core.urls import public_url
from cpd.notices import queue_notice
from cpd.registration.models import Application, ApplicationStep


def with_details():
    return (selectinload(Application.statements), selectinload(Application.evidence),
            selectinload(Application.referees), selectinload(Application.assessors),
            selectinload(Application.interviewers), selectinload(Application.history))


def step(application, actor, name, comment="", notify=None, details=None):
    """A transition's history step and audit entry, and the applicant's notice (subject, body)."""
    application.history.append(ApplicationStep(status=application.status, step=name, details=details,
                                               actor_id=getattr(actor, "id", None), comment=comment))
    audit.record(actor, f"application.{name}", "application", application.id, status=application.status)
    if notify:
        queue_notice(application.member, f"application_{name}", notify[0], notify[1],
                     links=[("Your application", public_url("registration.my_application",
                                                            application_id=application.id))])
