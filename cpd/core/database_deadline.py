"""A PostgreSQL server that falls silent mid-statement is noticed by the client, not only by the server.

`statement_timeout` is enforced by the server; a server that is gone (a network path that swallows
packets, a proxy or a host that hangs) never sends its error, and a worker would wait until its
process is killed. Two bounds on the client side:

- libpq's TCP keepalives and `tcp_user_timeout` (connect arguments, see `connect_arguments`): a
  path that stops acknowledging what we send is dropped within seconds;
- a watchdog thread per process: a statement running longer than `PROBE_AFTER` seconds has the
  server asked, on a fresh TCP connection, whether it is there (an SSLRequest: eight bytes, which a
  PostgreSQL server answers at once with one byte, before any authentication). No answer within
  DATABASE_CONNECT_TIMEOUT, or a statement outliving the server's own statement_timeout by
  `GRACE` seconds, and the statement's socket is shut down: the waiting call fails at once, the
  connection is discarded by the pool, and the request answers 503 (cpd.core.errors).
"""
import logging
import os
import socket
import struct
import threading
import time

import sqlalchemy as sa

log = logging.getLogger("cpd.database")

PROBE_AFTER = 2.0  # seconds a statement runs before the server is asked whether it is there
PROBE_EVERY = 2.0
GRACE = 3.0  # past the server's own statement_timeout: it would have answered by now
TICK = 0.25
SSL_REQUEST = struct.pack("!ii", 8, 80877103)  # the PostgreSQL protocol's SSLRequest


def connect_arguments(connect_timeout):
    """libpq settings that drop a dead path quickly, whatever the server's own settings."""
    return {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 3,
            "tcp_user_timeout": int((connect_timeout + 5) * 1000)}


def server_answers(host, port, timeout):
    """True when a PostgreSQL server at host:port answers an SSLRequest within `timeout` seconds."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as probe:
            probe.settimeout(timeout)
            probe.sendall(SSL_REQUEST)
            return probe.recv(1) in (b"S", b"N")
    except OSError:
        return False


def _shut_down(dbapi_connection):
    """Close the statement's socket under it, so the call waiting on it fails now."""
    try:
        descriptor = dbapi_connection.pgconn.socket
        duplicate = socket.socket(fileno=os.dup(descriptor))
    except (AttributeError, OSError, ValueError):
        return
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        duplicate.close()


class Watchdog:
    """The statements in flight in this process, and the thread that watches them."""

    def __init__(self, host, port, connect_timeout, statement_timeout):
        self.host, self.port = host, port
        self.connect_timeout, self.statement_timeout = connect_timeout, statement_timeout
        self._running = {}  # id(DBAPI connection) -> [connection, started, last probe]
        self._lock = threading.Lock()
        self._thread = None
        self._pid = None

    def started(self, dbapi_connection):
        with self._lock:
            self._running[id(dbapi_connection)] = [dbapi_connection, time.monotonic(), 0.0]
        self._ensure_thread()

    def finished(self, dbapi_connection):
        with self._lock:
            self._running.pop(id(dbapi_connection), None)

    def _ensure_thread(self):
        # A forked worker (gunicorn) has no thread of its parent's: each process starts its own.
        if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._watch, name="database-watchdog", daemon=True)
            self._thread.start()

    def _watch(self):
        while True:
            time.sleep(TICK)
            now = time.monotonic()
            with self._lock:
                overdue = [entry for entry in self._running.values() if now - entry[1] >= PROBE_AFTER]
            for entry in overdue:
                self._check(entry, now)

    def _check(self, entry, now):
        connection, started, last_probe = entry
        if now - started > self.statement_timeout + GRACE:
            reason = "no answer past the statement timeout"
        elif self.host and now - last_probe >= PROBE_EVERY:
            entry[2] = now
            if server_answers(self.host, self.port, self.connect_timeout):
                return
            reason = "the server does not answer"
        else:
            return
        log.warning("database statement cut off after %.1f s: %s", time.monotonic() - started, reason)
        self.finished(connection)
        _shut_down(connection)


def watch(engine, connect_timeout, statement_timeout):
    """Put the statements of a PostgreSQL engine under a watchdog."""
    url = engine.url
    host = url.host if url.host and not url.host.startswith("/") else None
    watchdog = Watchdog(host, url.port or 5432, connect_timeout, statement_timeout)

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        watchdog.started(conn.connection.dbapi_connection)

    @sa.event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        watchdog.finished(conn.connection.dbapi_connection)

    @sa.event.listens_for(engine, "handle_error")
    def _failed(context):
        fairy = context.connection.connection if context.connection is not None and \
            not context.connection.invalidated else None
        if fairy is not None and fairy.dbapi_connection is not None:
            watchdog.finished(fairy.dbapi_connection)

    return watchdog
