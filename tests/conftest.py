"""Shared fixtures: one demo database per test session, AppTest and browser helpers.

The demo is built once (fixed end date and seed, so figures are reproducible) into a
pristine file that is never opened again; tests get copies, so a test that writes cannot
change what another one sees, and the browser's server process holds its own file.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO_END = dt.date(2026, 11, 20)
DEMO_SEED = 7
DEMO_INCIDENTS = 30_000


@pytest.fixture(scope="session")
def pristine_db(tmp_path_factory) -> Path:
    from safetycore.demo import build_demo

    path = tmp_path_factory.mktemp("pristine") / "demo.duckdb"
    build_demo(str(path), incidents=DEMO_INCIDENTS, seed=DEMO_SEED, end=DEMO_END)
    return path


def copy_db(source: Path, target_dir: Path, name: str = "safety.duckdb") -> Path:
    target = target_dir / name
    shutil.copyfile(source, target)
    return target


@pytest.fixture(scope="session")
def demo_db(pristine_db, tmp_path_factory) -> Path:
    """A demo database shared by read-only unit tests and AppTests (in this process)."""
    return copy_db(pristine_db, tmp_path_factory.mktemp("shared"))


@pytest.fixture(scope="session")
def demo_con(demo_db):
    from safetycore import db

    con = db.connect(str(demo_db))
    yield con
    con.close()


@pytest.fixture()
def fresh_db(pristine_db, tmp_path) -> Path:
    """A private copy of the demo for a test that writes."""
    return copy_db(pristine_db, tmp_path)


def run_app(
    page: str | None = None,
    *,
    query_params: dict | None = None,
    secrets: dict | None = None,
    user: dict | None = None,
):
    """A run AppTest of the whole app (entry point, sidebar, navigation), on ``page``."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in (query_params or {}).items():
        at.query_params[key] = value
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    if user is not None:
        at.user = user
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture()
def app(demo_db, monkeypatch):
    """``run_app`` over the shared demo; keyword arguments become query parameters."""
    monkeypatch.setenv("SAFETY_DB", str(demo_db))

    def make(page: str | None = None, **query_params):
        return run_app(page, query_params=query_params)

    return make


def pytest_collection_modifyitems(config, items):
    """Browser tests are skipped when there is no chromium, except in CI where that fails."""
    if Path("/usr/bin/chromium").exists():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(
            "CI=true but /usr/bin/chromium is missing: .ci/run must install Debian's chromium."
        )
    skip = pytest.mark.skip(reason="Debian's chromium (/usr/bin/chromium) is not installed")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
