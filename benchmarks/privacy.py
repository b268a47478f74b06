"""The privacy scrubber on a million short texts: ``python -m benchmarks.privacy [--n N]``.

The texts are what a week of reports looks like (places, times, dates, house numbers, counts),
every one distinct (a street number and a time vary), with one in a hundred holding a
personal identity number, a phone number, an e-mail address or a name. Measured: the
vectorised ``mask_series`` over a pandas Series, and ``scrub_table`` over a DuckDB column.
"""

from __future__ import annotations

import argparse
import time

import duckdb
import numpy as np
import pandas as pd

from safetycore import privacy

TEMPLATES = (
    "Klotter på väggen vid Storgatan {n}, upptäckt kl {h}.{m}",
    "Krossad ruta i busskuren, linje {n} avgår {h} {m}",
    "Ungdomar samlade vid torget, ca {n} personer, {h}:{m}",
    "Nedskräpning i parken den 2026-{mo}-{d}, {n} säckar",
    "Mopedåkning på gång- och cykelvägen nr {n} kl {h}{m}",
    "Trasig belysning i tunneln, ärende {n}{h}{m}{d}",
)
PII = (
    "Ring 070-{h}1 45 {m} om mer",
    "Pnr 19811218-9876 nämndes",
    "Mejla anna.berg{n}@kommun.se",
    "Eleven Kalle Svensson{n} sågs",
)


def texts(n: int, seed: int = 1) -> pd.Series:
    rng = np.random.default_rng(seed)
    kind = rng.integers(0, len(TEMPLATES), n)
    pii = rng.random(n) < 0.01
    nums, hours, mins = rng.integers(1, 300, n), rng.integers(0, 24, n), rng.integers(0, 60, n)
    months, days = rng.integers(1, 13, n), rng.integers(1, 29, n)
    out = []
    for i in range(n):
        values = {
            "n": nums[i],
            "h": f"{hours[i]:02d}",
            "m": f"{mins[i]:02d}",
            "mo": f"{months[i]:02d}",
            "d": f"{days[i]:02d}",
        }
        text = TEMPLATES[kind[i]].format(**values)
        if pii[i]:
            text += ". " + PII[i % len(PII)].format(**values)
        out.append(f"{text} (#{i})")  # every text distinct: no help from repeats
    return pd.Series(out, dtype=object)


def run(n: int) -> dict:
    series = texts(n)
    privacy.mask("070-123 45 67")  # the phone library reads its metadata on first use
    started, cpu = time.perf_counter(), time.process_time()
    masked = privacy.mask_series(series)
    series_s, series_cpu = time.perf_counter() - started, time.process_time() - cpu
    changed = int((masked.astype(object) != series).sum())
    con = duckdb.connect()
    con.register("_texts", pd.DataFrame({"description": series}))
    con.execute(
        "CREATE TABLE incidents AS SELECT description, CAST(NULL AS VARCHAR) AS place, "
        "CAST(NULL AS VARCHAR) AS category_raw FROM _texts"
    )
    started, cpu = time.perf_counter(), time.process_time()
    in_db = privacy.scrub_table(con, "incidents", "description")
    table_s, table_cpu = time.perf_counter() - started, time.process_time() - cpu
    candidates = int(privacy.candidates(series.tolist()).sum())
    return {
        "n": n,
        "series_s": series_s,
        "table_s": table_s,
        "series_cpu": series_cpu,
        "table_cpu": table_cpu,
        "changed": changed,
        "changed_in_db": in_db,
        "candidates": candidates,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    args = parser.parse_args()
    r = run(args.n)
    print(
        f"{r['n']:,} texts: mask_series {r['series_s']:.2f} s ({r['series_cpu']:.2f} s CPU), "
        f"scrub_table (DuckDB) {r['table_s']:.2f} s ({r['table_cpu']:.2f} s CPU); "
        f"{r['candidates']:,} read in Python, {r['changed']:,} masked "
        f"({r['changed_in_db']:,} in the table)"
    )


if __name__ == "__main__":
    main()
