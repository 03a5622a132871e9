"""Writing a notice to the outbox, as part of the caller's transaction."""
from flask import current_app

from cpd.core.background import after_commit
from cpd.extensions import db
from cpd.notices.models import Notice

DELIVER_ONE = "cpd.notices.delivery.deliver_one"


def queue_notice(recipient, kind, subject, body, links=(), to_address=None, greeting=None, event_id=None):
    """Write a notice to `recipient` (a member) into the outbox. `links` are (what, absolute URL) pairs,
    listed under the body so the reader can go straight to what it is about; `to_address` sends it
    somewhere other than the member's own address, to someone greeted by `greeting`."""
    text = f"Dear {greeting or recipient.full_name},\n\n{body}\n"
    if links:
        text += "\n" + "".join(f"{label}: {url}\n" for label, url in links)
    notice = Notice(member=recipient, kind=kind, subject=subject, to_address=to_address, body=text,
                    event_id=event_id)
    db.session.add(notice)
    if current_app.config.get("REDIS_URL"):
        db.session.flush()  # its id, for the worker to deliver it as soon as this transaction commits
        after_commit(db.session, DELIVER_ONE, notice.id, job_id=f"notice-{notice.id}")
    return notice
