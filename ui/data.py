"""The dashboard's one database connection and its data version.

DuckDB refuses one connection used from two threads, and only one process can hold the
file, so the server process owns a single read-write connection (``st.cache_resource``) and
every query runs on its own ``cursor()``. Every cached result (``ui/cache.py``, the only door
pages and sections use for them) is keyed on the ``data_version`` read here: a write anywhere
bumps it, so every session sees the write on its next rerun. The version is read once per run
(see ``data_version``).

``con()`` stays here, outside the cache's door, for what must not be cached: writes (the
domain's write functions open ``db.transaction`` on it) and the few reads that must see the
database as it is at that moment. This module imports no other ``ui`` module, so the cache
can build on it without a cycle.
"""

from __future__ import annotations

import itertools
import threading

import streamlit as st

from safetycore import db

_build_lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def connection(path: str):
    """Open (and, when there is none, first build) the database for this server process."""
    with _build_lock:
        if not db.db_exists(path):
            from safetycore.demo import build_demo

            with st.spinner("…"):
                build_demo(path)
        return db.connect(path)


def db_path() -> str:
    return db.default_db_path()


def con():
    return connection(db_path())


_runs = itertools.count(1)
_RUN_KEY = "_run_number"
_VERSION_KEY = "_data_version_seen"


def start_run() -> None:
    """At the top of every script run: the run's number, so the data version is read afresh."""
    st.session_state[_RUN_KEY] = next(_runs)


def data_version() -> int:
    """The data version, part of every cache key: read once per script run, and again after
    a write in this process during the run. A run thus sees one version throughout, and the
    next run sees every write since, from any session or process."""
    seen = (st.session_state.get(_RUN_KEY), db.commits_in_this_process())
    cached = st.session_state.get(_VERSION_KEY)
    if cached is not None and cached[0] == seen:
        return cached[1]
    cur = con().cursor()
    try:
        version = db.data_version(cur)
    finally:
        cur.close()
    st.session_state[_VERSION_KEY] = (seen, version)
    return version
