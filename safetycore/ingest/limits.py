"""Bounds on what a file may ask of the server, checked before the expensive reading starts.

A hostile or broken file must be refused fast, with a message that says what is wrong and
what to do, and never take more than a few seconds or a bounded amount of memory: a tiny
XLSX can declare 16,384 columns × 1,048,576 rows, a small CSV can have 20,000 columns, a
JSON document can nest 50,000 levels deep, a file can mix UTF-8 and Windows-1252 lines.

Each refusal is a ``FileRefused`` (a ``UsageError``: exit code 2 on the command line) that
also carries a message key and its values, so the Data page can say it in Swedish.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import re
import zipfile
from pathlib import Path

import numpy as np

from safetycore.errors import UsageError

# Tables: a mapped CSV or XLSX reads a handful of columns; 200 leaves room for wide exports.
MAX_COLUMNS = 200
# CSV: columns × lines. A million rows of 30 columns fits; DuckDB reads it in seconds.
CSV_MAX_CELLS = 30_000_000
# The first line (the header) of a CSV file.
CSV_MAX_HEADER_BYTES = 1 << 20
# The lines DuckDB's CSV reader samples to find the separator and the columns (its
# sample_size), within the first bytes of the file.
CSV_SAMPLE_LINES = 20_481
CSV_SAMPLE_BYTES = 16 << 20
# XLSX: the cells of the first sheet and the strings of the workbook. The XLSX reader
# (openpyxl) handles some 50,000 cells a second, so this keeps a workbook within seconds;
# larger tables are read as CSV, which has no such limit.
XLSX_MAX_CELLS = 250_000
# ... counted by the XML tags before parsing (a cell takes about four: <c><v></v></c>).
XLSX_MAX_TAGS = 4 * XLSX_MAX_CELLS
# XLSX: the unpacked size of the whole workbook, and of each part other than the sheets.
XLSX_MAX_UNPACKED = 256 << 20
XLSX_MAX_PART = 16 << 20
# JSON: nesting (the police and Open311 formats nest three levels).
JSON_MAX_DEPTH = 64
# Events before this are implausible (a date typed as 0001-01-01 or 1900-01-01).
EARLIEST_DATE = dt.date(1990, 1, 1)
EARLIEST_ENV = "SAFETY_EARLIEST_DATE"

CSV_ADVICE = "Save the sheet as CSV (UTF-8) and import that; CSV files have a larger limit."


class FileRefused(UsageError):
    """A file (or mapping) outside the bounds: ``key`` and ``params`` name the message."""

    def __init__(self, message: str, key: str, /, **params):
        super().__init__(message)
        self.key = key
        self.params = params


# --- text: UTF-8, with single Windows-1252 lines ---

MIXED_ERRORS = "safetycore-line-cp1252"


def _line_as_cp1252(exc: UnicodeDecodeError):
    """A line that is not UTF-8 is read as Windows-1252 from the first bad byte to its end
    (everything before that byte on the line is plain ASCII or valid UTF-8)."""
    data = exc.object
    end = data.find(b"\n", exc.start)
    end = len(data) if end < 0 else end
    return bytes(data[exc.start : end]).decode("cp1252", errors="replace"), end


# typeshed types the handler for any UnicodeError; this one is only ever given decode errors
codecs.register_error(MIXED_ERRORS, _line_as_cp1252)  # type: ignore[arg-type]
# Two bytes that form a UTF-8 letter (Å, ä, é ...): a Windows-1252 file hardly ever has one.
_UTF8_PAIR = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def decode_text(data: bytes, encoding: str = "utf-8") -> str:
    """Bytes of a text file as text, without a byte order mark.

    UTF-8 when all of it is UTF-8; a file with no UTF-8 letters at all is Windows-1252
    (Latin-1 with Windows' extras) as a whole; a UTF-8 file with some Windows-1252 lines
    (pasted from another system) is read line by line, those lines as Windows-1252, so one
    such line no longer garbles every å, ä and ö of the rest.
    """
    if encoding not in ("utf-8", "utf-8-sig") and not _UTF8_PAIR.search(data):
        return data.decode("cp1252", errors="replace").removeprefix("\ufeff")
    return data.decode("utf-8", errors=MIXED_ERRORS).removeprefix("\ufeff")


# --- JSON ---

_JSON_ESCAPE = re.compile(r"\\.", re.DOTALL)
_JSON_STRING = re.compile(r'"[^"]*"')
_DEPTH_CHUNK = 1 << 23


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (strings left out), in
    linear time without recursion."""
    bare = _JSON_STRING.sub("", _JSON_ESCAPE.sub("", text)).encode("utf-8", errors="replace")
    deepest = level = 0
    for start in range(0, len(bare), _DEPTH_CHUNK):
        b = np.frombuffer(
            bare, dtype=np.uint8, count=min(_DEPTH_CHUNK, len(bare) - start), offset=start
        )
        step = ((b == 0x5B) | (b == 0x7B)).astype(np.int32) - ((b == 0x5D) | (b == 0x7D))
        if not step.any():
            continue
        levels = np.cumsum(step) + level
        deepest = max(deepest, int(levels.max()))
        level = int(levels[-1])
    return deepest


def parse_json(text: str, name: str, expected: str):
    """``json.loads`` with the nesting checked first: a document nested deeper than
    ``JSON_MAX_DEPTH`` is refused with a message instead of exhausting the stack."""
    depth = json_depth(text)
    if depth > JSON_MAX_DEPTH:
        raise _too_deep(name, depth, expected)
    try:
        return json.loads(text)
    except RecursionError as exc:  # not reached after the check; kept as the last guard
        raise _too_deep(name, depth, expected) from exc
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{name} is not complete JSON ({exc.msg} at line {exc.lineno}); "
            f"expected {expected}. Nothing was imported."
        ) from exc


