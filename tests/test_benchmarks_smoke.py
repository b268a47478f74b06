"""A small run of the benchmark, so the command keeps working (figures belong in docs/)."""

import subprocess
import sys

from tests.conftest import ROOT


def test_benchmark_smoke_run_writes_a_report(tmp_path):
    out = tmp_path / "bench.md"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--incidents",
            "20000",
            "--runs",
            "1",
            "--import-rows",
            "20000",
            "--out",
            str(out),
            "--work",
            str(tmp_path / "work"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    assert "## 20,000 incidents" in report
    for page in ("lagesbild", "karta", "trender", "atgarder", "datakallor"):
        assert f"| {page} |" in report
    assert "the common pattern: `st.cache_data` loader" in report
    assert "pandas at its best: one frame shared without copying" in report
    assert "| ours (DuckDB SQL) |" in report
