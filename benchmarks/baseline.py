"""The common Streamlit pattern against ours, each in a fresh process.

``python -m benchmarks.baseline --db FILE --approach pandas|duckdb`` prints one JSON object.

* pandas: load the whole incidents table into a DataFrame once (what ``st.cache_data`` would
  keep), then compute the Lägesbild figures for a 28-day filter in pandas on every rerun.
* duckdb: ours: the same figures as SQL aggregates over the file, nothing loaded up front.

Both compute: events per kind this period and the previous one, events per ISO week and kind,
events per area group, and events per H3 cell (resolution 8) for the map.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import time

RERUNS = 5


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
        queries.run(con, "map_cells", flt, resolution=8)
        times.append(time.perf_counter() - started)
    return {"load_s": 0.0, "rerun_s": statistics.median(times)}


def run_pandas(db_path: str) -> dict:
    import numpy as np
    import pandas as pd

    from safetycore import db

    con = db.connect(db_path, read_only=True)
    flt = _filter(con)
    started = time.perf_counter()
    frame = con.execute("SELECT * FROM incidents").df()
    load = time.perf_counter() - started
    times = []
    for _ in range(RERUNS):
        started = time.perf_counter()
        params = flt.params()
        prev = flt.previous_period().params()
        now = frame[(frame["occurred_at"] >= params["start"]) & (frame["occurred_at"] < params["end"])]
        before = frame[(frame["occurred_at"] >= prev["start"]) & (frame["occurred_at"] < prev["end"])]
        now.groupby("kind").size()
        before.groupby("kind").size()
        now.groupby([now["occurred_at"].dt.to_period("W-SUN"), "kind"]).size()
        now.groupby("area_group_id").size()
        cells = now["h3_cell"].dropna().astype(np.uint64)
        res = np.uint64(8)
        parent = (cells & ~(np.uint64(15) << np.uint64(52))) | (res << np.uint64(52))
        parent = parent | ((np.uint64(1) << np.uint64(3 * (15 - 8))) - np.uint64(1))
        pd.Series(parent).value_counts()
        times.append(time.perf_counter() - started)
    return {"load_s": load, "rerun_s": statistics.median(times),
            "frame_mb": frame.memory_usage(deep=True).sum() / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--approach", choices=["pandas", "duckdb"], required=True)
    args = parser.parse_args()
    result = run_pandas(args.db) if args.approach == "pandas" else run_duckdb(args.db)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