def _too_deep(name: str, depth: int, expected: str) -> FileRefused:
    return FileRefused(
        f"{name} nests arrays and objects {depth:,} levels deep; at most {JSON_MAX_DEPTH} are "
        f"read (expected {expected}). Check that it is the right file. Nothing was imported.",
        "json_depth",
        file=name,
        depth=depth,
        limit=JSON_MAX_DEPTH,
    )


# --- CSV ---

_SEPARATORS = (",", ";", "\t", "|")


def check_csv(path: Path) -> None:
    """Refuse a CSV file with more than ``MAX_COLUMNS`` columns, or more than
    ``CSV_MAX_CELLS`` cells (columns × lines), before a table is built from it.

    The columns are counted in the lines the CSV reader samples to decide the layout (the
    first ``CSV_SAMPLE_LINES``), for every separator it might choose: a separator counted
    too often on some line is checked again with a real CSV parser (quotes respected).
    """
    with open(path, "rb") as fh:
        head = fh.read(CSV_SAMPLE_BYTES)
        lines_total = head.count(b"\n")
        while chunk := fh.read(1 << 22):
            lines_total += chunk.count(b"\n")
    first = head.partition(b"\n")[0]
    if len(first) > CSV_MAX_HEADER_BYTES:
        raise FileRefused(
            f"{path.name}: the first line (the header) is longer than "
            f"{CSV_MAX_HEADER_BYTES >> 20} MB; a CSV file has one line per row. "
            "Check that it is the right file. Nothing was imported.",
            "csv_header",
            file=path.name,
            mb=CSV_MAX_HEADER_BYTES >> 20,
        )
    sample = head.split(b"\n", CSV_SAMPLE_LINES)[:CSV_SAMPLE_LINES]
    columns = 1
    for sep in _SEPARATORS:
        code = sep.encode()
        widest = max(line.count(code) for line in sample) + 1
        if widest > MAX_COLUMNS:  # maybe separators inside quotes: count again, properly
            text = b"\n".join(sample).decode("utf-8", errors="replace").removeprefix("\ufeff")
            try:
                widest = max(
                    (len(r) for r in csv.reader(io.StringIO(text), delimiter=sep)), default=1
                )
            except csv.Error:
                pass
        columns = max(columns, widest)
    if columns > MAX_COLUMNS:
        raise too_many_columns(path.name, columns, "CSV")
    header = first.decode("utf-8", errors="replace").removeprefix("\ufeff")
    sep = max(_SEPARATORS, key=header.count)
    width = max(len(line.split(sep.encode())) for line in sample[:100])
    cells = width * max(lines_total, 1)
    if cells > CSV_MAX_CELLS:
        raise FileRefused(
            f"{path.name} has {lines_total:,} lines of {width} columns ({cells:,} cells); at "
            f"most {CSV_MAX_CELLS:,} cells are read in one import. Split it into smaller files, "
            "or remove the columns the mapping does not use. Nothing was imported.",
            "csv_cells",
            file=path.name,
            lines=lines_total,
            columns=width,
            cells=cells,
            limit=CSV_MAX_CELLS,
        )


def too_many_columns(name: str, columns: int, kind: str) -> FileRefused:
    """More than ``MAX_COLUMNS`` columns: a CSV file's are counted, a sheet's are read only
    up to one past the limit."""
    if kind == "XLSX":
        return FileRefused(
            f"{name} has more than {MAX_COLUMNS} columns in its header row; at most "
            f"{MAX_COLUMNS} are read. {_COLUMN_ADVICE}",
            "xlsx_too_many_columns",
            file=name,
            limit=MAX_COLUMNS,
        )
    return FileRefused(
        f"{name} has {columns:,} columns; at most {MAX_COLUMNS} are read. {_COLUMN_ADVICE}",
        "too_many_columns",
        file=name,
        columns=columns,
        limit=MAX_COLUMNS,
    )


