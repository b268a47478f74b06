"""The query layer: one ``.sql`` file per query in this folder, values always bound.

``run(con, "name", flt, **extra)`` reads ``name.sql``, binds the Filter's parameters plus the
extra ones (only those the SQL names), and returns a DataFrame. Each call runs on its own
cursor, so one connection can serve many threads.

``execute(con, "name", **params)`` runs a statement the same way (writes too) on the
connection or cursor it is given, so it joins that cursor's transaction, and returns DuckDB's
result for ``fetchone`` / ``fetchall`` when the statement reads or returns anything.
"""

from __future__ import annotations

import functools
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safetycore.filters import Filter

if TYPE_CHECKING:  # pandas is imported by the results, not to open a database
    import pandas as pd

QUERY_DIR = Path(__file__).resolve().parent
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")

# Results larger than this are a bug in the query, not something to send to a page.
MAX_ROWS = 5000

# When a list is set here, every run() appends (name, filter, extra, seconds): the benchmarks
# use it to time a page's queries on their own, against the page's whole run time.
RECORDER: list | None = None


@functools.cache
def load(name: str) -> tuple[str, frozenset[str]]:
    path = QUERY_DIR / f"{name}.sql"
    sql = path.read_text(encoding="utf-8")
    return sql, frozenset(_PARAM.findall(_strip_comments(sql)))


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def bind(name: str, flt: Filter | None = None, /, **extra) -> tuple[str, dict]:
    sql, wanted = load(name)
    values = dict(flt.params()) if flt is not None else {}
    values.update(extra)
    missing = wanted - values.keys()
    if missing:
        raise TypeError(f"Query {name} needs parameters {sorted(missing)}")
    return sql, {k: v for k, v in values.items() if k in wanted}


def run(con, name: str, flt: Filter | None = None, /, **extra) -> pd.DataFrame:
    sql, params = bind(name, flt, **extra)
    started = time.perf_counter()
    cur = con.cursor()
    try:
        frame = cur.execute(sql, params).df()
    finally:
        cur.close()
    if RECORDER is not None:
        RECORDER.append((name, flt, extra, time.perf_counter() - started))
    if len(frame) > MAX_ROWS:
        raise RuntimeError(
            f"Query {name} returned {len(frame)} rows; pages get at most {MAX_ROWS}."
        )
    return frame


def execute(con, name: str, /, **params: object) -> Any:
    """Run the statement in ``name.sql`` on ``con`` (a connection or an open cursor), with
    exactly the parameters it names bound; a missing one raises before anything runs.

    Returns what ``con.execute`` returns (DuckDB's result; a cursor for the sqlite3 connection
    a GeoPackage is read through)."""
    sql, values = bind(name, None, **params)
    return con.execute(sql, values)
