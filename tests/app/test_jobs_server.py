"""Work beside the running dashboard, with a real server process: the scheduled police fetch
runs in it, and read-only commands are answered by it while it holds the database."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from safetycore import db, jobs
from safetycore.__main__ import main
from safetycore.access import Actor
from tests.conftest import ROOT
from tests.unit.test_fetch import PoliceAPI


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_page_view(port: int) -> None:
    """What a browser does on opening the app: one script run over the websocket."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    with connect(
        f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], open_timeout=20
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        ws.send(msg.SerializeToString())
        deadline = time.time() + 90
        while time.time() < deadline:
            if ForwardMsg.FromString(ws.recv(timeout=90)).WhichOneof("type") == "script_finished":
                return
    raise AssertionError("the first run did not finish")


def cli(*argv) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "safetycore", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture()
def api():
    server = PoliceAPI()
    yield server
    server.close()


def test_scheduled_fetch_and_commands_while_the_dashboard_runs(tmp_path, api):
    path = str(tmp_path / "n.duckdb")
    assert main(["init", "--municipality", "0188", "--db", path]) == 0
    con = db.connect(path)
    try:  # an admin switched the hourly fetch on (the first run is due at once)
        jobs.set_schedule(
            con, Actor("admin@kommun.se", role="admin"), enabled=True, every_minutes=60
        )
    finally:
        con.close()
    port = free_port()
    env = {
        **os.environ,
        "SAFETY_DB": path,
        "SAFETY_POLISEN_URL": api.url,
        "SAFETY_POLISEN_MIN_INTERVAL": "0.3",
        "SAFETY_JOBS_TICK": "0.3",
        "SAFETY_CONTACT": "trygghet@norrtalje.example",
        "TZ": "UTC",
    }
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboard.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    endpoint = jobs.endpoint_file(path)
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert time.time() < deadline and server.poll() is None, "server did not start"
                time.sleep(0.3)
        first_page_view(port)
        assert endpoint.is_file()
        assert stat.S_IMODE(endpoint.stat().st_mode) == 0o600

        # The scheduled fetch ran in the server process and imported the fixture's events.
        deadline = time.time() + 60
        while not api.requests:
            assert time.time() < deadline, "the scheduled fetch did not run"
            time.sleep(0.2)
        assert api.requests[0]["path"] == "/api/events?locationname=Norrt%C3%A4lje"
        deadline = time.time() + 60
        while True:
            served = cli("info", "--db", path, "--json")
            assert served.returncode == 0, served.stderr  # answered, not "held" (3)
            info = json.loads(served.stdout)
            if info["counts"]["import_batches"]:
                break
            assert time.time() < deadline, "the scheduled fetch imported nothing"
            time.sleep(0.3)
        assert info["counts"]["incidents"] > 0
        time.sleep(1.0)  # hourly: no second call
        assert len(api.requests) == 1

        # A report, written by the asking process from what the server made.
        out = tmp_path / "report.html"
        made = cli("report", "--week", "2026-W48", "--db", path, "--out", str(out))
        assert made.returncode == 0, made.stderr
        assert str(out) in made.stdout and "<html" in out.read_text(encoding="utf-8")

        # A write still says the database is held; the endpoint wants its token.
        held = cli("fetch", "polisen", "--db", path)
        assert held.returncode == 3 and "in use by another process" in held.stderr
        port_of_endpoint = json.loads(endpoint.read_text(encoding="utf-8"))["port"]
        request = urllib.request.Request(
            f"http://127.0.0.1:{port_of_endpoint}/command",
            method="POST",
            data=json.dumps({"argv": ["info", "--db", path]}).encode(),
            headers={"Authorization": "Bearer wrong"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 401
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    assert not endpoint.exists()  # removed when the server stops
    direct = cli("info", "--db", path, "--json")
    assert direct.returncode == 0
    assert json.loads(direct.stdout) == info  # the same output as when nothing holds the file
    con = db.connect(path, read_only=True, create=False)
    try:
        from safetycore import fetch

        last = fetch.load_state(con)["last_run"]
    finally:
        con.close()
    assert (last["by"], last["status"], last["imported"]) == (
        "schedule",
        "ok",
        info["counts"]["incidents"],
    )
