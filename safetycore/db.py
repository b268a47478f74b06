"""Connecting to the DuckDB file, migrating it, and writing in transactions.

Only one process can hold a DuckDB file for writing. The dashboard holds it for its whole
life; the command line therefore gets a clear ``DatabaseBusy`` instead of a raw lock error.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from safetycore import queries

SCHEMA_VERSION = 1
PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DEFAULT_DB_PATH = PROJECT_DIR / "data" / "safety.duckdb"


_commits_lock = threading.Lock()
_commits = 0  # write transactions committed by this process (see commits_in_this_process)


class DatabaseBusy(RuntimeError):
    """Another process (usually the running dashboard) holds the database file."""


class DatabaseMissing(FileNotFoundError):
    """The database file does not exist (and we were asked not to create it)."""


def default_db_path() -> str:
    """``$SAFETY_DB`` if set, else ``data/safety.duckdb`` in the project.

    The path is passed to DuckDB as is, so ``md:`` (MotherDuck) paths work too.
    """
    return os.environ.get("SAFETY_DB") or str(DEFAULT_DB_PATH)


def is_local_path(path: str) -> bool:
    return not (path.startswith("md:") or path.startswith("motherduck:") or path == ":memory:")


def db_exists(path: str) -> bool:
    return not is_local_path(path) or Path(path).exists()


def connect(path: str | None = None, *, read_only: bool = False, create: bool = True):
    """Open the database, create or migrate the schema, and define the query macros."""
    lent = getattr(_lent, "con", None)
    if lent is not None:  # answering a command in the process that holds the file
        return lent.cursor()
    path = path or default_db_path()
    if not create and not db_exists(path):
        raise DatabaseMissing(
            f"No database at {path}. Create one with 'python -m safetycore demo' or "
            "'python -m safetycore init'."
        )
    if is_local_path(path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(path, read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseBusy(
                f"The database {path} is in use by another process (probably the running "
                "dashboard). Stop it first, or use the dashboard's Data page, which writes "
                "through the dashboard's own connection."
            ) from exc
        raise
    if not read_only:
        migrate(con)
    elif meta_get(con, "macros_version") != macros_version():
        # The file's query macros are older than this program's (it was last opened for
        # writing by an earlier version) and a read-only connection cannot renew them: open
        # it for writing once to migrate, then read-only again as asked.
        con.close()
        connect(path, create=create).close()
        con = duckdb.connect(path, read_only=True)
    return con


@functools.cache  # the file is part of the program: read once per process
def macros_version() -> str:
    """A fingerprint of ``macros.sql``: recorded by ``migrate``, so a stale file is noticed."""
    text = (PACKAGE_DIR / "macros.sql").read_bytes()
    return hashlib.sha256(text).hexdigest()[:16]


def migrate(con) -> None:
    """Create missing tables and record the schema version. Idempotent."""
    con.execute((PACKAGE_DIR / "schema.sql").read_text(encoding="utf-8"))
    found = meta_get(con, "schema_version")
    if found is not None and int(found) > SCHEMA_VERSION:
        raise RuntimeError(
            f"The database has schema version {found}, newer than this program "
            f"({SCHEMA_VERSION}). Update the program."
        )
    queries.execute(con, "db_set_schema_version", v=str(SCHEMA_VERSION))
    queries.execute(con, "db_init_data_version")
    con.execute((PACKAGE_DIR / "macros.sql").read_text(encoding="utf-8"))
    meta_set(con, "macros_version", macros_version())
    scrub_if_needed(con)


def scrub_if_needed(con) -> dict[str, int] | None:
    """Mask personal data in every free-text column once, when the database was last scrubbed
    by an older version of the scrubber (or never: a database from before it); records
    ``meta.privacy_version``. One transaction; returns what changed, None when nothing ran."""
    from safetycore import privacy

    found = meta_get(con, "privacy_version")
    if found is not None and int(found) >= privacy.VERSION:
        return None
    cur = con.cursor()
    cur.begin()
    try:
        changed = privacy.scrub_database(cur)
        meta_set(cur, "privacy_version", str(privacy.VERSION))
        if any(changed.values()):
            queries.execute(cur, "db_bump_data_version")
        cur.commit()
    except BaseException:
        cur.rollback()
        raise
    finally:
        cur.close()
    _count_commit()
    return changed


def scalar(result) -> Any:
    """The first value of the first row of an executed query that always answers one row
    (``count(*)``, an ``INSERT ... RETURNING``)."""
    row = result.fetchone()
    if row is None:
        raise RuntimeError("The query answered no row.")
    return row[0]


def meta_get(con, key: str) -> str | None:
    row = queries.execute(con, "db_meta_value", key=key).fetchone()
    return row[0] if row else None


def meta_set(con, key: str, value: str) -> None:
    queries.execute(con, "db_set_meta_value", key=key, value=value)


def data_version(con) -> int:
    """A counter that goes up with every write transaction; part of every cache key."""
    value = meta_get(con, "data_version")
    return int(value) if value is not None else 0


def refresh_rollups(cur) -> None:
    """Rebuild the weekly rollup for exactly the weeks whose incidents changed.

    A week changed when its count or the sum of its incident ids differs from the fingerprint
    kept in rollup_weeks: this catches inserts, deletes and replacements by any writer, at
    the cost of one grouped scan of the incidents table per write transaction.
    """
    cur.execute((PACKAGE_DIR / "rollups.sql").read_text(encoding="utf-8"))


def commits_in_this_process() -> int:
    """How many write transactions this process has committed so far. A reader that keeps
    the data version it read knows it must read it again once this number has moved."""
    return _commits


def _count_commit() -> None:
    global _commits
    with _commits_lock:
        _commits += 1


@contextmanager
def transaction(con) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run a write as one transaction on its own cursor and bump ``data_version`` in it.

    Either everything in the block is committed together with the new data version, or
    nothing is (the block raised, or the process died before COMMIT).
    """
    cur = con.cursor()
    cur.begin()
    try:
        yield cur
        refresh_rollups(cur)
        queries.execute(cur, "db_bump_data_version")
        cur.commit()
        _count_commit()
    except BaseException:
        cur.rollback()
        raise
    finally:
        cur.close()


_lent = threading.local()


@contextmanager
def lent_connection(con) -> Iterator[None]:
    """Within this block, in this thread only, ``connect()`` hands out cursors of ``con``.

    How the running dashboard answers a read-only command (``info``, ``report`` …) for a
    process that cannot open the file it holds: the command runs unchanged in the dashboard's
    process, on its connection (see safetycore/jobs.py).
    """
    _lent.con = con
    try:
        yield
    finally:
        _lent.con = None
