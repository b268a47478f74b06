"""Generic CSV and XLSX files, read with a mapping file (TOML): which column holds what,
how times are written, and which values mean which category. See docs/importing.md and the
example data/mappings/nyc311.toml.

    source = "Securitas"                   # optional; --source overrides it
    [columns]
    id = "Ärendenr"                        # optional: rows without id get a content hash
    time = "Tidpunkt"                      # required
    category = "Händelsetyp"               # required
    latitude = "Lat"                       # latitude + longitude, and/or area
    longitude = "Lon"
    area = "Område"                        # an area name of this database
    place = "Adress"                       # optional
    description = ["Typ", "Kommentar"]     # optional; several columns are joined
    [time]
    formats = ["%Y-%m-%d %H:%M"]           # strftime formats, tried in order
    timezone = "Europe/Stockholm"          # optional: the zone the file's times are in
    [location]
    precision = "exact"                    # exact | street | locality
    [categories]                           # file value -> category code; "-" = not an incident
    "Klotter" = "graffiti"
    "Larm, falskt" = "-"

Values that already are category codes or their Swedish/English labels need no entry.
"""

from __future__ import annotations

import datetime as dt
import tomllib
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from safetycore.errors import UsageError
from safetycore.ingest.common import (
    RAW_MAX_CHARS,
    SKIP,
    Context,
    Parsed,
    load_csv_table,
    norm_key,
)
from safetycore.taxonomy import CATEGORIES

DEFAULT_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H.%M", "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M", "%Y-%m-%d",
)
COLUMN_KEYS = ("id", "time", "category", "latitude", "longitude", "area", "place", "description")
SECTIONS = {"source", "format", "columns", "time", "location", "categories"}
PRECISIONS = ("exact", "street", "locality")
DEFAULT_SOURCE = "imported"


class Mapping:
    def __init__(self, data: dict, origin: str = "the mapping"):
        unknown = set(data) - SECTIONS
        if unknown:
            raise UsageError(f"{origin}: unknown setting(s) {', '.join(sorted(unknown))}; "
                             f"expected {', '.join(sorted(SECTIONS))}.")
        columns = data.get("columns") or {}
        bad = set(columns) - set(COLUMN_KEYS)
        if bad:
            raise UsageError(f"{origin}: unknown column key(s) {', '.join(sorted(bad))}; "
                             f"use {', '.join(COLUMN_KEYS)}.")
        for key in ("time", "category"):
            if not columns.get(key):
                raise UsageError(f"{origin}: [columns] needs '{key}' (the column holding it).")
        if not (columns.get("latitude") and columns.get("longitude")) and not columns.get("area"):
            raise UsageError(f"{origin}: [columns] needs 'latitude' and 'longitude', or 'area'.")
        self.columns: dict[str, str | list[str]] = columns
        self.source: str | None = data.get("source")
        time = data.get("time") or {}
        formats = time.get("formats") or time.get("format") or list(DEFAULT_FORMATS)
        self.formats = [formats] if isinstance(formats, str) else list(formats)
        self.timezone: str | None = time.get("timezone")
        self.precision = (data.get("location") or {}).get("precision", "exact")
        if self.precision not in PRECISIONS:
            raise UsageError(f"{origin}: [location] precision must be one of {', '.join(PRECISIONS)}.")
        codes = {c.code for c in CATEGORIES}
        self.categories: dict[str, str] = {}
        for value, code in (data.get("categories") or {}).items():
            if code != SKIP and code not in codes:
                raise UsageError(f"{origin}: [categories] maps {value!r} to {code!r}, which is not "
                                 f"a category; use one of {', '.join(sorted(codes))} or \"-\".")
            self.categories[norm_key(value)] = code
        for c in CATEGORIES:  # codes and labels map to themselves unless the mapping says otherwise
            for label in (c.code, c.label_sv, c.label_en):
                self.categories.setdefault(norm_key(label), c.code)

    def needed_columns(self) -> list[str]:
        out: list[str] = []
        for value in self.columns.values():
            out.extend(value if isinstance(value, list) else [value])
        return out


def load_mapping(path: str | Path | None, *, required: bool = True) -> Mapping | None:
    if path is None:
        if required:
            raise UsageError("A CSV or XLSX file needs --mapping FILE.toml saying which column "
                             "holds what (see docs/importing.md and data/mappings/nyc311.toml).")
        return None
    if isinstance(path, dict):
        return Mapping(path)
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"Cannot read the mapping {path.name} as TOML: {exc}") from exc
    return Mapping(data, path.name)


def _xlsx_table(path: Path, needed: list[str], expected: str) -> pd.DataFrame:
    import openpyxl

    if not zipfile.is_zipfile(path):
        raise UsageError(f"{path.name} is not an XLSX workbook; expected {expected}.")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken workbooks
        raise UsageError(f"Cannot open {path.name} as XLSX ({exc}); expected {expected}.") from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = None
        skipped = 0
        for row in rows:
            names = [str(v).strip() if v is not None else "" for v in row]
            if set(needed) <= set(names):
                header = names
                break
            skipped += 1
            if skipped > 30:
                break
        if header is None:
            raise UsageError(f"{path.name}: no header row with the columns {', '.join(needed)} "
                             f"in the first 30 rows of the first sheet; expected {expected}.")
        records = [["" if v is None else _cell_text(v) for v in r] for r in rows]
    finally:
        book.close()
    width = len(header)
    records = [(r + [""] * width)[:width] for r in records if any(v != "" for v in r)]
    names = [h or f"column {i + 1}" for i, h in enumerate(header)]
    table = pd.DataFrame(records, columns=names, dtype=object).replace("", None)
    table.attrs["first_row"] = skipped + 2  # spreadsheet row number of the first data row
    return table


