"""`fetch polisen` against a real HTTP server on 127.0.0.1 serving the police events fixture."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from safetycore import db, fetch
from safetycore.__main__ import main
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "polisen_events_sample.json"


class PoliceAPI:
    """A local stand-in for polisen.se/api/events: answers from a script of responses."""

    def __init__(self):
        self.requests: list[dict] = []
        self.script: list[tuple[int, dict, bytes]] = []  # consumed in order; then the fixture
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802
                api.requests.append(
                    {
                        "path": self.path,
                        "at": time.time(),
                        "user_agent": self.headers.get("User-Agent"),
                    }
                )
                status, headers, body = (
                    api.script.pop(0) if api.script else (200, {}, FIXTURE.read_bytes())
                )
                self.send_response(status)
                for key, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/events"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def api():
    server = PoliceAPI()
    yield server
    server.close()


@pytest.fixture()
def norrtalje(tmp_path, monkeypatch) -> str:
    monkeypatch.setenv(fetch.INTERVAL_ENV, "0.3")
    monkeypatch.setenv(fetch.CONTACT_ENV, "trygghet@norrtalje.example")
    monkeypatch.delenv(fetch.URL_ENV, raising=False)
    path = str(tmp_path / "n.duckdb")
    assert main(["init", "--municipality", "0188", "--db", path]) == 0
    return path


def run(capsys, *argv) -> tuple[int, dict | None, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    out = captured.out.strip()
    return code, (json.loads(out) if out.startswith("{") else None), captured.err


def state_of(path: str) -> dict:
    con = db.connect(path, read_only=True, create=False)
    try:
        return fetch.load_state(con)
    finally:
        con.close()


def test_fetch_imports_what_is_new_and_keeps_the_interval(api, norrtalje, capsys, monkeypatch):
    monkeypatch.setenv(fetch.INTERVAL_ENV, "2")
    started = time.perf_counter()
    code, first, _ = run(capsys, "fetch", "polisen", "--db", norrtalje, "--url", api.url, "--json")
    seconds = time.perf_counter() - started
    assert code == 0
    # The same fields as `import --json`, from the usual import path.
    assert {"batch_id", "read", "imported", "duplicates", "rejected", "skipped"} <= first.keys()
    assert first["read"] == 405 and first["imported"] > 0 and first["duplicates"] == 0
    assert first["batch_id"] is not None and first["format"] == "polisen"
    assert first["reasons"]["outside_municipality"] > 0  # Stockholm's events are not Norrtälje's
    assert seconds < 5, f"a fetch of the fixture took {seconds:.2f} s"
    request = api.requests[0]
    assert request["path"] == "/api/events?locationname=Norrt%C3%A4lje"
    assert (
        request["user_agent"] == "Trygghetslaget/1.0 (Norrtälje kommun; trygghet@norrtalje.example)"
    )

    # Straight away: too soon (the interval is remembered in the database, across runs).
    code, waited, err = run(
        capsys, "fetch", "polisen", "--db", norrtalje, "--url", api.url, "--json"
    )
    assert code == 4 and waited["status"] == "wait" and waited["reason"] == "interval"
    assert (
        waited["imported"] == 0 and waited["batch_id"] is None and 0 < waited["wait_seconds"] <= 2
    )
    assert "between calls" in err
    assert len(api.requests) == 1  # the server was not asked

    time.sleep(max(0.0, api.requests[0]["at"] + 2.05 - time.time()))
    code, again, _ = run(capsys, "fetch", "polisen", "--db", norrtalje, "--url", api.url, "--json")
    assert code == 0
    assert (again["imported"], again["duplicates"]) == (0, first["imported"])  # nothing new
    gap = api.requests[1]["at"] - api.requests[0]["at"]
    assert gap >= 2
    with db.connect(norrtalje, read_only=True, create=False) as con:
        n = con.execute("SELECT count(*) FROM incidents WHERE source = 'police'").fetchone()[0]
    assert n == first["imported"]
    last = state_of(norrtalje)["last_run"]
    assert (last["status"], last["by"], last["imported"]) == ("ok", "command_line", 0)


def test_429_honours_retry_after_and_503_backs_off(api, norrtalje, capsys):
    api.script = [(429, {"Retry-After": "120"}, b"[]")]
    before = time.time()
    code, out, err = run(capsys, "fetch", "polisen", "--db", norrtalje, "--url", api.url, "--json")
    assert code == 4 and out["reason"] == "backoff"
    assert 119 <= out["wait_seconds"] <= 120 and "429" in err
    state = state_of(norrtalje)
    assert 119 <= state["not_before"] - before <= 121 and state["failures"] == 1
    # Remembered: the next run does not ask the server until the back-off has passed.
    code, out, _ = run(capsys, "fetch", "polisen", "--db", norrtalje, "--url", api.url, "--json")
    assert code == 4 and out["reason"] == "backoff" and len(api.requests) == 1

    # A 503 without Retry-After: exponential back-off (60 s after the first failure, doubling).
    con = db.connect(norrtalje)
    try:
        state = fetch.load_state(con)
        state.update(not_before=0.0, failures=0)
        fetch.save_state(con, state, time.time())
    finally:
        con.close()
    time.sleep(0.35)
    api.script = [(503, {}, b"Service Unavailable")]
    code, out, _ = run(capsys, "fetch", "polisen", "--db", norrtalje, "--url", api.url, "--json")
    assert code == 4 and 59 <= out["wait_seconds"] <= 60
    last = state_of(norrtalje)["last_run"]
    assert (last["status"], last["code"]) == ("wait", "http_5xx")
    assert len(api.requests) == 2


def test_hourly_limit_remembered_and_404_is_permanent(api, norrtalje, capsys):
    con = db.connect(norrtalje)
    try:
        now = time.time()
        state = fetch.load_state(con)
        state["calls"] = [now - 3000 + i for i in range(fetch.HOURLY_LIMIT)]  # 60 in this hour
        fetch.save_state(con, state, now)
    finally:
        con.close()
    code, out, _ = run(capsys, "fetch", "polisen", "--db", norrtalje, "--url", api.url, "--json")
    assert code == 4 and out["reason"] == "hourly" and 500 < out["wait_seconds"] < 700
    assert not api.requests

    con = db.connect(norrtalje)
    try:
        state = fetch.load_state(con)
        state["calls"] = []
        fetch.save_state(con, state, time.time())
    finally:
        con.close()
    api.script = [(404, {}, b"")]
    code, _, err = run(capsys, "fetch", "polisen", "--db", norrtalje, "--url", api.url)
    assert code == 2 and "404" in err
    time.sleep(0.35)
    code, _, err = run(capsys, "fetch", "polisen", "--db", norrtalje, "--url", api.url)
    assert code == 2 and "not asked again" in err
    assert len(api.requests) == 1


def test_exit_codes_for_usage_and_a_held_database(api, norrtalje, tmp_path, capsys):
    assert main(["fetch", "polisen", "--db", str(tmp_path / "none.duckdb"), "--url", api.url]) == 2
    assert main(["fetch", "polisen", "--db", norrtalje, "--url", "ftp://example.org/x"]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["fetch", "elsewhere", "--db", norrtalje])
    assert exc.value.code == 2
    # Another process holds the file: 3, and nothing was asked.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]); "
            "print('held', flush=True); time.sleep(60)",
            norrtalje,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "safetycore",
                "fetch",
                "polisen",
                "--db",
                norrtalje,
                "--url",
                api.url,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 3, proc.stderr
        assert "in use by another process" in proc.stderr
    finally:
        holder.kill()
        holder.wait()
    assert not api.requests
    capsys.readouterr()


def test_the_police_api_always_gets_ten_seconds(monkeypatch):
    monkeypatch.setenv(fetch.INTERVAL_ENV, "0.3")
    assert fetch.min_interval("https://polisen.se/api/events") == 10
    assert fetch.min_interval("http://127.0.0.1:8000/api/events") == 0.3
    monkeypatch.delenv(fetch.INTERVAL_ENV)
    assert fetch.min_interval("http://127.0.0.1:8000/api/events") == 10
    assert fetch.request_url(
        "https://polisen.se/api/events?locationname=Rimbo", "Norrtälje"
    ).endswith("locationname=Rimbo")
