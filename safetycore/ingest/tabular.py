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
    cost = "Kostnad"                       # optional: repair/cleaning cost, "1 234,50 kr"
    involved = "Inblandade"                # optional: youth | adults | mixed | unknown
    people = "Antal"                       # optional: about how many people ("ca 5")
    [time]
    formats = ["%Y-%m-%d %H:%M"]           # strftime formats, tried in order
    timezone = "Europe/Stockholm"          # optional: the zone the file's times are in
    [location]
    precision = "exact"                    # exact | street | locality
    [categories]                           # file value -> category code; "-" = not an incident
    "Klotter" = "graffiti"
    "Larm, falskt" = "-"
    [involved]                             # file value -> youth | adults | mixed | unknown
    "Elever" = "youth"

Values that already are category codes or their Swedish/English labels need no entry (the
same for the involved groups: "Unga", "Vuxna", "Okänt" ...).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from safetycore import queries
from safetycore.errors import UsageError
from safetycore.ingest import limits, refused
from safetycore.ingest.common import (
    SKIP,
    Context,
    Parsed,
    check_text_file,
    load_csv_table,
    norm_key,
)
from safetycore.involvement import INVOLVED, MAX_COST_SEK, MAX_PEOPLE, involved_value_map
from safetycore.taxonomy import CATEGORIES

DEFAULT_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H.%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
)
# The always-empty column of the table read from the file: what an absent column key reads.
NONE_COLUMN = "__none"


@dataclass(frozen=True)
class ColumnKey:
    """A ``[columns]`` key: what its column holds (for messages), whether the mapping must
    name it, and whether it may name several columns (joined with ' – ')."""

    holds: str
    required: bool = False
    several: bool = False


# Every [columns] key. A key that is not required may be left out: it reads as empty. A new
# key is one line here; ingest_tabular.sql reads it as ``$<key>_col`` (``$<key>_cols`` for
# one that takes several columns).
COLUMNS = {
    "id": ColumnKey("the event's id in the source"),
    "time": ColumnKey("the event's time", required=True),
    "category": ColumnKey("the event's type", required=True),
    "latitude": ColumnKey("the latitude (WGS84)"),
    "longitude": ColumnKey("the longitude (WGS84)"),
    "area": ColumnKey("an area name of this database"),
    "place": ColumnKey("the place or address"),
    "description": ColumnKey("the free text", several=True),
    "cost": ColumnKey("the repair or cleaning cost in kronor"),
    "involved": ColumnKey("who was involved (youth, adults, mixed, unknown)"),
    "people": ColumnKey("about how many people were involved"),
}
COLUMN_KEYS = tuple(COLUMNS)
# Top-level settings and the keys of each section.
SECTIONS = {"source", "format", "columns", "time", "location", "categories", "involved"}
SECTION_KEYS = {"time": {"formats", "format", "timezone", "earliest"}, "location": {"precision"}}
PRECISIONS = ("exact", "street", "locality")
DEFAULT_SOURCE = "imported"


