"""What an operator sees: a request id on every request (X-Request-ID, accepted and echoed), one
JSON log line per request, and Prometheus metrics at /metrics (requests and latency by endpoint and
status, bookings, the outbox, the queue).

Under gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR to an empty directory so every
worker's counts are summed (prometheus-client's multiprocess mode)."""
import logging
import os
import re
import sys
import time
import uuid

import orjson
from flask import g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
REQUESTS = Counter("cpd_http_requests_total", "HTTP requests answered", ["endpoint", "method", "status"])
LATENCY = Histogram("cpd_http_request_duration_seconds", "Time to answer a request", ["endpoint", "method"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
request_log = logging.getLogger("cpd.requests")


class JsonLines(logging.Formatter):
    """One JSON object per line: the record's message fields, with the time and level."""

    def format(self, record):
        line = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname.lower(),
                "logger": record.name, "message": record.getMessage()}
        line.update(getattr(record, "fields", {}))
        return orjson.dumps(line, default=str).decode()


_counters = {}  # (endpoint, method, status) -> the counter and histogram children, made once


def _children(endpoint, method, status):
    key = (endpoint, method, status)
    found = _counters.get(key)
    if found is None:
        found = _counters[key] = (REQUESTS.labels(endpoint, method, str(status)), LATENCY.labels(endpoint, method))
    return found


def request_id():
    return getattr(g, "request_id", None)


def _start():
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response):
    elapsed = time.perf_counter() - getattr(g, "request_started", time.perf_counter())
    endpoint = request.endpoint or "unmatched"
    response.headers["X-Request-ID"] = request_id() or ""
    if endpoint != "metrics.metrics":
        counter, histogram = _children(endpoint, request.method, response.status_code)
        counter.inc()
        histogram.observe(elapsed)
    if request_log.isEnabledFor(logging.INFO):  # nothing built for a line nobody writes
        request_log.info("request", extra={"fields": {
            "request_id": request_id(), "method": request.method, "path": request.path, "endpoint": endpoint,
            "status": response.status_code, "duration_ms": round(elapsed * 1000, 2),
            "remote_addr": request.remote_addr}})
    return response


def register_observability(app):
    app.before_request(_start)
    app.after_request(_finish)
    if not app.config.get("TESTING") and not request_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLines())
        request_log.addHandler(handler)
        request_log.setLevel(logging.INFO)
        request_log.propagate = False


def exposition(app, *collectors):
    """The metrics in Prometheus text format: this process's (or, in multiprocess mode, every
    worker's) request counts, and the gauges of `collectors`, read now."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    for collector in collectors:
        registry.register(collector)
    return generate_latest(registry), CONTENT_TYPE_LATEST
