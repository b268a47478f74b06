"""Scale benchmarks: ``python -m benchmarks [--incidents N ...] [--out docs/benchmarks.md]``.

For each size it builds the demo (timed), measures every page cold and warm through AppTest,
the raw DuckDB time of the same queries, the bytes sent to the browser, peak memory, the
pandas baseline, and import throughput, each in a fresh process; then writes a Markdown report.
Work files (the demo databases) go to ``benchmarks/databases/`` (git-ignored) and are reused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path

from benchmarks.demo_databases import DEMO_END, WORK, build_demo, run_python

TARGET_WARM_S = 0.3
TARGET_COLD_S = {1_000_000: 1.0, 10_000_000: 2.0}
TARGET_QUERY_S = 0.150
TARGET_PAYLOAD_BYTES = 5 * 2**20


def import_throughput(rows: int, work: Path) -> dict:
    """Seconds to import a generated CSV of ``rows`` events (validated, placed in areas)."""
    from benchmarks.importing import measure_import

    return measure_import(rows, work)


def machine() -> dict:
    import psutil

    versions = {
        name: metadata.version(name)
        for name in (
            "streamlit",
            "duckdb",
            "pandas",
            "pyarrow",
            "altair",
            "pydeck",
            "h3",
            "shapely",
        )
    }
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "versions": versions,
    }


def measure_size(size: int, runs: int, work: Path) -> dict:
    path, build_s = build_demo(size, work)
    pages = json.loads(run_python("-m", "benchmarks.pages", "--db", str(path), "--runs", str(runs)))
    baseline = {
        approach: json.loads(
            run_python("-m", "benchmarks.baseline", "--db", str(path), "--approach", approach)
        )
        for approach in ("cache-data", "shared-frame", "duckdb")
    }
    return {
        "size": size,
        "build_s": build_s,
        "pages": pages["pages"],
        "page_process_peak_rss_mb": pages["peak_rss_mb"],
        "baseline": baseline,
    }


def _ok(passed: bool) -> str:
    return "✅" if passed else "❌"


BASELINE_ROWS = {
    "cache-data": "pandas, the common pattern: `st.cache_data` loader, a copy per rerun",
    "shared-frame": "pandas at its best: one frame shared without copying",
}


def _baseline_table(baseline: dict) -> list[str]:
    ours = baseline["duckdb"]
    lines = [
        "Baseline: the whole incidents table loaded into pandas once and cached, the same "
        "figures (counts per kind against the previous period, per week, per area group, and "
        "the map's cells) computed in pandas on every rerun; ours: the same figures as SQL "
        "aggregates. *Faster* and *less memory* are the baseline's figure divided by ours.",
        "",
        "| approach | load (s) | per rerun (s) | peak memory (MB) | ours faster | ours less memory |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for approach, label in BASELINE_ROWS.items():
        pandas = baseline[approach]
        speedup = pandas["rerun_s"] / ours["rerun_s"] if ours["rerun_s"] else float("nan")
        memory = pandas["peak_rss_mb"] / ours["peak_rss_mb"]
        lines.append(
            f"| {label} | {pandas['load_s']:.2f} | {pandas['rerun_s']:.3f} | "
            f"{pandas['peak_rss_mb']:.0f} | **{speedup:.1f}×** | **{memory:.1f}×** |"
        )
    lines.append(
        f"| ours (DuckDB SQL) | – | {ours['rerun_s']:.3f} | {ours['peak_rss_mb']:.0f} | | |"
    )
    return lines


def render(results: list[dict], info: dict, imports: dict | None, runs: int) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Measured {dt.date.today().isoformat()} with `python -m benchmarks` on {info['cores']} cores, "
        f"{info['memory_gb']} GB memory ({info['cpu']}), Python {info['python']}; "
        + ", ".join(f"{k} {v}" for k, v in info["versions"].items())
        + ".",
        "",
        f"Demo data from the built-in generator (`python -m safetycore demo --end {DEMO_END}`), "
        "default filter (last 28 days, all areas). Page times are the median of "
        f"{runs} runs through Streamlit's AppTest (the whole app: entry script, sidebar and page). "
        "*Cold* = empty data caches (a filter nobody has looked at yet, in a session that has "
        "the page open: scripts compiled, as in a running server); *warm* = the same view "
        "again. *Queries* = the same SQL run straight against DuckDB, without Streamlit; "
        "*ratio* = cold page time / query time. *Payload* = chart data, map specs and tables sent "
        "to the browser.",
        "",
    ]
    for r in results:
        size = r["size"]
        cold_target = TARGET_COLD_S.get(size)
        lines += [
            f"## {size:,} incidents",
            "",
            f"Demo build: {r['build_s']:.1f} s. Peak memory of the page-measuring process: "
            f"{r['page_process_peak_rss_mb']:.0f} MB.",
            "",
            "| page | cold (s) | warm (s) | queries (s) | ratio | slowest query (s) | payload (KB) | targets |",
            "|---|---:|---:|---:|---:|---|---:|---|",
        ]
        for page, p in r["pages"].items():
            checks = [
                p["warm_s"] <= TARGET_WARM_S,
                p["payload_bytes"] <= TARGET_PAYLOAD_BYTES,
                p["slowest_query_s"] <= TARGET_QUERY_S or size < 10_000_000,
            ]
            if cold_target:
                checks.append(p["cold_s"] <= cold_target)
            ratio = p["cold_s"] / p["queries_s"] if p["queries_s"] > 0 else float("nan")
            lines.append(
                f"| {Path(page).stem} | {p['cold_s']:.3f} | {p['warm_s']:.3f} | "
                f"{p['queries_s']:.3f} | {ratio:.1f} | {p['slowest_query']} "
                f"{p['slowest_query_s']:.3f} | {p['payload_bytes'] / 1024:.0f} | {_ok(all(checks))} |"
            )
        lines += ["", *_baseline_table(r["baseline"]), ""]
    if imports:
        lines += [
            "## Import throughput",
            "",
            f"{imports['rows']:,} generated CSV rows imported, validated and assigned to areas "
            f"(`safetycore.ingest.speed.measure`, the same path as `python -m safetycore import`): "
            f"{imports['seconds']:.1f} s "
            f"({imports['rows'] / imports['seconds']:,.0f} rows/s).",
            "",
        ]
    lines += [
        "## Targets",
        "",
        f"Every page warm ≤ {TARGET_WARM_S} s; cold ≤ 1 s at 1M and ≤ 2 s at 10M incidents; any "
        f"single query ≤ {TARGET_QUERY_S * 1000:.0f} ms at 10M; payload ≤ 5 MB; at 10M at least "
        "10× faster than the pandas baseline (the common pattern) per rerun with at least 5× "
        "less memory. "
        "✅ / ❌ in the tables above mark each page against them.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--incidents", type=int, nargs="+", default=[50_000, 1_000_000, 10_000_000])
    parser.add_argument("--out", default="docs/benchmarks.md")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--work", default=str(WORK), help="where the demo databases are kept")
    args = parser.parse_args(argv)
    work = Path(args.work)
    results = []
    for size in args.incidents:
        print(f"measuring {size:,} incidents …", file=sys.stderr)
        results.append(measure_size(size, args.runs, work))
    imports = import_throughput(args.import_rows, work) if args.import_rows else None
    text = render(results, machine(), imports, args.runs)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
