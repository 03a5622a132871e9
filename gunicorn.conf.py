"""gunicorn's settings for this application, read from the project's folder by any `gunicorn ...
wsgi:app` started there (the command line's own options, such as -w and -b, still apply).

The application is built once, in the master, before the workers are forked (`preload_app`). A
worker that dies, or is killed, is replaced by a fork of a process that has everything loaded: on
a two-core machine, building it again costs some three seconds of CPU taken from the workers still
serving (bench/RESULTS.md, the paid rush with a worker killed). The workers also share those
pages of memory. A start-up refusal (a missing SECRET_KEY, say) stops the master at once.

What a fork must not share is let go in each new worker: the database connections the master may
have opened (SQLAlchemy's advice for os.fork: `dispose(close=False)`, which leaves the parent's
connections alone). Everything else opens its connections lazily and per process (Redis's pools
and prometheus-client's multiprocess files check the process id; the database watchdog starts its
thread in the process that first runs a statement)."""
preload_app = True


def post_fork(server, worker):
    from cpd.extensions import db

    app = server.app.wsgi()
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
