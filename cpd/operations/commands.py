"""`flask worker` runs an RQ worker with the app's settings; `flask schedule run` is the schedule
(RQ's CronScheduler; the duties are in cpd.operations.rounds)."""
import os

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from cpd.core.background import QUEUE, redis_connection, work_queue
from cpd.core.models import utcnow
from cpd.operations import rounds

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


def build_schedule(connection, every, daily_cron):
    """RQ's CronScheduler with the two duties: the sweep every `every` seconds, the daily round at the
    wall-clock time `daily_cron` names (the process's local time), whenever the scheduler was started."""
    from rq.cron import CronScheduler

    scheduler = CronScheduler(connection=connection, name=f"cpd-schedule-{os.getpid()}")
    scheduler.register(rounds.sweep_job, QUEUE, interval=every, name="sweep")
    scheduler.register(rounds.daily_job, QUEUE, cron=daily_cron, name="daily round")
    return scheduler


@schedule_cli.command("run")
@click.option("--once", is_flag=True, help="Both duties now, in this process, then stop (for cron and tests).")
@click.option("--every", default=60, help="Seconds between sweeps.")
def run_command(once, every):
    """The schedule: RQ's CronScheduler enqueues the sweep every minute and the daily round at
    DAILY_ROUND_CRON (the scheduler's local time); `flask worker` runs them."""
    if work_queue() is None:
        raise click.ClickException("Set REDIS_URL to run the schedule; without it, run `flask mail send` and "
                                   "`flask reminders send` from cron.")
    if once:
        now = utcnow()
        click.echo(f"reminders: {rounds.daily(now)}")
        click.echo(f"sweep: {rounds.sweep(now)} notices handed to the worker")
        return
    scheduler = build_schedule(redis_connection(), every, current_app.config["DAILY_ROUND_CRON"])
    click.echo(f"schedule: the sweep every {every} s, the daily round at {current_app.config['DAILY_ROUND_CRON']}")
    scheduler.start()
