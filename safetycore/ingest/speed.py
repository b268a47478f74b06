"""Import throughput: a synthetic CSV of N rows inside the database's areas, imported and timed.

    from safetycore.ingest.speed import measure
    measure("data/safety.duckdb", rows=1_000_000)   # -> {"rows": ..., "seconds": ..., ...}

The file looks like a security company's export (id, time, category, WGS84 coordinates,
place, comment); a few percent of rows are deliberately bad (unreadable time, unknown
category, outside the areas) so validation does real work.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from safetycore import db, geo
from safetycore.access import command_line_actor

MAPPING = {
    "source": "Speed test",
    "columns": {
        "id": "id",
        "time": "time",
        "category": "category",
        "latitude": "lat",
        "longitude": "lon",
        "place": "place",
        "description": "comment",
    },
    "time": {"formats": ["%Y-%m-%d %H:%M:%S"]},
}
CATEGORIES = ("vandalism", "graffiti", "littering", "disorder", "theft", "assault", "Klotter")


def write_synthetic_csv(path: str | Path, rows: int, areas: list[geo.Area], seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    union = shapely.union_all([a.geometry for a in areas])
    minx, miny, maxx, maxy = union.bounds
    # Points inside the areas (about 2 % outside, so the area check has something to refuse).
    shapely.prepare(union)
    lon = np.empty(0)
    lat = np.empty(0)
    while lon.size < rows:
        x = rng.uniform(minx, maxx, rows)
        y = rng.uniform(miny, maxy, rows)
        inside = shapely.contains_xy(union, x, y)
        lon, lat = np.concatenate([lon, x[inside]]), np.concatenate([lat, y[inside]])
    lon, lat = lon[:rows].round(6), lat[:rows].round(6)
    outside = rng.random(rows) < 0.02
    lon[outside], lat[outside] = 11.97, 57.70  # Gothenburg
    start = np.datetime64("2025-01-01T00:00:00")
    times = (start + rng.integers(0, 300 * 86400, rows).astype("timedelta64[s]")).astype(str)
    times = np.char.replace(times, "T", " ")
    bad_time = rng.random(rows) < 0.01
    times[bad_time] = "okänd"
    cats = np.array(CATEGORIES + ("Okänd",))[
        rng.choice(len(CATEGORIES) + 1, rows, p=[0.16] * 6 + [0.03, 0.01])
    ]
    frame = pd.DataFrame(
        {
            "id": np.char.add("S", np.arange(rows).astype(str)),
            "time": times,
            "category": cats,
            "lat": lat,
            "lon": lon,
            "place": np.array(["Stora torget", "Busstationen", "Skolgården"])[
                rng.integers(0, 3, rows)
            ],
            "comment": np.array(["", "Ungdomar samlades", "Krossad ruta"])[
                rng.integers(0, 3, rows)
            ],
        }
    )
    frame.to_csv(path, index=False)


def measure(db_path: str, rows: int = 1_000_000, seed: int = 1) -> dict:
    """Import ``rows`` synthetic rows into ``db_path`` (which it changes) and time it."""
    from safetycore.ingest import import_file

    con = db.connect(db_path)
    try:
        areas = geo.load_areas(con)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "speed.csv"
            write_synthetic_csv(path, rows, areas, seed)
            size = path.stat().st_size
            started = time.perf_counter()
            result = import_file(con, path, command_line_actor(), fmt="csv", mapping=MAPPING)
            seconds = time.perf_counter() - started
    finally:
        con.close()
    return {
        "rows": rows,
        "bytes": size,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds),
        **result.as_dict(),
    }
