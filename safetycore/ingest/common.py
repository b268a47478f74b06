"""Shared validation and writing for every import format.

Each format module turns a file into *candidate rows*: one per row read, with the columns
in ``CANDIDATE_COLUMNS``. JSON formats build them as a pandas frame; CSV and XLSX files
build them in DuckDB directly (the temporary table ``_cand`` on the import's cursor). Rows
a parser already knows it cannot use carry an ``outcome`` ('rejected' or 'skipped') and a
``reason``. ``settle`` then decides the rest in SQL (the ``ingest_*.sql`` queries):
category, time, location and area, H3 cell, a content reference for sources without ids,
duplicates; and writes imported rows, refused rows and the batch record in the caller's
transaction. Only coordinates come to Python, for the area test (shapely) and the H3 cells.

Every row read ends as exactly one of imported / duplicate / rejected / skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from safetycore import clock, db, geo, privacy, queries
from safetycore.errors import UsageError
from safetycore.incidents import insert_incidents
from safetycore.ingest import limits, refused
from safetycore.taxonomy import CATEGORY_BY_CODE, SOURCE_BY_CODE

CANDIDATE_COLUMNS = (
    "row",
    "source_ref",
    "category",
    "category_raw",
    "occurred_at",
    "time_precision",
    "lat",
    "lon",
    "location_precision",
    "area_id",
    "place",
    "description",
    "outcome",
    "reason",
)
SKIP = "-"  # a category value map entry meaning "not an incident: skip the row"

# Reason codes (stored in rejected_rows.reason as "code" or "code: detail"; labelled on pages).
REJECT_REASONS = (
    "unparseable_time",
    "future_time",
    "unknown_category",
    "outside_areas",
    "no_location",
    "bad_coordinates",
    "missing_id",
    "implausible_time",
)
SKIP_REASONS = ("not_incident", "outside_municipality")
# What a format module reads of a refused row's raw text: scrubbed, then cut to the stored
# length (refused.RAW_MAX_CHARS).
RAW_MAX_CHARS = refused.RAW_READ_CHARS
# Times up to this far ahead of the clock are accepted (clock skew between systems).
FUTURE_TOLERANCE = dt.timedelta(minutes=15)


@dataclass
class Context:
    """What the parsers and the validation need to know about the target database."""

    municipality: str
    timezone: str
    areas: list[geo.Area]
    now: dt.datetime  # local wall-clock time in ``timezone``
    area_centres: dict[str, tuple[float, float]] = field(default_factory=dict)
    centre: tuple[float, float] | None = None  # the municipality's centre (lat, lon)
    # Events before this are rejected as implausible (limits.earliest_date).
    earliest: dt.datetime = dt.datetime(1990, 1, 1)

    def area_lookup(self) -> dict[str, str]:
        """Area name or id (case-insensitive) -> area id."""
        out: dict[str, str] = {}
        for a in self.areas:
            out[a.name.casefold()] = a.id
            out[a.id.casefold()] = a.id
        return out


def context_for(con, now: dt.datetime | None = None) -> Context:
    cur = con.cursor()
    try:
        municipality = db.meta_get(cur, "municipality") or ""
        timezone = db.meta_get(cur, "timezone") or "Europe/Stockholm"
    finally:
        cur.close()
    areas = geo.load_areas(con)
    if now is None:
        now = clock.now(timezone)
    centres = {}
    for a in areas:
        p = a.geometry.representative_point()
        centres[a.id] = (p.y, p.x)
    centre = None
    if areas:
        p = shapely.union_all([a.geometry for a in areas]).representative_point()
        centre = (p.y, p.x)
    return Context(
        municipality=municipality,
        timezone=timezone,
        areas=areas,
        now=now,
        area_centres=centres,
        centre=centre,
        earliest=dt.datetime.combine(limits.earliest_date(), dt.time()),
    )


@dataclass
class Parsed:
    """What a format module hands to ``settle``."""

    frame: pd.DataFrame | None  # None: the parser built the temporary table ``_cand`` itself
    raw: Callable[[np.ndarray], list[str]]  # raw text of the given row positions
    format: str
    source: str


@dataclass
class Outcome:
    batch_id: int
    read: int
    imported: int
    duplicates: int
    rejected: int
    skipped: int
    source: str
    format: str
    file_name: str
    reasons: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "batch_id": self.batch_id,
            "read": self.read,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "skipped": self.skipped,
            "source": self.source,
            "format": self.format,
            "file": self.file_name,
            "reasons": self.reasons,
        }


def empty_candidates(n: int) -> pd.DataFrame:
    """A candidate frame of ``n`` rows with every column present and empty."""
    return pd.DataFrame(
        {
            "row": np.arange(1, n + 1, dtype=np.int64),
            "source_ref": pd.Series([None] * n, dtype=object),
            "category": pd.Series([None] * n, dtype=object),
            "category_raw": pd.Series([None] * n, dtype=object),
            "occurred_at": pd.Series(pd.NaT, index=range(n), dtype="datetime64[us]"),
            "time_precision": "exact",
            "lat": np.full(n, np.nan),
            "lon": np.full(n, np.nan),
            "location_precision": "exact",
            "area_id": pd.Series([None] * n, dtype=object),
            "place": pd.Series([None] * n, dtype=object),
            "description": pd.Series([None] * n, dtype=object),
            "outcome": pd.Series([None] * n, dtype=object),
            "reason": pd.Series([None] * n, dtype=object),
        }
    )


# --- reading text files safely ---

SNIFF_BYTES = 65536


def check_text_file(path: Path, expected: str) -> str:
    """Refuse binary files; return the encoding to read the file with (utf-8 or cp1252).

    ``expected`` says what the file should have been, for the message.
    """
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head.strip():
        raise UsageError(f"{path.name} is empty; expected {expected}.")
    if head.startswith(b"PK\x03\x04"):
        raise UsageError(f"{path.name} is a zip or XLSX file; expected {expected}.")
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if b"\x00" in head or controls > len(head) // 200:
        raise UsageError(f"{path.name} is not a text file (binary content); expected {expected}.")
    return detect_encoding(path)


def detect_encoding(path: Path) -> str:
    """utf-8 if the whole file decodes as UTF-8, else cp1252 (Latin-1 with Windows extras)."""
    decoder = __import__("codecs").getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 22):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def read_text(path: Path, expected: str) -> str:
    encoding = check_text_file(path, expected)
    return limits.decode_text(path.read_bytes(), encoding)


def read_json_records(path: Path, expected: str, list_key: str, what: str) -> list[dict]:
    """A JSON file that is a list of objects, or an object holding one under ``list_key``."""
    text = read_text(path, expected)
    data = limits.parse_json(text, path.name, expected)  # nesting bounded, errors as messages
    if isinstance(data, dict) and isinstance(data.get(list_key), list):
        data = data[list_key]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise UsageError(f"{path.name} is JSON but not a list of {what}; expected {expected}.")
    return data


def load_csv_table(con, path: Path, expected: str) -> None:
    """The file's cells, all as text, into the temporary table ``_t`` of ``con`` (with an
    always-empty column ``__none``), header from the first line, any separator.

    DuckDB's CSV reader (fast on millions of rows); Latin-1 files and files with a byte order
    mark are transcoded to a temporary UTF-8 copy first. A file the reader cannot read is a
    usage error that says what was expected.
    """
    import duckdb

    encoding = check_text_file(path, expected)
    source = path
    tmp = None
    if encoding != "utf-8" or path.open("rb").read(3) == b"\xef\xbb\xbf":
        import tempfile

        tmp = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)  # noqa: SIM115
        text = limits.decode_text(path.read_bytes(), encoding)
        tmp.write(text.encode("utf-8"))
        tmp.close()
        source = Path(tmp.name)
    try:
        queries.execute(con, "ingest_read_csv", path=str(source))
    except duckdb.Error as exc:
        raise UsageError(
            f"Cannot read {path.name} as CSV ({_first_line(exc)}); expected {expected}."
        ) from exc
    finally:
        if tmp is not None:
            Path(tmp.name).unlink(missing_ok=True)


def read_csv_strings(path: Path, expected: str, required: tuple[str, ...] = ()) -> pd.DataFrame:
    """Every cell as a string (None when empty), as ``load_csv_table`` reads them.

    Missing required columns are a usage error that names them.
    """
    import duckdb

    con = duckdb.connect()
    try:
        load_csv_table(con, path, expected)
        frame = queries.execute(con, "ingest_read_table").df()
    finally:
        con.close()
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise UsageError(
            f"{path.name} lacks the column(s) {', '.join(missing)}; expected {expected}. "
            f"Its columns are: {', '.join(list(frame.columns)[:20])}."
        )
    return frame


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200]


def raw_from_frame(frame: pd.DataFrame) -> Callable[[np.ndarray], list[str]]:
    """Raw text of rows of a table, as a JSON object (column -> value), linear in the cells."""
    return refused.raw_from_frame(frame)


def parse_number(values: pd.Series) -> np.ndarray:
    """Numbers as floats; Swedish decimal commas accepted; NaN where not a number."""
    text = values.astype("string").str.strip().str.replace("\u2212", "-", regex=False)
    text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def to_local(times: pd.Series, timezone: str) -> pd.Series:
    """Aware times converted to the municipality's wall-clock time; naive ones kept."""
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        return times.dt.tz_convert(timezone).dt.tz_localize(None)
    return times


