"""The yearly situation picture at scale: ``python -m benchmarks.yearly [--incidents N ...]``.

For each size (demo databases from ``benchmarks/databases/``, built once) it times the picture
itself (``yearly.yearly_picture``: the SQL aggregates, the effect evaluations of the year's
actions and the statistics) and the whole ``report --year`` command for JSON, HTML and PDF in
a fresh process (start-up and chart rendering included), and the files' sizes. Prints a
Markdown table for docs/benchmarks.md ("Yearly picture").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.__main__ import DEMO_END, ROOT, build_demo

YEAR = 2026


def picture_seconds(path: Path, runs: int = 3) -> tuple[float, float, float, int]:
    """(first, best of the rest) wall seconds of yearly_picture, the best CPU seconds, and its
    query count."""
    from safetycore import db, queries, yearly

    con = db.connect(str(path), read_only=True)
    try:

        def run(name, flt=None, **extra):
            return queries.run(con, name, flt, **extra)

        times, cpu = [], []
        queries.RECORDER = []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            yearly.yearly_picture(run, YEAR, today=dt.date.fromisoformat(DEMO_END))
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        count = len(queries.RECORDER) // runs
        queries.RECORDER = None
    finally:
        con.close()
    return times[0], min(times[1:] or times), min(cpu), count


def command(path: Path, fmt: str, work: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (the machine may be shared) and the file's bytes."""
    out = work / f"year.{fmt}"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "safetycore",
            "report",
            "--year",
            str(YEAR),
            "--db",
            str(path),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ},
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, nargs="+", default=[50_000, 1_000_000])
    args = parser.parse_args()
    print(
        "| incidents | picture: first / warm (CPU) | queries | JSON: wall (CPU), size "
        "| HTML: wall (CPU), size | PDF: wall (CPU), size |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for size in args.incidents:
        path, _ = build_demo(size)
        first, warm, cpu, n = picture_seconds(path)
        with tempfile.TemporaryDirectory() as tmp:
            cells = [
                f"{w:.1f} s ({c:.1f} s), {b / 1024:,.0f} KB"
                for w, c, b in (command(path, fmt, Path(tmp)) for fmt in ("json", "html", "pdf"))
            ]
        print(
            f"| {size:,} | {first:.2f} / {warm:.2f} s ({cpu:.2f} s) | {n} | "
            + " | ".join(cells)
            + " |"
        )


if __name__ == "__main__":
    main()
