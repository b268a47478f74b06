"""The demo databases the benchmarks measure, built once per size and reused.

Kept apart from ``benchmarks/__main__.py`` so every benchmark module can build a database
without importing the report writer (the imports flow one way).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "databases"
DEMO_END = "2026-11-20"  # fixed, so every run measures the same data


def run_python(*args: str, env: dict | None = None, timeout: int = 3600) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def build_demo(size: int, work: Path = WORK) -> tuple[Path, float]:
    """The demo database for this size, built once; returns its path and build seconds."""
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"demo-{size}.duckdb"
    timing = work / f"demo-{size}.json"
    if path.exists() and timing.exists():
        return path, json.loads(timing.read_text())["build_s"]
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    run_python(
        "-m", "safetycore", "demo", "--db", str(path), "--incidents", str(size), "--end", DEMO_END
    )
    seconds = time.perf_counter() - started
    timing.write_text(json.dumps({"build_s": seconds}))
    return path, seconds
