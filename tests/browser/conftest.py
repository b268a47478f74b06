"""The real Streamlit server on a free port, driven by Debian's chromium through Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_db

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--use-gl=swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    db_path: Path,
    port: int,
    extra_env: dict | None = None,
    extra_args: list[str] | None = None,
    module: str = "streamlit",
) -> subprocess.Popen:
    env = {**os.environ, "SAFETY_DB": str(db_path), **(extra_env or {})}
    cmd = [
        sys.executable,
        "-m",
        module,
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
        *(extra_args or []),
    ]
    log = open(ARTIFACTS / f"server-{port}.log", "w")  # noqa: SIM115 (closed with the process)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("streamlit did not become healthy within 60 s")


@contextmanager
def serve_copy(
    pristine_db: Path,
    directory: Path,
    *,
    port: int | None = None,
    extra_env: dict | None = None,
    extra_args: list[str] | None = None,
):
    """The real server over a private copy of the demo (so a test may write); yields its URL."""
    ARTIFACTS.mkdir(exist_ok=True)
    db_path = copy_db(pristine_db, directory)
    port = port or free_port()
    proc = start_server(db_path, port, extra_env, extra_args)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def server(pristine_db, tmp_path_factory):
    with serve_copy(pristine_db, tmp_path_factory.mktemp("browser")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    tab = context.new_page()
    yield tab
    context.close()


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished the current run (no running indicator, app drawn)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            if (!app) return false;
            const running = document.querySelector('[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"], [data-testid="stStatusWidgetRunningManIcon"]');
            const skeleton = document.querySelector('[data-testid="stSkeleton"]');
            return app.getAttribute('data-test-script-state') === 'notRunning' && !running && !skeleton;
        }""",
        timeout=timeout,
    )
    page.wait_for_timeout(100)  # the last element's paint after the run's final message


def track_rerun_requests(page) -> list:
    """Collect the rerun requests the page sends to the server; call before page.goto.

    Read from the websocket's own messages, which is exact: the app's running state in the
    DOM can miss a short run (React may draw its start and end as one update)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    sent: list = []

    def on_frame(payload) -> None:
        if isinstance(payload, bytes | bytearray):
            message = BackMsg.FromString(bytes(payload))
            if message.WhichOneof("type") == "rerun_script":
                sent.append(message.rerun_script)

    page.on("websocket", lambda ws: ws.on("framesent", on_frame))
    return sent


def wait_for_rerun_request(page, sent: list, count: int, timeout_s: float = 60) -> None:
    """Wait until ``sent`` (from track_rerun_requests) holds more than ``count`` requests and
    the run they asked for has finished."""
    deadline = time.monotonic() + timeout_s
    while len(sent) <= count:
        assert time.monotonic() < deadline, f"no rerun request after the {count} before"
        page.wait_for_timeout(50)  # lets Playwright deliver the websocket events
    page.wait_for_timeout(250)  # the run may not have started yet
    wait_for_app(page)


def snap(page, name: str) -> None:
    """Save a screenshot under test-artifacts/ (kept by CI) to look at."""
    page.wait_for_timeout(400)  # let charts and maps paint
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), timeout=90_000)


def assert_no_exception(page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()