class Mapping:
    def __init__(self, data: dict, origin: str = "the mapping"):
        self.origin = origin
        if not isinstance(data, dict):
            raise self._wrong("the mapping", "a TOML table of settings", data)
        unknown = set(data) - SECTIONS
        if unknown:
            raise UsageError(
                f"{origin}: unknown setting(s) {', '.join(sorted(unknown))}; "
                f"expected {', '.join(sorted(SECTIONS))}."
            )
        columns = self._table(data, "columns")
        bad = set(columns) - set(COLUMNS)
        if bad:
            raise UsageError(
                f"{origin}: unknown column key(s) {', '.join(sorted(bad))}; "
                f"use {', '.join(COLUMN_KEYS)}."
            )
        for key, value in columns.items():
            self._check_column(key, value)
        for key, spec in COLUMNS.items():
            if spec.required and not columns.get(key):
                raise UsageError(
                    f"{origin}: [columns] needs '{key}' (the column holding {spec.holds})."
                )
        if not (columns.get("latitude") and columns.get("longitude")) and not columns.get("area"):
            raise UsageError(f"{origin}: [columns] needs 'latitude' and 'longitude', or 'area'.")
        self.columns: dict[str, str | list[str]] = columns
        self.source: str | None = self._text(data, "source", 'the source name, e.g. "Securitas"')
        self._text(data, "format", "a format name")
        time = self._table(data, "time")
        formats = time.get("formats", time.get("format")) or list(DEFAULT_FORMATS)
        self.formats = [formats] if isinstance(formats, str) else formats
        self._check_formats()
        self.timezone: str | None = self._text(
            time, "timezone", 'a time zone such as "Europe/Stockholm"', "[time] timezone"
        )
        if self.timezone is not None:
            self._check_timezone()
        self.earliest: dt.date | None = None
        if time.get("earliest") is not None:
            self.earliest = limits.earliest_date(time["earliest"], f"{origin}: [time] earliest")
        location = self._table(data, "location")
        self.precision = location.get("precision", "exact")
        if self.precision not in PRECISIONS:
            raise UsageError(
                f"{origin}: [location] precision must be one of "
                f"{', '.join(PRECISIONS)}, not {self.precision!r}."
            )
        codes = {c.code for c in CATEGORIES}
        self.categories: dict[str, str] = {}
        for value, code in self._table(data, "categories").items():
            if not isinstance(code, str) or (code != SKIP and code not in codes):
                raise UsageError(
                    f"{origin}: [categories] maps {value!r} to {code!r}, which is not "
                    f'a category; use one of {", ".join(sorted(codes))} or "-".'
                )
            self.categories[norm_key(value)] = code
        for c in CATEGORIES:  # codes and labels map to themselves unless the mapping says otherwise
            for label in (c.code, c.label_sv, c.label_en):
                self.categories.setdefault(norm_key(label), c.code)
        own: dict[str, str] = {}
        for value, code in self._table(data, "involved").items():
            if not isinstance(code, str) or code not in INVOLVED:
                raise UsageError(
                    f"{origin}: [involved] maps {value!r} to {code!r}; use one of "
                    f"{', '.join(INVOLVED)}."
                )
            own[value] = code
        self.involved: dict[str, str] = {norm_key(k): v for k, v in involved_value_map(own).items()}

    # --- reading the settings, each checked for its type ---

    def _wrong(self, where: str, should: str, got) -> UsageError:
        shown = repr(got) if not isinstance(got, dict) else "a table"
        return limits.FileRefused(
            f"{self.origin}: {where} must be {should}, not {shown[:60]}. Correct the mapping "
            "file (see docs/importing.md) and import again.",
            "mapping_value",
            mapping=self.origin,
            key=where,
            should=should,
            got=shown[:60],
        )

    def _table(self, data: dict, name: str) -> dict:
        value = data.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self._wrong(
                f"[{name}]",
                f"a section ([{name}] on a line of its own, followed by its keys)",
                value,
            )
        allowed = SECTION_KEYS.get(name)
        if allowed is not None and set(value) - allowed:
            raise UsageError(
                f"{self.origin}: unknown key(s) in [{name}]: "
                f"{', '.join(sorted(set(value) - allowed))}; use "
                f"{', '.join(sorted(allowed))}."
            )
        return value

    def _text(self, data: dict, key: str, should: str, where: str | None = None) -> str | None:
        value = data.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise self._wrong(where or key, should, value)
        return value

    def _check_column(self, key: str, value) -> None:
        spec = COLUMNS[key]
        if isinstance(value, str) and value.strip():
            return
        if (
            spec.several
            and isinstance(value, list)
            and value
            and all(isinstance(v, str) and v.strip() for v in value)
        ):
            return
        should = (
            "a column name (text) or a list of column names"
            if spec.several
            else "a column name (text)"
        )
        raise self._wrong(f"[columns] {key}", f"{should}: the column holding {spec.holds}", value)

    def _check_formats(self) -> None:
        import duckdb

        where = "[time] formats"
        should = 'a time format such as "%Y-%m-%d %H:%M", or a list of them'
        if not isinstance(self.formats, list) or not self.formats:
            raise self._wrong(where, should, self.formats)
        probe = duckdb.connect()
        try:
            for fmt in self.formats:
                if not isinstance(fmt, str) or not re.search(r"%[A-Za-z]", fmt):
                    raise self._wrong(where, should, fmt)
                try:
                    queries.execute(probe, "ingest_try_time_format", f=fmt)
                except duckdb.Error as exc:
                    raise self._wrong(
                        where, should + f" ({str(exc).splitlines()[0][:80]})", fmt
                    ) from exc
        finally:
            probe.close()

    def _check_timezone(self) -> None:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(str(self.timezone))
        except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):
            raise self._wrong(
                "[time] timezone",
                'a time zone such as "Europe/Stockholm" '
                "(the IANA names: Europe/London, America/New_York ...)",
                self.timezone,
            ) from None

    # --- what the reading needs ---

    def column(self, key: str) -> str:
        """The column named for ``key``, or the always-empty column when there is none."""
        value = self.columns.get(key)
        if isinstance(value, list):
            return value[0]
        return value or NONE_COLUMN

    def column_list(self, key: str) -> list[str]:
        value = self.columns.get(key)
        if not value:
            return [NONE_COLUMN]
        return value if isinstance(value, list) else [value]

    def column_params(self) -> dict:
        """``<key>_col`` (or ``<key>_cols``) for every column key, for ingest_tabular.sql."""
        return {
            f"{key}_cols" if spec.several else f"{key}_col": self.column_list(key)
            if spec.several
            else self.column(key)
            for key, spec in COLUMNS.items()
        }

    def needed_columns(self) -> list[str]:
        out: list[str] = []
        for value in self.columns.values():
            out.extend(value if isinstance(value, list) else [value])
        return out


