"""Starting the app under gunicorn for the tests that need real processes: one way, shared by all.

The server's output goes to a file, never a pipe (a pipe nobody reads fills and stalls the server;
reading one from a server still running blocks for ever); a server that does not come up in time
is killed first and its output read after."""
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, process, base, output):
        self.process, self.base, self.output = process, base, output

    @property
    def pid(self):
        return self.process.pid

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.output.close()


def start_gunicorn(env, workers=2, timeout=60, startup_seconds=30, port=None):
    """gunicorn serving wsgi:app on a free port of 127.0.0.1 (or `port`), answering /healthz;
    RuntimeError with its last output when it does not come up in time."""
    port = port or free_port()
    output = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", str(timeout),
         "--no-control-socket", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=output)
    server = Server(process, f"http://127.0.0.1:{port}", output)
    deadline = time.monotonic() + startup_seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(f"{server.base}/healthz", timeout=5)
            return server
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.2)
    process.kill()
    process.wait(timeout=10)
    output.seek(0)
    said = output.read().decode("utf-8", "replace")[-2000:]
    output.close()
    raise RuntimeError(f"gunicorn did not start: {said}")


# localstripe writes its whole store to one file in /tmp after every change: slower with every
# object it holds, and shared by every copy running at once. Ours keep their store in memory only.
LOCALSTRIPE = ("import sys; import localstripe.resources as store; store.Store.dump_to_disk = lambda self: None; "
               "from localstripe.server import start; start()")


def start_localstripe(startup_seconds=20):
    """localstripe, the stateful fake Stripe server, on a free port (its store starts empty)."""
    port = free_port()
    output = tempfile.TemporaryFile()
    process = subprocess.Popen([sys.executable, "-c", LOCALSTRIPE, "--port", str(port), "--from-scratch"],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=output)
    server = Server(process, f"http://127.0.0.1:{port}", output)
    deadline = time.monotonic() + startup_seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("localstripe did not start")


# Ralph 5.1's file-system LRS backend writes every batch to one file with "create" (the file must not
# exist), so its second batch fails ("Statements bulk indexation failed"): ours append instead.
RALPH = ("import sys; from ralph.backends.data.base import BaseOperationType; import ralph.backends.lrs.fs as fs; "
         "fs.FSLRSBackend.default_operation_type = BaseOperationType.APPEND; import uvicorn; "
         "uvicorn.run('ralph.api:app', host='127.0.0.1', port=int(sys.argv[1]), log_level='warning')")


def start_ralph(directory, users, startup_seconds=30):
    """Ralph, a learning record store (PyPI ralph-malph), on a free port with its file-system backend
    under `directory`; `users` {username: password} may read and write. Its xAPI base URL is
    `server.base + "/xAPI/"`."""
    import json

    import bcrypt

    directory = Path(directory)
    (directory / "data").mkdir(parents=True, exist_ok=True)
    (directory / "auth.json").write_text(json.dumps([
        {"username": name, "hash": bcrypt.hashpw(password.encode(), bcrypt.gensalt(4)).decode(), "scopes": ["all"],
         "agent": {"mbox": f"mailto:{name}@lrs.example.org"}} for name, password in users.items()]))
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "RALPH_APP_DIR": str(directory), "RALPH_AUTH_FILE": str(directory / "auth.json"),
           "RALPH_RUNSERVER_BACKEND": "fs", "RALPH_BACKENDS__DATA__FS__DEFAULT_DIRECTORY_PATH": str(directory / "data")}
    return _started("Ralph", [sys.executable, "-c", RALPH, str(port)], port, "/__heartbeat__", startup_seconds,
                    cwd=directory, env=env)


def _started(name, command, port, ready_path, startup_seconds, cwd=ROOT, env=None):
    """A counterpart's process on `port`, once `ready_path` answers; RuntimeError with what it said if not."""
    output = tempfile.TemporaryFile()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=output)
    server = Server(process, f"http://127.0.0.1:{port}", output)
    deadline = time.monotonic() + startup_seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(f"{server.base}{ready_path}", timeout=5)
            return server
        except OSError:
            time.sleep(0.2)
    process.kill()
    process.wait(timeout=10)
    output.seek(0)
    said = output.read().decode("utf-8", "replace")[-2000:]
    server.stop()
    raise RuntimeError(f"{name} did not start: {said}")


def start_oidc_provider_mock(startup_seconds=30):
    """oidc-provider-mock (PyPI), a real OpenID provider, in a process of its own on a free port; its
    users' claims are set with PUT /users/{sub}."""
    port = free_port()
    return _started("oidc-provider-mock", [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)], port,
                    "/.well-known/openid-configuration", startup_seconds)