def _cell_text(value) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _load_table(cur, path: Path, needed: list[str], fmt: str, expected: str) -> int:
    """Put the file's cells (all text) into the temporary table ``_t``; returns the number of
    the first data row as the user sees it (spreadsheet row, or 1 for the first CSV row)."""
    if fmt == "xlsx":
        table = _xlsx_table(path, needed, expected)
        cur.register("_x", table)
        cur.execute("CREATE OR REPLACE TEMP TABLE _t AS SELECT *, CAST(NULL AS VARCHAR) AS __none FROM _x")
        cur.unregister("_x")
        return int(table.attrs.get("first_row", 2))
    load_csv_table(cur, path, expected)
    return 1


def parse(cur, path: Path, ctx: Context, source: str, mapping: Mapping, fmt: str) -> Parsed:
    """Read and convert in DuckDB, on the import's own cursor (text to times, numbers,
    categories, areas): the rows stay in the temporary table ``_cand`` and never pass through
    Python objects; a million rows take about two seconds."""
    import duckdb

    from safetycore import queries

    needed = mapping.needed_columns()
    expected = f"a {fmt.upper()} file with the columns {', '.join(needed)} (from the mapping)"
    first_row = _load_table(cur, path, needed, fmt, expected)
    present = [str(r[0]).strip() for r in cur.execute("SELECT column_name FROM (DESCRIBE _t)").fetchall()]
    missing = [c for c in needed if c not in present]
    if missing:
        raise UsageError(
            f"{path.name} lacks the column(s) {', '.join(missing)}; expected {expected}. "
            f"Its columns are: {', '.join(present[:-1][:20])}.")
    cur.register("_catmap", pd.DataFrame({"key": list(mapping.categories),
                                          "code": list(mapping.categories.values())}))
    lookup = ctx.area_lookup()
    cur.register("_areamap", pd.DataFrame({"key": list(lookup), "id": list(lookup.values())},
                                          dtype=object))
    # Row ids of a table made inside a transaction start at a large offset: positions count
    # from the first row.
    base = cur.execute("SELECT min(rowid) FROM _t").fetchall()[0][0] or 0
    cols = mapping.columns
    exact = [f for f in mapping.formats if "%H" in f or "%I" in f] or ["%Y-%m-%d %H:%M:%S"]
    day = [f for f in mapping.formats if not ("%H" in f or "%I" in f)] or ["%Y-%m-%d"]
    description = cols.get("description") or []
    sql, params = queries.bind(
        "ingest_tabular",
        id_col=cols.get("id") or "__none", category_col=cols["category"], time_col=cols["time"],
        lat_col=cols.get("latitude") or "__none", lon_col=cols.get("longitude") or "__none",
        area_col=cols.get("area") or "__none", place_col=cols.get("place") or "__none",
        description_cols=description if isinstance(description, list) else [description],
        exact_formats=exact, day_formats=day, first_row=first_row, base=base, precision=mapping.precision,
    )
    try:
        cur.execute(sql, params)
    except duckdb.Error as exc:
        raise UsageError(f"Cannot read {path.name}: {str(exc).splitlines()[0][:200]}") from exc
    if mapping.timezone and mapping.timezone != ctx.timezone:
        _convert_times(cur, mapping.timezone, ctx.timezone)
    raw_sql, _ = queries.bind("ingest_raw_rows", base=base)

    def raw(positions: np.ndarray) -> list[str]:
        cur.register("_positions", pd.DataFrame({"pos": np.asarray(positions, dtype=np.int64)}))
        return [r[0][:RAW_MAX_CHARS] for r in cur.execute(raw_sql, {"base": base}).fetchall()]

    return Parsed(frame=None, raw=raw, format=fmt, source=source)


def _convert_times(cur, file_zone: str, our_zone: str) -> None:
    """The file's wall-clock times into ours; times that do not exist or are ambiguous in the
    file's zone (the hours around a clock change) become unreadable, not guessed."""
    got = cur.execute("SELECT pos, occurred_at FROM _cand WHERE occurred_at IS NOT NULL").fetchnumpy()
    times = pd.Series(np.ma.filled(got["occurred_at"].astype("datetime64[us]"), np.datetime64("NaT")))
    local = (times.dt.tz_localize(file_zone, ambiguous="NaT", nonexistent="NaT")
             .dt.tz_convert(our_zone).dt.tz_localize(None).astype("datetime64[us]"))
    cur.register("_converted", pd.DataFrame({"pos": np.asarray(got["pos"]), "t": local}))
    cur.execute("UPDATE _cand SET occurred_at = c.t FROM _converted AS c WHERE _cand.pos = c.pos")
