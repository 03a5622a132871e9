"""The outbox every domain writes to: a notice is written in the same transaction as the change it
tells of, and delivered later (SMTP; printed when no MAIL_SERVER is set) by the worker or by
`flask mail send`. This package knows no domain: what a notice carries beyond its text (a calendar
entry) is built by the domain that registered it (cpd.notices.delivery.register_attachment)."""
from cpd.notices.outbox import queue_notice  # noqa: F401
