"""The common Streamlit pattern against ours, each in a fresh process.

``python -m benchmarks.baseline --db FILE --approach cache-data|shared-frame|duckdb`` prints one
JSON object.

* cache-data: the common pattern. A function decorated with ``st.cache_data`` loads the whole
  incidents table into a DataFrame once; every rerun calls it and computes the figures for a
  28-day filter in pandas. ``st.cache_data`` keeps the frame pickled and hands each call its own
  unpickled copy, so that copy is part of every rerun (and of the memory).
* shared-frame: pandas at its best: the same frame kept once and shared without copying (as
  ``st.cache_resource`` would), only the figures computed per rerun.
* duckdb: ours: the same figures as SQL aggregates over the file, nothing loaded up front.

Both compute: events per kind this period and the previous one, events per ISO week and kind,
events per area group and kind, and for the map the placeable, non-sensitive events per H3 cell
(resolution 8) split by kind, with each cell's most frequent category and latest day.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import resource
import statistics
import time

RERUNS = 5
MAP_RESOLUTION = 8


def _filter(con):
    from safetycore.filters import Filter

    last = con.execute("SELECT CAST(max(occurred_at) AS DATE) FROM incidents").fetchone()[0]
    return Filter(start=last - dt.timedelta(days=27), end=last)


def run_duckdb(db_path: str) -> dict:
    from safetycore import db, queries

    con = db.connect(db_path, read_only=True)
    flt = _filter(con)
    times = []
    for _ in range(RERUNS):
        started = time.perf_counter()
        queries.run(con, "kpi_by_kind", flt)
        queries.run(con, "kpi_by_kind", flt.previous_period())
        queries.run(con, "weekly_by_kind", flt)
        queries.run(con, "counts_by_group", flt)
        queries.run(con, "map_cells", flt, resolution=MAP_RESOLUTION)
        times.append(time.perf_counter() - started)
    return {"load_s": 0.0, "rerun_s": statistics.median(times)}


def pandas_figures(frame, params: dict, prev: dict) -> dict:
    """The same figures as the SQL above, written the way a pandas user would (vectorised)."""
    import numpy as np

    now = frame[(frame["occurred_at"] >= params["start"]) & (frame["occurred_at"] < params["end"])]
    before = frame[(frame["occurred_at"] >= prev["start"]) & (frame["occurred_at"] < prev["end"])]
    figures = {
        "kpi": now.groupby("kind").size(),
        "kpi_previous": before.groupby("kind").size(),
        "weekly": now.groupby([now["occurred_at"].dt.to_period("W-SUN"), "kind"]).size(),
        "groups": now.groupby(["area_group_id", "kind"]).size().unstack(fill_value=0),
    }
    # map_cells: placeable, non-sensitive events per resolution-8 parent cell, split by kind,
    # with the cell's most frequent category and latest day.
    placed = now[
        now["h3_cell"].notna()
        & now["location_precision"].isin(["exact", "street"])
        & ~now["sensitive"]
    ]
    cells = placed["h3_cell"].astype(np.uint64)
    res = np.uint64(MAP_RESOLUTION)
    parent = (cells & ~(np.uint64(15) << np.uint64(52))) | (res << np.uint64(52))
    parent = parent | ((np.uint64(1) << np.uint64(3 * (15 - MAP_RESOLUTION))) - np.uint64(1))
    placed = placed.assign(
        cell=parent, incident=placed["kind"].eq("incident"), qol=placed["kind"].eq("qol")
    )
    per_cell = placed.groupby("cell").agg(
        n=("kind", "size"),
        incidents=("incident", "sum"),
        qol=("qol", "sum"),
        latest=("occurred_at", "max"),
    )
    per_category = placed.groupby(["cell", "category"]).size().rename("c")
    top = (
        per_category.reset_index()
        .sort_values(["cell", "c"])
        .drop_duplicates("cell", keep="last")
        .set_index("cell")
    )
    per_cell["top_category"] = top["category"]
    per_cell["latest"] = per_cell["latest"].dt.normalize()
    figures["cell_categories"] = per_category
    figures["cells"] = per_cell.sort_values("n", ascending=False).head(5000)
    return figures


LOADS: list[str] = []  # every real load of the table, so a test can tell a cache hit from one


def _load_incidents(db_path: str):
    from safetycore import db

    LOADS.append(db_path)
    return db.connect(db_path, read_only=True).execute("SELECT * FROM incidents").df()


def cached_loader():
    """The loader as the common pattern writes it: ``@st.cache_data`` on the load function."""
    import logging

    import streamlit as st

    # Outside a server Streamlit warns that there is no script run and that it falls back to
    # its in-memory cache, the same one a server uses by default (pickled values in memory).
    for name in ("caching.cache_data_api", "scriptrunner_utils.script_run_context"):
        logging.getLogger(f"streamlit.runtime.{name}").setLevel(logging.ERROR)
    return st.cache_data(_load_incidents)


def run_pandas(db_path: str, approach: str) -> dict:
    from safetycore import db

    flt = _filter(db.connect(db_path, read_only=True))
    started = time.perf_counter()
    if approach == "cache-data":
        get_frame = functools.partial(cached_loader(), db_path)
    else:
        shared = _load_incidents(db_path)

        def get_frame():
            return shared

    frame = get_frame()  # the first run: loaded (with cache-data also pickled into the cache)
    load = time.perf_counter() - started
    frame_mb = frame.memory_usage(deep=True).sum() / 2**20
    del frame  # a run's frame is let go when the run ends, as in a server
    times = []
    for _ in range(RERUNS):
        started = time.perf_counter()
        pandas_figures(get_frame(), flt.params(), flt.previous_period().params())
        times.append(time.perf_counter() - started)
    return {
        "load_s": load,
        "rerun_s": statistics.median(times),
        "frame_mb": frame_mb,
        "loads": len(LOADS),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument(
        "--approach", choices=["cache-data", "shared-frame", "duckdb"], required=True
    )
    args = parser.parse_args()
    result = (
        run_duckdb(args.db) if args.approach == "duckdb" else run_pandas(args.db, args.approach)
    )
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
