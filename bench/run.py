"""make bench: fill a fresh database at scale, then measure what users feel.

    python -m bench.run [--scale 1.0] [--duration 15] [--connections 16] [--workers 4] [--no-http]

DATABASE_URL chooses the database (default: a fresh SQLite file bench/bench.sqlite3; for
PostgreSQL a fresh schema `cpd_bench` in the given database). Results are printed and written to
bench/RESULTS.md, one section per database.
"""
import argparse
import csv
import io
import json
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from cpd.credentials.keys import new_private_key_pem

# Production settings need a long key; this one only ever signs the benchmark's own cookies.
BENCH_SECRET_KEY = "bench-only-not-secret-but-long-enough-for-production"
# Production refuses to start without a signing key of its own: one made for this run.
BENCH_SIGNING_KEY = os.environ.get("CREDENTIAL_SIGNING_KEY") or new_private_key_pem()

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "RESULTS.md"
PG_SCHEMA = "cpd_bench"


# --- the database -----------------------------------------------------------------------------

def fresh_database(sqlite_path):
    url = os.environ.get("DATABASE_URL")
    if not url:
        path = sqlite_path
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}", "SQLite"
    from cpd.settings import normalise_database_url

    url = normalise_database_url(url)
    plain = sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    import psycopg

    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE')
        connection.execute(f'CREATE SCHEMA "{PG_SCHEMA}"')
    url = sa.engine.make_url(url).update_query_dict({"options": f"-csearch_path={PG_SCHEMA}"})
    return url.render_as_string(hide_password=False), "PostgreSQL"


def make_app(url):
    os.environ.update(CPD_ENV="production", SECRET_KEY=BENCH_SECRET_KEY, CREDENTIAL_SIGNING_KEY=BENCH_SIGNING_KEY,
                      RATELIMIT_ENABLED="0",
                      STAFF_REQUIRE_2FA="0")
    from cpd import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})


# --- in-process work beside its raw-SQL floor -------------------------------------------------------

