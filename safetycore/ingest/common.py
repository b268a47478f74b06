"""Shared validation and writing for every import format.

Each format module turns a file into a *candidate frame*: one row per row read, with the
columns in ``CANDIDATE_COLUMNS``. Rows a parser already knows it cannot use carry an
``outcome`` ('rejected' or 'skipped') and a ``reason``. ``settle`` then decides the rest,
vectorised (1,000,000 rows in a few seconds): category, time, location and area, H3 cell,
content hash for sources without ids, duplicates; and writes imported rows, refused rows and
the batch record in the caller's transaction.

Every row read ends as exactly one of imported / duplicate / rejected / skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from safetycore import db, geo, privacy
from safetycore.errors import UsageError
from safetycore.taxonomy import CATEGORY_BY_CODE, SOURCE_BY_CODE

CANDIDATE_COLUMNS = (
    "row", "source_ref", "category", "category_raw", "occurred_at", "time_precision",
    "lat", "lon", "location_precision", "area_id", "place", "description", "outcome", "reason",
)
SKIP = "-"  # a category value map entry meaning "not an incident: skip the row"

# Reason codes (stored in rejected_rows.reason as "code" or "code: detail"; labelled on pages).
REJECT_REASONS = ("unparseable_time", "future_time", "unknown_category", "outside_areas",
                  "no_location", "bad_coordinates", "missing_id")
SKIP_REASONS = ("not_incident", "outside_municipality")
RAW_MAX_CHARS = 2000
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
        now = pd.Timestamp.now(tz=timezone).tz_localize(None).to_pydatetime()
    centres = {}
    for a in areas:
        p = a.geometry.representative_point()
        centres[a.id] = (p.y, p.x)
    centre = None
    if areas:
        p = shapely.union_all([a.geometry for a in areas]).representative_point()
        centre = (p.y, p.x)
    return Context(municipality=municipality, timezone=timezone, areas=areas, now=now,
                   area_centres=centres, centre=centre)


@dataclass
class Parsed:
    """What a format module hands to ``settle``."""

    frame: pd.DataFrame
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
            "batch_id": self.batch_id, "read": self.read, "imported": self.imported,
            "duplicates": self.duplicates, "rejected": self.rejected, "skipped": self.skipped,
            "source": self.source, "format": self.format, "file": self.file_name,
            "reasons": self.reasons,
        }


def empty_candidates(n: int) -> pd.DataFrame:
    """A candidate frame of ``n`` rows with every column present and empty."""
    return pd.DataFrame({
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
    })


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
    text = path.read_bytes().decode(encoding, errors="replace")
    return text.removeprefix("\ufeff")


def read_json_records(path: Path, expected: str, list_key: str, what: str) -> list[dict]:
    """A JSON file that is a list of objects, or an object holding one under ``list_key``."""
    text = read_text(path, expected)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path.name} is not complete JSON ({exc.msg} at line {exc.lineno}); "
                         f"expected {expected}. Nothing was imported.") from exc
    if isinstance(data, dict) and isinstance(data.get(list_key), list):
        data = data[list_key]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise UsageError(f"{path.name} is JSON but not a list of {what}; expected {expected}.")
    return data


def read_csv_strings(path: Path, expected: str, required: tuple[str, ...] = ()) -> pd.DataFrame:
    """Every cell as a string (None when empty), header from the first line, any separator.

    DuckDB's CSV reader (fast on millions of rows); Latin-1 files are transcoded first.
    Missing required columns are a usage error that names them.
    """
    import duckdb

    encoding = check_text_file(path, expected)
    source = path
    tmp = None
    if encoding != "utf-8" or path.read_bytes()[:3] == b"\xef\xbb\xbf":
        import tempfile

        tmp = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)  # noqa: SIM115
        text = path.read_bytes().decode(encoding, errors="replace").removeprefix("\ufeff")
        tmp.write(text.encode("utf-8"))
        tmp.close()
        source = Path(tmp.name)
    con = duckdb.connect()
    try:
        frame = con.execute(
            "SELECT * FROM read_csv($path, all_varchar = true, header = true, "
            "sample_size = 20480, null_padding = true, strict_mode = false)",
            {"path": str(source)},
        ).df()
    except duckdb.Error as exc:
        raise UsageError(f"Cannot read {path.name} as CSV ({_first_line(exc)}); expected {expected}.") from exc
    finally:
        con.close()
        if tmp is not None:
            Path(tmp.name).unlink(missing_ok=True)
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
    """Raw text of rows of a table, as a JSON object (column -> value), built vectorised."""
    columns = list(frame.columns)

    def raw(positions: np.ndarray) -> list[str]:
        rows = frame.iloc[positions]
        parts = []
        for c in columns:
            value = rows[c].astype("string")
            quoted = ('"' + value.str.replace("\\", "\\\\", regex=False)
                      .str.replace('"', '\\"', regex=False)
                      .str.replace("\n", "\\n", regex=False).str.replace("\r", "", regex=False)
                      + '"').fillna("null")
            parts.append(json.dumps(str(c), ensure_ascii=False) + ": " + quoted)
        joined = parts[0]
        for part in parts[1:]:
            joined = joined + ", " + part
        return ("{" + joined + "}").str.slice(0, RAW_MAX_CHARS).tolist()

    return raw


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
    for code, sv, en in cur.execute("SELECT code, label_sv, label_en FROM sources").fetchall():
        if wanted.casefold() in (code.casefold(), sv.casefold(), en.casefold()):
            return code
    code = geo.slug(wanted).replace("-", "_")
    return code


def ensure_source(cur, code: str, label: str | None = None) -> None:
    if code in SOURCE_BY_CODE:
        return
    label = label or code
    cur.execute(
        "INSERT INTO sources VALUES ($code, $label, $label, 100) ON CONFLICT (code) DO NOTHING",
        {"code": code, "label": label},
    )


def settle(cur, parsed: Parsed, ctx: Context, batch_id: int) -> Outcome:
    """Decide every row's outcome and write it (inside the caller's transaction)."""
    f = parsed.frame.reset_index(drop=True)
    n = len(f)
    outcome = f["outcome"].to_numpy(dtype=object).copy()
    reason = f["reason"].to_numpy(dtype=object).copy()

    def mark(mask: np.ndarray, result: str, code: str, detail: np.ndarray | None = None):
        todo = mask & pd.isna(outcome)
        if not todo.any():
            return
        outcome[todo] = result
        if detail is None:
            reason[todo] = code
        else:
            reason[todo] = [f"{code}: {d}" if d not in (None, "") and d == d else code
                            for d in detail[todo]]

    # Category: a code we know, the skip marker, or nothing (unknown, no mapping).
    category = _objects(f["category"])
    category_raw = _objects(f["category_raw"])
    mark(category == SKIP, "skipped", "not_incident", category_raw)
    known = _isin(category, list(CATEGORY_BY_CODE))
    mark(~known, "rejected", "unknown_category", category_raw)

    # Time.
    occurred = pd.to_datetime(f["occurred_at"]).astype("datetime64[us]")
    mark(occurred.isna().to_numpy(), "rejected", "unparseable_time")
    future_limit = np.datetime64(ctx.now + FUTURE_TOLERANCE, "us")
    future = (occurred.to_numpy() > future_limit) & ~occurred.isna().to_numpy()
    if future.any():
        mark(future, "rejected", "future_time", _detail(n, future, lambda i: str(occurred.iloc[i])[:16]))

    # Location and area.
    lat = f["lat"].to_numpy(dtype=float).copy()
    lon = f["lon"].to_numpy(dtype=float).copy()
    precision = f["location_precision"].to_numpy(dtype=object).copy()
    area_id = _objects(f["area_id"])
    has_xy = ~(np.isnan(lat) | np.isnan(lon))
    bad_xy = has_xy & ((np.abs(lat) > 90) | (np.abs(lon) > 180))
    mark(bad_xy, "rejected", "bad_coordinates")
    coarse = _isin(precision, ["municipality", "county"])
    needs_area = ~coarse
    has_area = ~pd.isna(area_id)
    # A precise location without coordinates but with a named area becomes the area's centre.
    downgrade = needs_area & ~has_xy & has_area & pd.isna(outcome)
    if downgrade.any():
        precision[downgrade] = "locality"
        centres = np.array([ctx.area_centres.get(a, (np.nan, np.nan)) for a in area_id[downgrade]])
        lat[downgrade], lon[downgrade] = centres[:, 0], centres[:, 1]
        has_xy = ~(np.isnan(lat) | np.isnan(lon))
    mark(needs_area & ~has_xy & ~has_area, "rejected", "no_location")
    locate = needs_area & has_xy & pd.isna(outcome) & ~downgrade
    if locate.any():
        found = geo.assign_areas(lat[locate], lon[locate], ctx.areas)
        area_id[locate] = found
        outside = np.zeros(n, dtype=bool)
        outside[locate] = pd.isna(found)
        if outside.any():
            mark(outside, "rejected", "outside_areas",
                 _detail(n, outside, lambda i: f"{lat[i]:.5f}, {lon[i]:.5f}"))
    area_id[coarse] = None

    # Content hash for rows without an id: same content and same position among equal rows
    # gives the same reference, so a re-import finds them while equal rows in one file all count.
    refs = _objects(f["source_ref"])
    no_ref = pd.isna(refs) | (refs == "")
    if no_ref.any():
        content = pd.DataFrame({
            "t": occurred[no_ref].astype("string"),
            "c": f["category_raw"][no_ref].astype("string"),
            "lat": np.round(f["lat"].to_numpy(dtype=float)[no_ref], 6),
            "lon": np.round(f["lon"].to_numpy(dtype=float)[no_ref], 6),
            "p": f["place"][no_ref].astype("string"),
            "d": f["description"][no_ref].astype("string"),
        })
        hashed = pd.util.hash_pandas_object(content, index=False).to_numpy()
        ordinal = pd.Series(hashed).groupby(hashed).cumcount().to_numpy()
        refs[no_ref] = [f"h:{h:016x}-{o}" for h, o in zip(hashed, ordinal, strict=True)]

    # Duplicates within the file, then against what the database already holds.
    open_ = pd.isna(outcome)
    dup_in_file = np.zeros(n, dtype=bool)
    dup_in_file[open_] = pd.Series(refs[open_]).duplicated(keep="first").to_numpy()
    mark(dup_in_file, "duplicate", "duplicate")
    open_ = pd.isna(outcome)
    source_has_rows = cur.execute(
        "SELECT count(*) > 0 FROM (SELECT 1 FROM incidents WHERE source = $source LIMIT 1)",
        {"source": parsed.source}).fetchall()[0][0]
    if open_.any() and source_has_rows:
        cur.register("_ingest_refs", pd.DataFrame({"ref": pd.Series(refs[open_], dtype=object)}))
        existing = {r[0] for r in cur.execute(
            "SELECT i.source_ref FROM incidents i SEMI JOIN _ingest_refs r ON r.ref = i.source_ref "
            "WHERE i.source = $source", {"source": parsed.source}).fetchall()}
        cur.unregister("_ingest_refs")
        if existing:
            mark(_isin(refs, existing) & open_, "duplicate",
                 "duplicate")

    # Write the imported rows.
    keep = pd.isna(outcome)
    precise = keep & _isin(precision, geo.MAPPABLE_PRECISIONS)
    cells = np.zeros(n, dtype=np.uint64)
    if precise.any():
        cells[precise] = geo.h3_cells(lat[precise], lon[precise])
    imported = int(keep.sum())
    if imported:
        description = f["description"][keep]
        frame = pd.DataFrame({
            "source_ref": pd.Series(refs[keep], dtype=object),
            "category": pd.Series(category[keep], dtype=object),
            "occurred_at": occurred[keep].to_numpy(),
            "time_precision": pd.Series(f["time_precision"].to_numpy(dtype=object)[keep], dtype=object),
            "lat": lat[keep],
            "lon": lon[keep],
            "location_precision": pd.Series(precision[keep], dtype=object),
            "h3_cell": cells[keep],
            "area_id": pd.Series(area_id[keep], dtype=object),
            "place": pd.Series(f["place"].to_numpy(dtype=object)[keep], dtype=object),
            "description": privacy.mask_series(description).astype(object).to_numpy()
            if description.notna().any() else description.to_numpy(dtype=object),
        })
        cur.register("_ingest_rows", frame)
        cur.execute(
            """
            INSERT INTO incidents (source, source_ref, category, kind, occurred_at, time_precision,
                lat, lon, location_precision, h3_cell, area_id, area_group_id, sensitive, place,
                description, import_batch_id)
            SELECT $source, r.source_ref, r.category, c.kind, r.occurred_at, r.time_precision,
                   CASE WHEN isnan(r.lat) THEN NULL ELSE r.lat END,
                   CASE WHEN isnan(r.lon) THEN NULL ELSE r.lon END,
                   r.location_precision, NULLIF(r.h3_cell, 0), r.area_id, a.area_group_id,
                   c.sensitive, NULLIF(r.place, ''), NULLIF(r.description, ''), $batch
            FROM _ingest_rows r JOIN categories c ON c.code = r.category
            LEFT JOIN areas a ON a.id = r.area_id
            ORDER BY r.occurred_at
            """,
            {"source": parsed.source, "batch": batch_id},
        )
        cur.unregister("_ingest_rows")

    # Refused rows, with their reasons and raw text.
    refused = np.flatnonzero(_isin(outcome, ["rejected", "skipped"]))
    if refused.size:
        raw = parsed.raw(refused)
        cur.register("_ingest_refused", pd.DataFrame({
            "row_number": f["row"].to_numpy()[refused].astype(np.int64),
            "outcome": pd.Series(outcome[refused], dtype=object),
            "reason": pd.Series(reason[refused], dtype=object),
            "raw": pd.Series(raw, dtype=object),
        }))
        cur.execute(
            "INSERT INTO rejected_rows SELECT $batch, row_number, outcome, reason, raw "
            "FROM _ingest_refused", {"batch": batch_id})
        cur.unregister("_ingest_refused")

    counts = pd.Series(outcome).fillna("imported").value_counts()
    codes = pd.Series(reason[_isin(outcome, ["rejected", "skipped"])], dtype=object)
    reasons = codes.str.split(":", n=1).str[0].value_counts().to_dict() if len(codes) else {}
    return Outcome(
        batch_id=batch_id, read=n, imported=imported,
        duplicates=int(counts.get("duplicate", 0)), rejected=int(counts.get("rejected", 0)),
        skipped=int(counts.get("skipped", 0)), source=parsed.source, format=parsed.format,
        file_name="", reasons={str(k): int(v) for k, v in sorted(reasons.items())},
    )


def _isin(values: np.ndarray, wanted) -> np.ndarray:
    """Elementwise membership for object arrays, by hashing (np.isin sorts: slow on strings)."""
    return pd.Series(values, dtype=object).isin(list(wanted)).to_numpy()


def _objects(values: pd.Series) -> np.ndarray:
    """An object array with None for every missing value (NaN, NA, None)."""
    out = values.to_numpy(dtype=object).copy()
    out[pd.isna(out)] = None
    return out


def _detail(n: int, mask: np.ndarray, text: Callable[[int], str]) -> np.ndarray:
    out = np.full(n, None, dtype=object)
    for i in np.flatnonzero(mask):
        out[i] = text(i)
    return out


_WS = re.compile(r"\s+")


def norm_key(text) -> str:
    """A value-map key: case- and whitespace-insensitive."""
    return _WS.sub(" ", str(text)).strip().casefold()
