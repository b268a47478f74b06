"""Import throughput: a generated CSV imported into a copy of a demo database."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def measure_import(rows: int, work: Path) -> dict:
    """Rows imported per second (validation, area assignment and H3 cells included)."""
    from benchmarks.demo_databases import build_demo
    from safetycore.ingest.speed import measure

    base, _ = build_demo(20_000, work)  # the areas are what matters; keep the copy small
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "import.duckdb"
        shutil.copyfile(base, target)
        return measure(str(target), rows=rows)