def best_of(runs, work):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def capture_sql(engine, work):
    """The statements (with their parameters) that `work` sends to the database."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        work()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return statements


def raw_floor(engine, statements, sink=None):
    """The same SQL through the driver alone: execute and fetch every row."""
    def work():
        connection = engine.raw_connection()
        try:
            for statement, parameters in statements:
                cursor = connection.cursor()
                cursor.execute(statement, parameters)
                for row in cursor:
                    if sink is not None:
                        sink(row)
                cursor.close()
        finally:
            connection.close()
    return work


def in_process(app, year):
    """The current year's KPIs (computed: a closed year's are stored) and the last year's
    attendance export, each beside the same SQL run through the driver alone."""
    from cpd.core.spreadsheets import csv_stream
    from cpd.exports import rows
    from cpd.extensions import db
    from cpd.metrics import measures
    from cpd.metrics.measures import year_bounds

    results = {}
    with app.app_context():
        engine = db.engine
        kpis = lambda: measures.compute_kpis(year + 1)  # noqa: E731
        kpis()  # warm the caches, as a running server would be
        statements = capture_sql(engine, kpis)
        app_time = best_of(3, lambda: (db.session.rollback(), kpis()))
        floor_time = best_of(3, raw_floor(engine, statements))
        results["kpis"] = (app_time, floor_time, len(statements))

        start, end = year_bounds(year)
        export = lambda: sum(len(c) for c in csv_stream(  # noqa: E731
            rows.ATTENDANCE_HEADER, rows.attendance_rows(date_from=start, date_to=end)))
        export()
        statements = capture_sql(engine, export)
        app_time = best_of(3, lambda: (db.session.rollback(), export()))
        writer = csv.writer(io.StringIO())
        floor_time = best_of(3, raw_floor(engine, statements, sink=writer.writerow))
        results["export"] = (app_time, floor_time, len(statements))
        db.session.rollback()
    return results


def export_memory(url, kind, fraction):
    output = subprocess.run([sys.executable, "-m", "bench.export_memory", url, kind, str(fraction)],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return float(output[0]), int(output[1])


# --- HTTP under load ------------------------------------------------------------------------------

def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url, workers, extra_env=None):
    port = free_port()
    env = {**os.environ, "CPD_ENV": "production", "SECRET_KEY": BENCH_SECRET_KEY, "CREDENTIAL_SIGNING_KEY": BENCH_SIGNING_KEY,
           "STAFF_REQUIRE_2FA": "0",
           "DATABASE_URL": url,
           "RATELIMIT_ENABLED": "0", **(extra_env or {})}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
                                "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def wrk(base, path, duration, connections, threads=2, script=None, script_args=(), warmup=2, timeout=10,
        headers=()):
    command = ["wrk", "-t", str(threads), "-c", str(connections), "--latency", "--timeout", f"{timeout}s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", str(BENCH / "lua" / script)]
    tail = [f"{base}{path}", *(["--", *script_args] if script_args else [])]
    warmup = min(warmup, duration)  # a smoke run's scenarios last a second: so does their warm-up
    if warmup:
        subprocess.run([*command, "-d", f"{warmup}s", *tail], capture_output=True, text=True)
    output = subprocess.run([*command, "-d", f"{duration}s", *tail], capture_output=True, text=True).stdout
    return parse_wrk(output)


def _ms(output, percentile):
    match = re.search(rf"{percentile}%\s+([\d.]+)(us|ms|s)\b", output)
    if match is None:
        return float("nan")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def parse_wrk(output):
    """wrk's figures; an answer of 400 or above (wrk's "Non-2xx or 3xx responses") is an error."""
    if "Requests/sec" not in output:
        raise RuntimeError(f"wrk gave no figures:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50, p99 = _ms(output, 50), _ms(output, 99)
    total = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    return {"rps": rps, "p50": p50, "p99": p99, "requests": total, "errors": non_2xx + socket_errors}


def overbooked_events(app):
    from cpd.events.models import Booking, Event
    from cpd.extensions import db

    with app.app_context():
        confirmed = (sa.select(Booking.event_id, sa.func.count().label("n"))
                     .where(Booking.status == "confirmed").group_by(Booking.event_id).subquery())
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(Event).join(confirmed, confirmed.c.event_id == Event.id)
            .where(Event.capacity.is_not(None), confirmed.c.n > Event.capacity))


def http_scenarios(url, data, args, app):
    from bench.generate import token_for

    tokens = Path(tempfile.mkstemp(suffix=".txt")[1])
    tokens.write_text("\n".join(token_for(m) for m in data["token_members"]) + "\n")
    process, base = start_server(url, args.workers)
    try:
        event_ids = ",".join(str(i) for i in data["event_ids"][:: max(1, len(data["event_ids"]) // 500)])
        measured = {
            "bare endpoint (/healthz, no database)": wrk(base, "/healthz", args.duration, args.connections),
            "programme list (page 1, 50 events)": wrk(base, "/api/v1/events?per_page=50", args.duration,
                                                     args.connections),
            # A client that holds the page asks whether it changed: 304, no body (not a target).
            "programme list revalidated (If-None-Match, 304)": wrk(
                base, "/api/v1/events?per_page=50", args.duration, args.connections,
                headers=[f"If-None-Match: {_etag(base, '/api/v1/events?per_page=50')}"]),
            "event page": wrk(base, "/", args.duration, args.connections, script="events.lua",
                              script_args=[event_ids]),
            "CPD summary (signed in)": wrk(base, "/", args.duration, args.connections, script="summary.lua",
                                           script_args=[str(tokens)]),
            # No warm-up here: a warm-up stopped between a booking and its cancellation would leave
            # members holding seats that the measured run then tries to book again.
            "book then cancel (contended, 5 seats)": wrk(
                base, "/", args.duration, 8, threads=8, script="book_cancel.lua",
                script_args=[str(tokens), ",".join(map(str, data["popular_events"])), "8"], warmup=0),
        }
        from bench.paid import paid_scenarios

        paid = paid_scenarios(url, data, args, app, wrk, tokens)
        from bench.xapi import xapi_batches

        learning = xapi_batches(base, app)
        measured[f"KPIs of a closed year, {args.closed_year} (staff)"] = kpi_over_http(
            base, data["staff_token"], args, args.closed_year)
        measured[f"KPIs of the current year, {args.year + 1} (staff)"] = kpi_over_http(
            base, data["staff_token"], args, args.year + 1)
    finally:
        process.terminate()
        process.wait(timeout=30)
        tokens.unlink(missing_ok=True)
    measured["overbooked events"] = overbooked_events(app)
    measured["paid"] = paid
    measured["xapi"] = learning
    return measured


def _etag(base, path):
    with urllib.request.urlopen(f"{base}{path}", timeout=30) as response:
        return response.headers["ETag"]


def kpi_over_http(base, staff_token, args, year):
    script = BENCH / "lua" / "staff.lua"
    script.write_text(
        'request = function()\n  return wrk.format("GET", nil, {["Authorization"] = "Bearer ' + staff_token + '"})\nend\n')
    try:
        # A computed year takes seconds: wait for it (as a person would) rather than count it an error.
        return wrk(base, f"/api/v1/metrics/kpis?year={year}", 2 * args.duration, 2, threads=2,
                   script="staff.lua", warmup=1, timeout=60)
    finally:
        script.unlink(missing_ok=True)


# --- the report ----------------------------------------------------------------------------------

# Issue 19's targets: throughput as a share of the bare endpoint's, and p50 latency in ms.
TARGETS = {
    "programme list (page 1, 50 events)": 0.25,
    "event page": 0.35,
    "CPD summary (signed in)": 0.30,
    "book then cancel (contended, 5 seats)": 0.10,
}
LATENCY_TARGETS = {"KPIs of a closed year": 50, "KPIs of the current year": 1000}


def _latency_target(name):
    return next((ms for prefix, ms in LATENCY_TARGETS.items() if name.startswith(prefix)), None)


def close_years(app, args):
    """Store the closed years' figures, as the schedule's daily round does: the latest one stored."""
    from cpd.core.models import utcnow
    from cpd.extensions import db
    from cpd.metrics import measures

    with app.app_context():
        now, started = utcnow(), time.perf_counter()
        closed = measures.close_years(now.date(), now)
        db.session.commit()
    print(f"stored the figures of {closed} in {time.perf_counter() - started:.1f}s", flush=True)
    return max(closed) if closed else args.year - 1


def standings_round(app):
    """Measure every member's stored standing, as the schedule's daily round does after the rows
    were loaded in bulk: (members, seconds)."""
    from cpd.core.models import utcnow
    from cpd.extensions import db
    from cpd.records import standings

    with app.app_context():
        started = time.perf_counter()
        measured = standings.recompute_everyone(utcnow().date())
        seconds = time.perf_counter() - started
        db.session.remove()
    print(f"measured {measured:,} standings in {seconds:.1f}s", flush=True)
    return measured, seconds


def machine():
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return f"{os.cpu_count()} cores, {memory_kb / 1024 / 1024:.0f} GiB, {platform.python_implementation()} {platform.python_version()}"


def report(database, args, data, generation_seconds, work, memory, http):
    lines = [f"## {database}", "",
             f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {machine()} · scale {args.scale} · "
             f"{args.workers} gunicorn workers · {args.duration}s per scenario", "",
             "Data: " + ", ".join(f"{n:,} {table.replace('_', ' ')}" for table, n in data["counts"].items())
             + f" (generated in {generation_seconds:.0f}s).", "",
             "The daily round measured {:,} members' stored CPD standings in {:.1f} s.".format(*data["standings round"]),
             ""]
    if http:
        bare = http["bare endpoint (/healthz, no database)"]["rps"]
        lines += ["| HTTP scenario | requests/s | p50 ms | p99 ms | errors | × bare | target | met |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
        for name, figures in http.items():
            if not isinstance(figures, dict) or name in ("paid", "xapi"):
                continue
            ratio = figures["rps"] / bare if bare else 0
            target, latency = TARGETS.get(name), _latency_target(name)
            if target is not None:
                shown, met = f"≥ {target:.2f}", "yes" if ratio >= target and figures["errors"] == 0 else "no"
            elif latency is not None:
                shown, met = f"p50 ≤ {latency} ms", "yes" if figures["p50"] <= latency and figures["errors"] == 0 else "no"
            else:
                shown, met = "", ""
            lines.append(f"| {name} | {figures['rps']:,.1f} | {figures['p50']:.1f} | {figures['p99']:.1f} | "
                         f"{figures['errors']} | {ratio:.2f} | {shown} | {met} |")
        lines += ["", f"Overbooked events after the booking rush: {http['overbooked events']}.", ""]
        lines += _paid_lines(http.get("paid") or {})
        from bench.xapi import xapi_lines

        lines += xapi_lines(http.get("xapi"))
    lines += ["| In-process work | app s | raw-SQL floor s | ratio | target | met | statements |",
              "| --- | ---: | ---: | ---: | ---: | --- | ---: |"]
    for name, key in ((f"KPIs of the current year, {args.year + 1}", "kpis"),
                      (f"attendance export, {args.year}", "export")):
        app_time, floor_time, count = work[key]
        ratio = app_time / floor_time if floor_time else 0
        lines.append(f"| {name} | {app_time:.3f} | {floor_time:.3f} | {ratio:.2f} | ≤ 1.50 | "
                     f"{'yes' if ratio <= 1.5 else 'no'} | {count} |")
    lines += ["", "| Export peak memory (own process) | 10% of rows | 100% of rows | growth | target | met |",
              "| --- | ---: | ---: | ---: | ---: | --- |"]
    for kind, ((small_mb, small_bytes), (full_mb, full_bytes)) in memory.items():
        growth = full_mb - small_mb
        lines.append(f"| {kind} ({small_bytes:,} → {full_bytes:,} bytes of CSV) | {small_mb:.1f} MB | {full_mb:.1f} MB"
                     f" | {growth:+.1f} MB | ≤ 20 MB | {'yes' if growth <= 20 else 'no'} |")
    lines.append("")
    return "\n".join(lines)


def _paid_lines(paid):
    """The paid rush and the webhook burst: seats held per minute (target 3,000 per event), capacity and
    the recount after each rush; the webhook endpoint's p50 and p99."""
    if not paid:
        return []
    lines = ["| Paid scenario | requests/s | p50 ms | p99 ms | errors | seats held | held per minute | over capacity "
             "| recount --check | target | met |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |"]
    for name, figures in paid.items():
        if "holds" in figures:
            met = figures["holds_per_minute"] >= 3000 and figures["over_capacity"] == 0 and figures["recount_check"] == 0
            lines.append(f"| {name} | {figures['rps']:,.1f} | {figures['p50']:.1f} | {figures['p99']:.1f} | "
                         f"{figures['errors']} | {figures['holds']:,} | {figures['holds_per_minute']:,.0f} | "
                         f"{figures['over_capacity']} | exit {figures['recount_check']} | ≥ 3,000 held/min, 0 over | "
                         f"{'yes' if met else 'no'} |")
        else:
            lines.append(f"| {name} | {figures['rps']:,.1f} | {figures['p50']:.1f} | {figures['p99']:.1f} | "
                         f"{figures['errors']} | | | | | | |")
    return lines + [""]


