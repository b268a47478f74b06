"""Page timings in one fresh process: ``python -m benchmarks.pages --db FILE [--runs N]``.

Prints one JSON object. Each page is run through AppTest (the whole app: entry script,
sidebar, page) with empty data caches ("cold") and again with warm caches ("warm"); the
queries a cold run made are then timed on their own straight against DuckDB, so the page's
own overhead shows as a ratio. Bytes are what the page sends for charts, maps and tables.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "pages/lagesbild.py",
    "pages/karta.py",
    "pages/trender.py",
    "pages/atgarder.py",
    "pages/rapportera.py",
    "pages/datakallor.py",
    "pages/handelser.py",
    "pages/arsrapport.py",
]


def payload_bytes(at) -> int:
    """Bytes of chart data, map specs and tables that this run sends to the browser."""
    total = 0
    for element in at.get("vega_lite_chart"):
        total += len(element.proto.spec)
        total += sum(len(d.data.data) for d in element.proto.datasets)
        total += len(element.proto.data.data)
    for element in at.get("deck_gl_json_chart"):
        total += len(element.proto.json)
    for element in at.dataframe:
        total += len(element.proto.arrow_data.data)
    return total


def _run_page(at, page: str) -> float:
    started = time.perf_counter()
    if page == PAGES[0]:
        at.run()
    else:
        at.switch_page(page)
        at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return elapsed


def measure(db_path: str, runs: int) -> dict:
    os.environ["SAFETY_DB"] = db_path
    from streamlit.testing.v1 import AppTest

    from safetycore import queries
    from ui import cache, data

    con = data.connection(db_path)  # opened once, as in the server process
    # One untimed pass over every page, so imports and first-use set-up are not counted as
    # "cold": cold means empty data caches in a running server, not a starting process.
    warmup = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    for page in PAGES:
        _run_page(warmup, page)
    results = {}
    for page in PAGES:
        cold, warm, query_sums, sizes = [], [], [], []
        per_query: dict[str, list[float]] = {}
        for _ in range(runs):
            # A session that has the page open (its scripts compiled, as a running server
            # compiles each once), then a view nobody has looked at: empty data caches.
            at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
            if page != PAGES[0]:
                at.run()  # the landing page first, as a person arrives; not timed
            _run_page(at, page)
            cache.clear_cached_results()
            queries.RECORDER = []
            cold.append(_run_page(at, page))
            recorded, queries.RECORDER = queries.RECORDER, None
            sizes.append(payload_bytes(at))
            warm.append(_run_page(at, page))
            # The same queries again, straight against DuckDB, without Streamlit.
            total = 0.0
            for name, flt, extra, _ in recorded:
                started = time.perf_counter()
                queries.run(con, name, flt, **extra)
                seconds = time.perf_counter() - started
                per_query.setdefault(name, []).append(seconds)
                total += seconds
            query_sums.append(total)
        # The slowest query on its own: the median of its straight runs (a page's cold run
        # also pays for Streamlit's thread switching while the query runs).
        slowest = max(
            ((name, statistics.median(times)) for name, times in per_query.items()),
            key=lambda r: r[1],
            default=("", 0),
        )
        results[page] = {
            "cold_s": statistics.median(cold),
            "warm_s": statistics.median(warm),
            "queries_s": statistics.median(query_sums),
            "queries": len(recorded),
            "slowest_query": slowest[0],
            "slowest_query_s": slowest[1],
            "payload_bytes": max(sizes),
        }
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"pages": results, "peak_rss_mb": peak_kib / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(measure(args.db, args.runs)))


if __name__ == "__main__":
    main()