def load_mapping(path: str | Path | None, *, required: bool = True) -> Mapping | None:
    if path is None:
        if required:
            raise UsageError(
                "A CSV or XLSX file needs --mapping FILE.toml saying which column "
                "holds what (see docs/importing.md and data/mappings/nyc311.toml)."
            )
        return None
    if isinstance(path, Mapping):
        return path
    if isinstance(path, dict):
        return Mapping(path)
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"Cannot read the mapping {path.name} as TOML: {exc}") from exc
    return Mapping(data, path.name)


def _xlsx_table(path: Path, needed: list[str], expected: str) -> pd.DataFrame:
    """The first sheet's cells as text, within bounds: the workbook's parts are sized and the
    sheet's cells counted before openpyxl parses anything, the sheet's declared dimension is
    not trusted (a tiny file can declare 16,384 columns × 1,048,576 rows), at most
    ``MAX_COLUMNS`` columns are read and at most ``XLSX_MAX_CELLS`` cells kept."""
    import openpyxl

    if not zipfile.is_zipfile(path):
        raise UsageError(f"{path.name} is not an XLSX workbook; expected {expected}.")
    try:
        with zipfile.ZipFile(path) as archive:
            limits.check_xlsx_archive(path, archive)
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except UsageError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for broken workbooks
        raise UsageError(f"Cannot open {path.name} as XLSX ({exc}); expected {expected}.") from exc
    try:
        if not book.worksheets:
            raise UsageError(f"{path.name} has no sheet; expected {expected}.")
        sheet = book.worksheets[0]
        member = getattr(sheet, "_worksheet_path", None)
        if member:
            limits.check_xlsx_sheet(path, book._archive, member)
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # rows as they are in the file, not as declared
        rows = sheet.iter_rows(min_row=1, max_col=limits.MAX_COLUMNS + 1, values_only=True)
        header = None
        skipped = 0
        for row in rows:
            names = [str(v).strip() if v is not None else "" for v in row]
            while names and not names[-1]:
                names.pop()
            if set(needed) <= set(names):
                header = names
                break
            skipped += 1
            if skipped > 30:
                break
        if header is None:
            raise UsageError(
                f"{path.name}: no header row with the columns {', '.join(needed)} "
                f"in the first 30 rows of the first sheet; expected {expected}."
            )
        if len(header) > limits.MAX_COLUMNS:
            raise limits.too_many_columns(path.name, len(header), "XLSX")
        width = len(header)
        most = max(1, limits.XLSX_MAX_CELLS // width)
        records: list = []
        for r in rows:
            cells = r[:width]
            if not any(v is not None and v != "" for v in cells):
                continue
            if len(records) >= most:
                raise limits.xlsx_rows_exceeded(path.name, most, width)
            records.append(["" if v is None else _cell_text(v) for v in cells])
    finally:
        book.close()
    records = [r + [""] * (width - len(r)) for r in records]
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
        queries.execute(cur, "ingest_frame_table")
        cur.unregister("_x")
        return int(table.attrs.get("first_row", 2))
    check_text_file(path, expected)  # a binary file is refused as such, before its shape
    limits.check_csv(path)
    load_csv_table(cur, path, expected)
    return 1


def parse(cur, path: Path, ctx: Context, source: str, mapping: Mapping, fmt: str) -> Parsed:
    """Read and convert in DuckDB, on the import's own cursor (text to times, numbers,
    categories, areas): the rows stay in the temporary table ``_cand`` and never pass through
    Python objects; a million rows take about two seconds."""
    import duckdb

    needed = mapping.needed_columns()
    expected = f"a {fmt.upper()} file with the columns {', '.join(needed)} (from the mapping)"
    first_row = _load_table(cur, path, needed, fmt, expected)
    present = [str(r[0]).strip() for r in queries.execute(cur, "ingest_table_columns").fetchall()]
    missing = [c for c in needed if c not in present]
    if missing:
        raise UsageError(
            f"{path.name} lacks the column(s) {', '.join(missing)}; expected {expected}. "
            f"Its columns are: {', '.join(present[:-1][:20])}."
        )
    cur.register(
        "_catmap",
        pd.DataFrame({"key": list(mapping.categories), "code": list(mapping.categories.values())}),
    )
    cur.register(
        "_invmap",
        pd.DataFrame({"key": list(mapping.involved), "code": list(mapping.involved.values())}),
    )
    lookup = ctx.area_lookup()
    cur.register(
        "_areamap", pd.DataFrame({"key": list(lookup), "id": list(lookup.values())}, dtype=object)
    )
    # Row ids of a table made inside a transaction start at a large offset: positions count
    # from the first row.
    base = queries.execute(cur, "ingest_first_rowid").fetchall()[0][0] or 0
    exact = [f for f in mapping.formats if "%H" in f or "%I" in f] or ["%Y-%m-%d %H:%M:%S"]
    day = [f for f in mapping.formats if not ("%H" in f or "%I" in f)] or ["%Y-%m-%d"]
    sql, params = queries.bind(
        "ingest_tabular",
        **mapping.column_params(),
        exact_formats=exact,
        day_formats=day,
        first_row=first_row,
        base=base,
        precision=mapping.precision,
        max_cost=float(MAX_COST_SEK),
        max_people=MAX_PEOPLE,
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
        cells = cur.execute(raw_sql, {"base": base}).df()
        return refused.raw_from_frame(cells)(np.arange(len(cells)))

    return Parsed(frame=None, raw=raw, format=fmt, source=source)


def _convert_times(cur, file_zone: str, our_zone: str) -> None:
    """The file's wall-clock times into ours; times that do not exist or are ambiguous in the
    file's zone (the hours around a clock change) become unreadable, not guessed."""
    got = queries.execute(cur, "ingest_candidate_times").fetchnumpy()
    times = pd.Series(
        np.ma.filled(got["occurred_at"].astype("datetime64[us]"), np.datetime64("NaT"))
    )
    local = (
        times.dt.tz_localize(file_zone, ambiguous="NaT", nonexistent="NaT")
        .dt.tz_convert(our_zone)
        .dt.tz_localize(None)
        .astype("datetime64[us]")
    )
    cur.register("_converted", pd.DataFrame({"pos": np.asarray(got["pos"]), "t": local}))
    queries.execute(cur, "ingest_set_candidate_times")