_COLUMN_ADVICE = (
    "Remove the columns the mapping does not use (or export only the ones it "
    "needs) and import it again. Nothing was imported."
)


# --- XLSX ---

_DIMENSION_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension[\s/>]")
_SHEET_DATA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData[\s/>]")


def count_tags(archive: zipfile.ZipFile, member: str, stop: int) -> int:
    """The XML tags in a part of the archive (every '<': what the XML parser will work
    through), counted while unpacking in chunks, about 0.1 s for 50 MB; stops above
    ``stop``."""
    found = 0
    with archive.open(member) as fh:
        while chunk := fh.read(1 << 22):
            found += chunk.count(b"<")
            if found > stop:
                break
    return found


def check_xlsx_archive(path: Path, archive: zipfile.ZipFile) -> None:
    """The workbook's parts by their declared sizes (which bound what unpacking gives), and
    the number of shared strings, before the workbook is opened."""
    infos = archive.infolist()
    unpacked = sum(i.file_size for i in infos)
    if unpacked > XLSX_MAX_UNPACKED:
        raise _xlsx_too_big(
            path.name, f"{unpacked / (1 << 20):,.0f} MB unpacked", f"{XLSX_MAX_UNPACKED >> 20} MB"
        )
    for info in infos:
        name = info.filename
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            # Opening a workbook reads each sheet up to its <dimension>; a sheet without one
            # is read to its end, so its cells are counted first.
            if not _declares_dimension(archive, name):
                check_xlsx_sheet(path, archive, name)
            continue
        if not name.endswith((".xml", ".rels")):
            continue
        if name == "xl/sharedStrings.xml":  # read whole when the workbook is opened
            if count_tags(archive, name, XLSX_MAX_TAGS) > XLSX_MAX_TAGS:
                raise _xlsx_too_big(
                    path.name, f"more than {XLSX_MAX_CELLS:,} texts", f"{XLSX_MAX_CELLS:,} cells"
                )
        elif info.file_size > XLSX_MAX_PART:
            raise _xlsx_too_big(
                path.name,
                f"a part ({name}) of {info.file_size >> 20} MB",
                f"{XLSX_MAX_PART >> 20} MB",
            )


def _declares_dimension(archive: zipfile.ZipFile, member: str) -> bool:
    """Whether a sheet's XML has its <dimension> before its <sheetData> (Excel writes it
    first thing; some generators leave it out)."""
    with archive.open(member) as fh:
        head = fh.read(1 << 16)
    data = _SHEET_DATA_TAG.search(head)
    found = _DIMENSION_TAG.search(head, 0, data.start() if data else len(head))
    return found is not None


def check_xlsx_sheet(path: Path, archive: zipfile.ZipFile, member: str) -> None:
    """The first sheet's cells, counted in its XML before any is parsed (by their tags: a
    cell is about four)."""
    if count_tags(archive, member, XLSX_MAX_TAGS) > XLSX_MAX_TAGS:
        raise _xlsx_too_big(
            path.name, f"more than {XLSX_MAX_CELLS:,} cells", f"{XLSX_MAX_CELLS:,} cells"
        )


def xlsx_rows_exceeded(name: str, rows: int, columns: int) -> FileRefused:
    return _xlsx_too_big(
        name, f"more than {rows:,} rows of {columns} columns", f"{XLSX_MAX_CELLS:,} cells"
    )


def _xlsx_too_big(name: str, what: str, limit: str) -> FileRefused:
    return FileRefused(
        f"{name} is too large to read as XLSX ({what}; the limit is {limit}). {CSV_ADVICE} "
        "Nothing was imported.",
        "xlsx_too_big",
        file=name,
        what=what,
        limit=limit,
        cells=XLSX_MAX_CELLS,
        mb=XLSX_MAX_UNPACKED >> 20,
    )


# --- times ---


def earliest_date(value: str | dt.date | None = None, origin: str | None = None) -> dt.date:
    """The earliest plausible event date: ``value`` (a mapping's ``[time] earliest``), else
    the ``SAFETY_EARLIEST_DATE`` environment variable, else 1990-01-01."""
    if value is None:
        value = os.environ.get(EARLIEST_ENV, "").strip() or None
        origin = origin or EARLIEST_ENV
    if value is None:
        return EARLIEST_DATE
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise FileRefused(
            f"{origin or EARLIEST_ENV}: {value!r} is not a date; write the earliest plausible "
            "event date as YYYY-MM-DD, e.g. 1990-01-01.",
            "earliest_date",
            where=origin or EARLIEST_ENV,
            got=str(value)[:40],
        ) from exc
