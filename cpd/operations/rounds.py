"""The schedule's duties, each safe to run twice (delivery claims each notice, each reminder is
recorded as sent, a closed year is stored once, an export is built once), so an overlap, a restart
or a round run by hand does no harm:

- the sweep, every minute: any notice still unsent goes to the worker again (a lost job, a Redis
  outage), an export whose job was lost is handed over again, and one whose worker died is failed;
  held seats and waiting-list offers whose time ran out are released (their orders cancelled);
  webhook deliveries whose next try has come go to the worker;
- the daily round, at a wall-clock time (DAILY_ROUND_CRON, in the scheduler's local time: UTC on our servers): reminders,
  the registrations of audit cases whose appeal window closed lapsed, the figures of a year that has closed,
  and every member's stored CPD standing measured again as of the new day.

RQ's own CronScheduler enqueues them (`flask schedule run`); the worker runs them in the app."""
from cpd.core.background import enqueue, work_queue
from cpd.core.models import utcnow
from cpd.events import booking as booking_service
from cpd.events import notices
from cpd.exports import jobs as export_jobs
from cpd.extensions import db
from cpd.integrations import webhooks
from cpd.integrations.webhook_events import DELIVER_ONE as WEBHOOK_DELIVER_ONE
from cpd.metrics import measures
from cpd.notices import delivery
from cpd.notices.outbox import DELIVER_ONE
from cpd.records import standings
from cpd.revalidation import audits
from cpd.revalidation.reminders import send_reminders


def sweep(now):
    """Hand the worker every notice still due and every export nothing is building: {queued}."""
    queue = work_queue()
    ids = delivery.unsent_ids(now)
    for notice_id in ids:
        enqueue(queue, DELIVER_ONE, notice_id, job_id=f"notice-{notice_id}")
    export_jobs.sweep_stranded(now, queue)
    booking_service.release_every_lapsed_hold(now)
    for delivery_id in webhooks.due_ids(now):
        enqueue(queue, WEBHOOK_DELIVER_ONE, delivery_id, job_id=f"webhook-{delivery_id}-{now:%H%M}")
    return len(ids)


def daily(now):
    for booking in booking_service.upcoming_events_needing_reminders(now):
        notices.queue(booking.member, booking.event, "reminder")
    queued = send_reminders(now.date())
    audits.lapse_when_the_window_closes(now.date())
    measures.close_years(now.date(), now)
    db.session.commit()
    standings.recompute_everyone(now.date())  # windows moved with the day: every member measured again
    return queued


def sweep_job():
    """The sweep, as the worker runs it."""
    try:
        return sweep(utcnow())
    finally:
        db.session.remove()


def daily_job():
    """The daily round, as the worker runs it."""
    try:
        return daily(utcnow())
    finally:
        db.session.remove()
