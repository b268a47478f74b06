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
    SKIP,
    Context,
    Parsed,
    empty_candidates,
    norm_key,
    parse_number,
    raw_from_frame,
    read_csv_strings,
    to_local,
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


def parse_times(values: pd.Series, formats: list[str]) -> tuple[pd.Series, np.ndarray]:
    """Times parsed with the first format that fits each value; and 'exact' or 'day'."""
    text = values.astype("string").str.strip()
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    precision = np.full(len(values), "exact", dtype=object)
    for fmt in formats:
        todo = result.isna() & text.notna()
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        parsed = to_local(parsed, "UTC") if isinstance(parsed.dtype, pd.DatetimeTZDtype) else parsed
        hit = parsed.notna()
        result.loc[hit[hit].index] = parsed[hit].astype("datetime64[us]")
        if "%H" not in fmt and "%I" not in fmt:
            precision[np.flatnonzero(todo.to_numpy())[hit.to_numpy()]] = "day"
    return result, precision


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


def parse(path: Path, ctx: Context, source: str, mapping: Mapping, fmt: str) -> Parsed:
    needed = mapping.needed_columns()
    expected = f"a {fmt.upper()} file with the columns {', '.join(needed)} (from the mapping)"
    if fmt == "xlsx":
        table = _xlsx_table(path, needed, expected)
    else:
        table = read_csv_strings(path, expected, tuple(needed))
    f = empty_candidates(len(table))
    if "first_row" in table.attrs:
        f["row"] = np.arange(len(table), dtype=np.int64) + table.attrs["first_row"]
    cols = mapping.columns

    def column(key: str) -> pd.Series | None:
        name = cols.get(key)
        if not name:
            return None
        if isinstance(name, list):
            parts = [table[c].fillna("").astype(str).str.strip() for c in name]
            joined = parts[0]
            for p in parts[1:]:
                joined = joined.str.cat(p, sep=" – ").str.strip(" –")
            return joined.replace("", None)
        return table[name]

    if (ids := column("id")) is not None:
        f["source_ref"] = ids.astype("string").str.strip().replace("", None).astype(object)
    raw_category = column("category").astype("string").str.strip()
    f["category_raw"] = raw_category.astype(object)
    as_category = raw_category.astype("category")
    f["category"] = as_category.map(
        lambda v: mapping.categories.get(norm_key(v))).astype(object).where(raw_category.notna(), None)
    times, precision = parse_times(column("time"), mapping.formats)
    if mapping.timezone and mapping.timezone != ctx.timezone:
        times = (times.dt.tz_localize(mapping.timezone, ambiguous="NaT", nonexistent="NaT")
                 .dt.tz_convert(ctx.timezone).dt.tz_localize(None))
    f["occurred_at"] = times.astype("datetime64[us]")
    f["time_precision"] = precision
    if cols.get("latitude"):
        f["lat"] = parse_number(column("latitude"))
        f["lon"] = parse_number(column("longitude"))
    f["location_precision"] = mapping.precision
    if (areas := column("area")) is not None:
        lookup = ctx.area_lookup()
        f["area_id"] = areas.astype("string").str.strip().str.casefold().map(lookup).astype(object)
        f["area_id"] = f["area_id"].where(f["area_id"].notna(), None)
        named = areas.notna().to_numpy() & f["area_id"].isna().to_numpy() & np.isnan(f["lat"].to_numpy())
        f.loc[named, "outcome"] = "rejected"
        f.loc[named, "reason"] = ["outside_areas: " + str(a) for a in areas[named]]
    if (place := column("place")) is not None:
        f["place"] = place.astype(object)
    if (description := column("description")) is not None:
        f["description"] = description.astype(object)
    return Parsed(frame=f, raw=raw_from_frame(table), format=fmt, source=source)
