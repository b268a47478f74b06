"""The dashboard's one database connection and the cached query wrappers.

DuckDB refuses one connection used from two threads, and only one process can hold the
file, so the server process owns a single read-write connection (``st.cache_resource``) and
every query runs on its own ``cursor()``. Cached wrappers take small hashable arguments plus
the current ``data_version``: a write anywhere bumps the version, so every session sees it
on its next rerun. The version is read once per run (see ``data_version``).

Cached results are kept once per server and shared by every session (``st.cache_resource``),
not unpickled into a copy per call (``st.cache_data``): a copy per session was kept alive by
each open browser tab with its last run (the area boundaries alone are a megabyte), and the
unpickling cost every rerun. Callers get a shallow copy: under pandas' copy-on-write a change
to it copies the changed data and never reaches the shared frame.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from safetycore import clock, db, queries
from safetycore.filters import Filter

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


@st.cache_resource(show_spinner=False, max_entries=1024)
def _cached_query(
    name: str, flt: Filter | None, version: int, extra: tuple, path: str
) -> pd.DataFrame:
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in extra}
    return queries.run(connection(path), name, flt, **params)


@dataclass(frozen=True)
class Keyed:
    """A query's frame with the key it was cached under. Caches that take it as an argument
    (ui/render.py) hash the key instead of the content: the area boundaries alone are a
    megabyte of GeoJSON text to hash on every rerun otherwise."""

    frame: pd.DataFrame
    key: tuple


def keyed_query(name: str, flt: Filter | None = None, **extra) -> Keyed:
    """The cached result of a query with the key it is cached under (see Keyed); pages that
    only read the frame use ``query``."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in extra.items()))
    key = (name, flt, data_version(), frozen, db_path())
    return Keyed(_cached_query(*key).copy(deep=False), key)


def query(name: str, flt: Filter | None = None, **extra) -> pd.DataFrame:
    """Run ``safetycore/queries/<name>.sql`` for the filter, cached until the next write.

    Extra parameters must be hashable scalars or tuples (lists are converted).
    """
    return keyed_query(name, flt, **extra).frame


# Caches kept by modules built on this one (ui.render's finished maps). They register here
# rather than being imported, so the imports flow one way: render uses data, never back.
_other_caches: list = []


def register_cache(clear) -> None:
    """Have ``clear_cached_results`` also call ``clear`` (a cache's own clear function)."""
    _other_caches.append(clear)


def clear_cached_results() -> None:
    """Forget every cached result, keeping the connection: for cold runs in benchmarks and
    for tests that open another database in the same process."""
    _cached_query.clear()
    _derived.clear()
    for clear in _other_caches:
        clear()
    st.cache_data.clear()


def qualified_name(fn) -> str:
    """A function's module and name: what the caches of computed results are keyed on (the
    function itself is not hashed)."""
    return f"{fn.__module__}.{fn.__qualname__}"


@st.cache_resource(show_spinner=False, max_entries=128)
def _derived(name: str, args: tuple, kwargs: dict, version: int, path: str, _fn) -> object:
    return _fn(query, *args, **kwargs)


def derived(fn, *args, **kwargs):
    """``fn(query, *args, **kwargs)``, cached until the next write.

    For pure computations over cached queries (e.g. the week's situation with its flags and
    standouts): a rerun that shows the same week again skips the computation too. The result
    is shared between sessions: read it, never change it in place.
    """
    return _derived(qualified_name(fn), args, kwargs, data_version(), db_path(), fn)


def derived_key(fn, *args, **kwargs) -> tuple:
    """The key ``derived(fn, *args, **kwargs)`` is cached under: for a cache built on that
    result (a finished map, ui/render.py) to hash through ``Keyed`` instead of its content."""
    return (qualified_name(fn), args, kwargs, data_version(), db_path())


@st.cache_data(show_spinner=False, max_entries=256)
def _memo(name: str, args: tuple, kwargs: dict, _fn) -> object:
    return _fn(*args, **kwargs)


def memo(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` for a pure function of small frames, cached on its inputs."""
    return _memo(qualified_name(fn), args, kwargs, fn)


@st.cache_data(show_spinner=False, max_entries=64)
def _meta(version: int, path: str) -> dict[str, str]:
    cur = connection(path).cursor()
    try:
        return dict(queries.execute(cur, "data_meta").fetchall())
    finally:
        cur.close()


def meta() -> dict[str, str]:
    return _meta(data_version(), db_path())


def is_demo() -> bool:
    return meta().get("demo") == "true"


def reference_date() -> dt.date:
    """'Today' for period presets: the demo's last day for demo data, else the real date."""
    return clock.reference_day(meta())