# --- the decision for every row, and the write ---


def resolve_source(cur, name: str | None, default: str) -> str:
    """A source code for ``name`` (a code or a label, any case); new names are added."""
    if not name:
        return default
    wanted = name.strip()
    for code, sv, en in queries.execute(cur, "ingest_sources").fetchall():
        if wanted.casefold() in (code.casefold(), sv.casefold(), en.casefold()):
            return code
    code = geo.slug(privacy.mask(wanted) or wanted).replace("-", "_")
    return code


def ensure_source(cur, code: str, label: str | None = None) -> None:
    if code in SOURCE_BY_CODE:
        return
    label = privacy.mask(label) or code  # a source named in a form or mapping is free text too
    queries.execute(cur, "ingest_source_insert", code=code, label=label)


def settle(cur, parsed: Parsed, ctx: Context, batch_id: int) -> Outcome:
    """Decide every row's outcome and write it (inside the caller's transaction).

    The rows live in DuckDB temporary tables on ``cur`` from start to end; Python only sees
    coordinates (for the area test and the H3 cells, both vectorised) and the distinct
    texts that may hold personal data (for masking). The SQL steps are the ``ingest_*.sql``
    query files; the rows to import are staged as ``incident_rows`` for the one incident
    writer (``safetycore.incidents``).
    """

    def execute(name: str, **params) -> None:
        sql, bound = queries.bind(name, **params)
        cur.execute(sql, bound)

    # Temporary tables and registered frames live on ``cur`` and go with it when the
    # transaction ends, committed or not.
    register = cur.register
    if parsed.frame is not None:  # else the parser made `_cand` itself (tabular files)
        frame = parsed.frame.reset_index(drop=True)
        register("_cand_frame", frame.assign(pos=np.arange(len(frame), dtype=np.int64)))
        execute("ingest_candidates_from_frame")
    execute(
        "ingest_decide",
        skip=SKIP,
        known=list(CATEGORY_BY_CODE),
        future_limit=ctx.now + FUTURE_TOLERANCE,
        earliest_limit=ctx.earliest,
    )
    # Every usable point, read once: its area (for the rows placed by their point) and its H3
    # cell, computed in a second thread while DuckDB (which releases the GIL) decides the rest,
    # so the largest cost left in Python adds little to a big import. Cells of rows refused
    # later are not written.
    points = queries.execute(cur, "ingest_located_candidates").fetchnumpy()
    pos = np.asarray(points["pos"], dtype=np.int64)
    lat = np.asarray(points["lat"], dtype=float)
    lon = np.asarray(points["lon"], dtype=float)
    # The area test first, on its own: its many short numpy steps would queue for the GIL
    # behind the cell loop.
    _locate(cur, ctx, pos, lat, lon, np.asarray(points["locate"], dtype=bool))
    with ThreadPoolExecutor(max_workers=1) as pool:
        cells = pool.submit(geo.h3_cells, lat, lon)
        execute("ingest_final", source=parsed.source, batch=batch_id)
        _mask_candidates(cur)
        register("_cells", pd.DataFrame({"pos": pos, "h3_cell": cells.result()}))
    execute("ingest_incident_rows")
    insert_incidents(cur)  # the one writer: in time order, kind, sensitivity and group derived

    # Refused rows, with their reasons, category and raw text, masked (ingest/refused.py).
    rows = queries.execute(cur, "ingest_refused_candidates").fetchnumpy()
    if len(rows["pos"]):
        positions = np.asarray(rows["pos"], dtype=np.int64)
        refused.store(
            cur,
            batch_id,
            {
                "row_no": rows["row_no"],
                "outcome": np.ma.filled(rows["outcome"], None),
                "reason": np.ma.filled(rows["reason"], None),
                "category": np.ma.filled(rows["category"].astype(object), None),
            },
            parsed.raw(positions),
        )

    counts = dict(queries.execute(cur, "ingest_outcome_counts").fetchall())
    reasons = dict(queries.execute(cur, "ingest_reason_counts").fetchall())
    return Outcome(
        batch_id=batch_id,
        read=sum(counts.values()),
        imported=int(counts.get("imported", 0)),
        duplicates=int(counts.get("duplicate", 0)),
        rejected=int(counts.get("rejected", 0)),
        skipped=int(counts.get("skipped", 0)),
        source=parsed.source,
        format=parsed.format,
        file_name="",
        reasons={str(k): int(v) for k, v in reasons.items()},
    )


