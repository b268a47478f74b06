"""Work beside the running dashboard: scheduled jobs, and commands answered for the command line.

Only one process can hold the DuckDB file, and while the dashboard runs that is the
dashboard. So the work that must happen while it runs happens in its process:

- **Scheduled jobs** (``Scheduler``): the police fetch, switched on by an admin on the Data
  page (``meta`` keys ``jobs.polisen.enabled`` and ``jobs.polisen.every_minutes``, default
  hourly), run in a background thread on a cursor of their own. The last run's time and
  outcome are kept with the fetch's state (``safetycore.fetch``) and shown on the Data page.
- **Commands answered for the command line** (``CommandServer``): a read-only command
  (``info``, ``report``, ``situation`` …, see ``SERVED_WHEN_HELD`` in ``__main__``) that finds
  the database held asks the running dashboard instead of failing. The server listens on
  127.0.0.1 only, on a free port, and answers only requests that carry the token written,
  with the port, to ``<database>.commands.json`` beside the database (mode 0600: readable by
  the user the dashboard runs as, and root). The command runs unchanged in this process on a
  cursor of the dashboard's connection (``db.lent_connection``); its output and any file it
  writes (``--out``) are sent back and written by the asking process.

Neither part imports streamlit; ``ui/jobs.py`` starts them once per server process.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import hmac
import io
import json
import os
import secrets
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from safetycore import db
from safetycore.access import Actor, require

ENABLED_KEY = "jobs.polisen.enabled"
EVERY_KEY = "jobs.polisen.every_minutes"
CHANGED_KEY = "jobs.polisen.changed"
DEFAULT_EVERY_MINUTES = 60
TICK_ENV = "SAFETY_JOBS_TICK"  # seconds between the scheduler's looks at the clock
DEFAULT_TICK = 15.0
SCHEDULE_ACTOR = Actor(identity="schedule", role="admin")
ASK_TIMEOUT = 300.0  # a PDF report of a big database takes a while


# --- Settings ----------------------------------------------------------------------------------


def schedule_settings(con) -> dict:
    cur = con.cursor()
    try:
        enabled = db.meta_get(cur, ENABLED_KEY) == "true"
        every = db.meta_get(cur, EVERY_KEY)
        changed = db.meta_get(cur, CHANGED_KEY)
    finally:
        cur.close()
    try:
        minutes = max(1, int(every)) if every else DEFAULT_EVERY_MINUTES
    except ValueError:
        minutes = DEFAULT_EVERY_MINUTES
    return {
        "enabled": enabled,
        "every_minutes": minutes,
        "changed": json.loads(changed) if changed else None,
    }


def set_schedule(con, actor: Actor, *, enabled: bool, every_minutes: int) -> None:
    """Switch the scheduled police fetch on or off (admins only), recording who did it."""
    from safetycore import clock

    require(actor, "admin")
    if not 1 <= int(every_minutes) <= 7 * 24 * 60:
        raise ValueError("Give the interval in minutes, from 1 to 10,080 (a week).")
    at = clock.now_for(con).isoformat(sep=" ")
    with db.transaction(con) as cur:
        db.meta_set(cur, ENABLED_KEY, "true" if enabled else "false")
        db.meta_set(cur, EVERY_KEY, str(int(every_minutes)))
        db.meta_set(cur, CHANGED_KEY, json.dumps({"by": actor.identity, "at": at}))


def next_due(settings: dict, state: dict, now: float) -> float | None:
    """When the scheduled fetch should run next (epoch seconds), or None when it is off."""
    if not settings["enabled"]:
        return None
    last = state.get("last_run")
    if not last:
        return now
    if last.get("status") == "wait" and last.get("retry_at"):
        return float(last["retry_at"])
    return float(last["epoch"]) + 60 * settings["every_minutes"]


# --- The scheduler ---------------------------------------------------------------------------


class Scheduler(threading.Thread):
    """Runs the due jobs of one database in the background, on a cursor of its own."""

    def __init__(self, con, *, tick: float | None = None):
        super().__init__(name="safety-jobs", daemon=True)
        self.con = con
        self.tick = tick if tick is not None else float(os.environ.get(TICK_ENV) or DEFAULT_TICK)
        self.stopped = threading.Event()

    def run(self) -> None:
        cur = self.con.cursor()  # this thread's own cursor of the dashboard's connection
        try:
            while not self.stopped.wait(self.tick):
                try:
                    self.run_due(cur)
                except Exception as exc:  # keep the thread alive; the Data page shows the state
                    print(f"scheduled job failed: {exc!r}", file=sys.__stderr__)
                try:
                    self.run_notifications(cur)
                except Exception as exc:  # the Administration page shows the digest's last run
                    print(f"scheduled e-mail failed: {exc!r}", file=sys.__stderr__)
        finally:
            cur.close()

    def run_due(self, cur, now: float | None = None) -> bool:
        from safetycore import fetch

        now = time.time() if now is None else now
        due = next_due(schedule_settings(cur), fetch.load_state(cur), now)
        if due is None or due > now:
            return False
        with contextlib.suppress(fetch.MustWait, ValueError):  # recorded in the state
            fetch.fetch_polisen(cur, SCHEDULE_ACTOR, by="schedule")
        return True

    def run_notifications(self, cur) -> None:
        """The weekly digest when its time has come, and reminders (safetycore/mail_jobs.py)."""
        from safetycore import mail_jobs

        mail_jobs.run_jobs(cur)

    def stop(self) -> None:
        self.stopped.set()


# --- Commands answered for the command line ------------------------------------------------


def endpoint_file(db_path: str) -> Path:
    """Where the running dashboard leaves its port and token, beside the database."""
    path = Path(db_path)
    return path.with_name(path.name + ".commands.json")


class _ThreadOutput(io.TextIOBase):
    """sys.stdout/sys.stderr that a thread can point at its own buffer while a command runs."""

    def __init__(self, fallback):
        self.fallback = fallback
        self.local = threading.local()

    def _target(self):
        return getattr(self.local, "buffer", None) or self.fallback

    def write(self, text):
        return self._target().write(text)

    def flush(self):
        self._target().flush()

    def __getattr__(self, name):  # encoding, isatty, fileno … of the real stream
        return getattr(self.fallback, name)


_install_lock = threading.Lock()


def _thread_outputs() -> tuple[_ThreadOutput, _ThreadOutput]:
    with _install_lock:
        if not isinstance(sys.stdout, _ThreadOutput):
            sys.stdout = _ThreadOutput(sys.stdout)
        if not isinstance(sys.stderr, _ThreadOutput):
            sys.stderr = _ThreadOutput(sys.stderr)
    return sys.stdout, sys.stderr


@contextlib.contextmanager
def captured_output():
    """Collect what this thread prints (other threads print as before)."""
    out, err = _thread_outputs()
    bufs = io.StringIO(), io.StringIO()
    out.local.buffer, err.local.buffer = bufs
    try:
        yield bufs
    finally:
        out.local.buffer = err.local.buffer = None


class CommandServer:
    """The localhost-only, token-checked endpoint that answers read-only commands."""

    def __init__(self, con, db_path: str, answer):
        self.con = con
        self.db_path = db_path
        self.answer = answer  # (cursor, argv) -> {"exit", "stdout", "stderr", "out_b64"}
        self.token = secrets.token_urlsafe(32)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, name="safety-commands", daemon=True
        )

    def start(self) -> CommandServer:
        self.thread.start()
        self._write_endpoint_file()
        atexit.register(self.stop)
        return self

    def _write_endpoint_file(self) -> None:
        target = endpoint_file(self.db_path)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "port": self.port,
                    "token": self.token,
                    "pid": os.getpid(),
                    "db": str(Path(self.db_path).resolve()),
                },
                fh,
            )
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)

    def stop(self) -> None:
        target = endpoint_file(self.db_path)
        try:
            if json.loads(target.read_text(encoding="utf-8")).get("pid") == os.getpid():
                target.unlink()
        except (OSError, ValueError):
            pass
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # no access log on the dashboard's console
                pass

            def _reply(self, code: int, payload: dict) -> None:
                body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                self.send_response(code)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802
                self._reply(405, {"error": "POST /command"})

            def do_POST(self):  # noqa: N802
                if self.client_address[0] not in ("127.0.0.1", "::1"):
                    return self._reply(403, {"error": "localhost only"})
                given = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
                if not hmac.compare_digest(given.encode(), server.token.encode()):
                    return self._reply(401, {"error": "token missing or wrong"})
                if self.path != "/command":
                    return self._reply(404, {"error": "POST /command"})
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                    argv = json.loads(self.rfile.read(min(length, 1_000_000)))["argv"]
                    if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
                        raise ValueError
                except (ValueError, KeyError, TypeError):
                    return self._reply(400, {"error": 'send {"argv": [...]}'})
                cur = server.con.cursor()
                try:
                    return self._reply(200, server.answer(cur, argv))
                finally:
                    cur.close()

        return Handler


def ask_running_server(db_path: str, argv: list[str]) -> dict | None:
    """Have the dashboard that holds ``db_path`` run ``argv``; None when none answers."""
    if not db.is_local_path(db_path):
        return None
    try:
        info = json.loads(endpoint_file(db_path).read_text(encoding="utf-8"))
        port, token = int(info["port"]), str(info["token"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/command",
        data=json.dumps({"argv": argv}).encode("utf-8"),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=ASK_TIMEOUT) as response:  # noqa: S310
            return json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def encode_file(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode("ascii")


def decode_file(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


# --- Start-up -------------------------------------------------------------------------------


def start(con, db_path: str, serve_command, *, schedule: bool = True) -> dict:
    """Start the command endpoint and (unless ``schedule`` is False) the scheduler for the
    database the dashboard holds. Call once per server process (ui/jobs.py does).

    ``serve_command`` answers a command line (``safetycore.__main__.serve_command``); it is
    passed in because the command line itself imports this module."""
    started: dict = {}
    if db.is_local_path(db_path):
        started["commands"] = CommandServer(con, db_path, serve_command).start()
    if schedule:
        scheduler = Scheduler(con)
        scheduler.start()
        started["scheduler"] = scheduler
    return started
