"""Imports: files in, events out, nothing lost and nothing half-written.

``import_file(con, path, actor, ...)`` reads one file in one of the formats below, decides
for every row whether it is imported, a duplicate, rejected (with a reason) or skipped (with
a reason), and writes all of it in one transaction: a file that fails half-way leaves
nothing behind. The command line (``python -m safetycore import``) and the Data page's
upload both call it, so they give the same counts.

Formats: ``polisen`` (polisen.se events JSON), ``police-uk`` (data.police.uk street CSV),
``open311`` (GeoReport v2 JSON), ``csv`` and ``xlsx`` (with a mapping file, see tabular.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import zipfile
from pathlib import Path

from safetycore import db, privacy, queries
from safetycore.access import Actor, require
from safetycore.errors import UsageError
from safetycore.ingest import limits, open311, police_uk, polisen, tabular
from safetycore.ingest.common import Context, Outcome, context_for, ensure_source, resolve_source
from safetycore.taxonomy import seed_taxonomy

FORMATS = ("csv", "xlsx", "polisen", "police-uk", "open311")
# Uploads larger than this are refused with a message (the command line has no limit).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

# One import at a time per process: the duplicate check and the insert happen in one
# transaction, and this lock keeps two transactions from checking the same rows at once. (A
# second process cannot open the database at all while this one holds it.)
_IMPORT_LOCK = threading.Lock()


def detect_format(path: Path) -> str:
    """The format of a file from its content (and name): what ``--format auto`` uses."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PK\x03\x04"):
        if zipfile.is_zipfile(path):
            return "xlsx"
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \r\n\t")
    if text.startswith("[") or text.startswith("{"):
        data = limits.parse_json(
            limits.decode_text(path.read_bytes()),
            path.name,
            "the polisen events API or Open311 GeoReport v2",
        )
        if isinstance(data, dict):
            data = data.get("events") or data.get("service_requests") or data
        if polisen.is_polisen(data):
            return "polisen"
        if open311.is_open311(data):
            return "open311"
        raise UsageError(
            f"{path.name} is JSON but neither polisen events nor Open311 requests; say --format."
        )
    first_line = text.splitlines()[0] if text else ""
    if police_uk.looks_like([c.strip().strip('"') for c in first_line.split(",")]):
        return "police-uk"
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return "xlsx"
    return "csv"


def parse(cur, path: Path, ctx: Context, fmt: str, source: str, mapping: Path | None = None):
    if fmt == "polisen":
        return polisen.parse(path, ctx, source)
    if fmt == "police-uk":
        return police_uk.parse(path, ctx, source)
    if fmt == "open311":
        return open311.parse(path, ctx, source, tabular.load_mapping(mapping, required=False))
    if fmt in ("csv", "xlsx"):
        loaded = tabular.load_mapping(mapping)
        assert loaded is not None  # required: load_mapping raises when there is none
        return tabular.parse(cur, path, ctx, source, loaded, fmt)
    raise UsageError(f"Unknown format {fmt!r}; use one of auto, {', '.join(FORMATS)}.")


def default_source(fmt: str, mapping) -> str:
    if mapping is not None and fmt in ("csv", "xlsx", "open311"):
        loaded = tabular.load_mapping(mapping, required=False)
        if loaded is not None and loaded.source:
            return loaded.source
    return {
        "polisen": polisen.DEFAULT_SOURCE,
        "police-uk": police_uk.DEFAULT_SOURCE,
        "open311": open311.DEFAULT_SOURCE,
    }.get(fmt, tabular.DEFAULT_SOURCE)


def import_file(
    con,
    path: str | Path,
    actor: Actor,
    *,
    fmt: str = "auto",
    mapping=None,
    source: str | None = None,
    file_name: str | None = None,
    ctx: Context | None = None,
) -> Outcome:
    """Import one file in one transaction; returns the counts per outcome.

    ``mapping`` is a path to a TOML mapping (or its parsed dict) for csv/xlsx/open311.
    Raises UsageError when the file is not what it claims to be (nothing is written).
    """
    require(actor, "import_data")
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"No file {path}.")
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt not in FORMATS:
        raise UsageError(f"Unknown format {fmt!r}; use one of auto, {', '.join(FORMATS)}.")
    ctx = ctx or context_for(con)
    if not ctx.areas:
        raise UsageError("The database has no areas; create it with 'python -m safetycore init'.")
    label = source or default_source(fmt, mapping)
    if fmt in ("csv", "xlsx", "open311"):
        # A mapping's [time] earliest replaces the default earliest plausible date.
        loaded = tabular.load_mapping(mapping, required=fmt != "open311")
        if loaded is not None and loaded.earliest is not None:
            ctx = dataclasses.replace(ctx, earliest=dt.datetime.combine(loaded.earliest, dt.time()))
        mapping = loaded
    with _IMPORT_LOCK:
        cur = con.cursor()
        try:
            code = resolve_source(cur, label, label)
        finally:
            cur.close()
        with db.transaction(con) as cur:
            seed_taxonomy(cur)  # categories added to the data files since the database was made
            # Parsed on the transaction's cursor: tabular files become its temporary tables.
            parsed = parse(cur, path, ctx, fmt, code, mapping)
            ensure_source(cur, code, label)
            batch_id = queries.execute(cur, "ingest_next_batch_id").fetchall()[0][0]
            result = settle_and_record(cur, parsed, ctx, batch_id, file_name or path.name, actor)
    return result


def settle_and_record(cur, parsed, ctx, batch_id, file_name, actor) -> Outcome:
    from safetycore.ingest.common import settle

    result = settle(cur, parsed, ctx, batch_id)
    result.file_name = privacy.mask(file_name[:200]) or file_name[:200]  # a file name is free text
    queries.execute(
        cur,
        "ingest_batch_insert",
        id=batch_id,
        source=parsed.source,
        file=result.file_name,
        format=parsed.format,
        by=actor.identity,
        read=result.read,
        imported=result.imported,
        dups=result.duplicates,
        rejected=result.rejected,
        skipped=result.skipped,
    )
    return result


def undo_batch(con, batch_id: int, actor: Actor) -> int:
    """Remove every event a batch imported and mark the batch undone; returns the count."""
    require(actor, "undo_import")
    with _IMPORT_LOCK, db.transaction(con) as cur:
        rows = queries.execute(cur, "ingest_batch_undone_at", id=batch_id).fetchall()
        row = rows[0] if rows else None
        if row is None:
            raise UsageError(f"There is no import batch {batch_id}.")
        if row[0] is not None:
            raise UsageError(f"Import batch {batch_id} was already undone.")
        removed = queries.execute(cur, "ingest_batch_incident_count", id=batch_id).fetchall()[0][0]
        queries.execute(cur, "ingest_batch_delete_incidents", id=batch_id)
        queries.execute(cur, "ingest_batch_mark_undone", id=batch_id, by=actor.identity)
    return int(removed)


# --- downloads (files, not page tables: not bound by the page row cap) ---

EXPORT_CAP = 50_000


def _frame(con, name: str, flt=None, **extra):

    sql, params = queries.bind(name, flt, **extra)
    cur = con.cursor()
    try:
        return cur.execute(sql, params).df()
    finally:
        cur.close()


def export_events(con, flt, cap: int = EXPORT_CAP):
    """The filter's events (newest first), at most ``cap``; and whether there were more."""
    frame = _frame(con, "data_export", flt, cap=cap + 1)
    return frame.head(cap), len(frame) > cap
