"""`flask worker` runs an RQ worker with the app's settings; `flask schedule run` is the schedule.

The schedule is a small loop of our own (one process, started by systemd) rather than rq-scheduler:
its two duties are a sweep every minute (hand the worker any notice still unsent, so nothing waits
on a lost job or a Redis outage) and the daily round (reminders, and storing the figures of a year
that has closed), and all are safe to run twice (delivery claims each notice; each reminder is
recorded as sent; a closed year is stored once), so a restart or an overlap does no harm."""
import time as clock
from datetime import timedelta

import click
from flask.cli import AppGroup, with_appcontext

from cpd.core.background import QUEUE, redis_connection, work_queue
from cpd.core.models import utcnow
from cpd.events import booking as booking_service
from cpd.events import notices
from cpd.notices import delivery
from cpd.notices.outbox import DELIVER_ONE
from cpd.extensions import db
from cpd.metrics import measures
from cpd.revalidation.reminders import send_reminders

schedule_cli = AppGroup("schedule", help="The schedule: the outbox sweep and the daily reminders.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (for tests and one-off runs).")
@with_appcontext
def worker_command(burst):
    """Run a background worker: delivers notices as soon as their booking commits."""
    from rq import SimpleWorker

    connection = redis_connection()
    if connection is None:
        raise click.ClickException("Set REDIS_URL to run a worker; without it, `flask mail send` delivers notices.")
    # SimpleWorker runs each job in this process, inside the app context and its database pool.
    SimpleWorker([QUEUE], connection=connection).work(burst=burst, with_scheduler=False)


def sweep(now):
    """Hand the worker every notice still due (after a lost job or a Redis outage): {queued}."""
    queue = work_queue()
    ids = delivery.unsent_ids(now)
    for notice_id in ids:
        queue.enqueue(DELIVER_ONE, notice_id, job_id=f"notice-{notice_id}", failure_ttl=86400)
    return len(ids)


def daily(now):
    for booking in booking_service.upcoming_events_needing_reminders(now):
        notices.queue(booking.member, booking.event, "reminder")
    queued = send_reminders(now.date())
    measures.close_years(now.date(), now)
    db.session.commit()
    return queued


@schedule_cli.command("run")
@click.option("--once", is_flag=True, help="One round, then stop.")
@click.option("--every", default=60, help="Seconds between sweeps.")
def run_command(once, every):
    """Sweep the outbox every minute, and send the reminders once a day."""
    if work_queue() is None:
        raise click.ClickException("Set REDIS_URL to run the schedule; without it, run `flask mail send` and "
                                   "`flask reminders send` from cron.")
    last_daily = None
    while True:
        now = utcnow()
        if last_daily is None or now - last_daily >= timedelta(days=1):
            click.echo(f"reminders: {daily(now)}")
            last_daily = now
        click.echo(f"sweep: {sweep(now)} notices handed to the worker")
        db.session.remove()
        if once:
            return
        clock.sleep(every)
