"""Background work on Redis with RQ, when REDIS_URL is set; without it, nothing is queued and the
same work runs in-process (`flask mail send`, `flask reminders send`), so the embedded default works.

Jobs are queued only after the transaction that makes them commits (never for work that rolled
back), and the database stays the source of truth: if Redis is down, the job is simply not queued
and the periodic sweep (`flask schedule run`) finds the work still undone."""
import logging

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

QUEUE = "cpd"
log = logging.getLogger("cpd.background")


def redis_connection():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    from redis import Redis

    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def work_queue():
    connection = redis_connection()
    if connection is None:
        return None
    from rq import Queue

    return Queue(QUEUE, connection=connection)


def queue_length():
    """Jobs waiting (0 without a queue; -1 when Redis does not answer)."""
    queue = work_queue()
    if queue is None:
        return 0
    from redis.exceptions import RedisError

    try:
        return len(queue)
    except RedisError:
        return -1


def enqueue(queue, function, *args, job_id=None):
    """Queue one job. A job that raises (a database briefly locked, a connection dropped) is run
    again twice by the worker before it is left in the failed registry; every job is idempotent."""
    from rq import Retry

    return queue.enqueue(function, *args, job_id=job_id, failure_ttl=86400, retry=Retry(max=2))


def after_commit(session, function, *args, job_id=None):
    """Queue `function(*args)` (a dotted path) once `session` commits."""
    if current_app.config.get("REDIS_URL"):
        session.info.setdefault("jobs_after_commit", []).append((function, args, job_id))


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session):
    jobs = session.info.pop("jobs_after_commit", [])
    if not jobs:
        return
    from redis.exceptions import RedisError

    try:
        queue = work_queue()
        for function, args, job_id in jobs:
            enqueue(queue, function, *args, job_id=job_id)
    except RedisError as error:
        log.warning("queue unavailable, the sweep will pick the work up: %s", error)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop("jobs_after_commit", None)