def write_results(section, database):
    header = ("# Benchmark results\n\nProduced by `make bench` (see bench/run.py). Ratios compare each figure with "
              "a limit measured in the same run on the same machine: HTTP throughput with a bare endpoint served by the "
              "same gunicorn, in-process work with the same SQL run through the database driver alone.\n\n")
    sections = {}
    if RESULTS.exists():
        for block in re.split(r"(?m)^(?=## )", RESULTS.read_text()):
            if block.startswith("## "):
                sections[block.split("\n", 1)[0][3:].strip()] = block.rstrip() + "\n"
    sections[database] = section
    RESULTS.write_text(header + "\n".join(sections[name] for name in sorted(sections)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--duration", type=int, default=15, help="seconds per HTTP scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--no-http", action="store_true", help="skip the load scenarios (a smoke run)")
    parser.add_argument("--output", type=Path, default=None, help="write here instead of bench/RESULTS.md")
    parser.add_argument("--sqlite", type=Path, default=BENCH / "bench.sqlite3", help="the SQLite file to (re)make")
    args = parser.parse_args(argv)
    args.year = datetime.now(timezone.utc).year - 1

    url, database = fresh_database(args.sqlite)
    app = make_app(url)
    from flask_migrate import upgrade

    from bench.generate import generate
    from cpd.extensions import db

    with app.app_context():
        upgrade()
        started = time.perf_counter()
        data = generate(db.engine, args.scale)
        generation_seconds = time.perf_counter() - started
    print(f"generated at scale {args.scale} in {generation_seconds:.0f}s: {json.dumps(data['counts'])}", flush=True)
    args.closed_year = close_years(app, args)
    data["standings round"] = standings_round(app)


    work = in_process(app, args.year)
    memory = {kind: (export_memory(url, kind, 0.1), export_memory(url, kind, 1.0))
              for kind in ("attendance", "members")}
    http = None if args.no_http else http_scenarios(url, data, args, app)
    section = report(database, args, data, generation_seconds, work, memory, http)
    print(section)
    if args.output:
        args.output.write_text(section)
    else:
        write_results(section, database)
    return section


if __name__ == "__main__":
    main()