# The candidates' free-text columns, masked in place: the RE2 test runs in DuckDB, and only
# the distinct texts it picks are read in Python.
# Per column: the query finding its texts that may hold personal data, and the one writing
# their masked form back from the registered frame _masked.
_MASKED_COLUMNS = {
    "description": ("ingest_mask_find_description", "ingest_mask_set_description"),
    "place": ("ingest_mask_find_place", "ingest_mask_set_place"),
    "category_raw": ("ingest_mask_find_category_raw", "ingest_mask_set_category_raw"),
}


def _mask_candidates(cur) -> None:
    """Personal data masked in the free text of the rows about to be written (``_cand``)."""
    for find, mask in _MASKED_COLUMNS.values():
        texts = [r[0] for r in queries.execute(cur, find, pattern=privacy.CANDIDATE).fetchall()]
        changed = [(t, m) for t, m in zip(texts, privacy.mask_list(texts), strict=True) if m != t]
        if not changed:
            continue
        cur.register(
            "_masked",
            pd.DataFrame(
                {"text": [t for t, _ in changed], "masked": [m for _, m in changed]}, dtype=object
            ),
        )
        queries.execute(cur, mask)
        cur.unregister("_masked")


def _locate(
    cur, ctx: Context, pos: np.ndarray, lat: np.ndarray, lon: np.ndarray, locate: np.ndarray
) -> None:
    """The area of every row to be placed by its point (``locate``), as ``_located(pos,
    area_idx)`` with -1 outside every area; the areas themselves as ``_area_list``."""
    cur.register(
        "_located",
        pd.DataFrame(
            {"pos": pos[locate], "area_idx": geo.area_index(lat[locate], lon[locate], ctx.areas)}
        ),
    )
    cur.register(
        "_area_list",
        pd.DataFrame(
            {
                "area_idx": np.arange(len(ctx.areas), dtype=np.int32),
                "area_id": pd.Series([a.id for a in ctx.areas], dtype=object),
                "centre_lat": [ctx.area_centres.get(a.id, (np.nan, np.nan))[0] for a in ctx.areas],
                "centre_lon": [ctx.area_centres.get(a.id, (np.nan, np.nan))[1] for a in ctx.areas],
            }
        ),
    )


_WS = re.compile(r"\s+")


def norm_key(text) -> str:
    """A value-map key: case- and whitespace-insensitive."""
    return _WS.sub(" ", str(text)).strip().casefold()
