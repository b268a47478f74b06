"""Hostile files: refused fast with a message (or read within bounds), never a traceback.

Each file is built here: a 1.6 KB XLSX that declares 16,384 columns × 1,048,576 rows, a CSV
with 20,000 columns, JSON nested 50,000 deep, mappings with wrong values, a mapping with
only the required keys, events dated 0001 and 1900, a UTF-8 file with one Windows-1252 line.
Each goes through the command line in its own process (exit code, message, no traceback,
time and peak memory measured) and through the domain function.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tomllib
import zipfile

import pytest

from safetycore import db
from safetycore.access import Actor
from safetycore.errors import UsageError
from safetycore.ingest import MAX_UPLOAD_BYTES, import_file, limits
from tests.conftest import ROOT

COORDINATOR = Actor("Kim Samordnare", role="coordinator")
# The targets: any file up to 50 MB is accepted or refused within 10 s and 1 GB.
SECONDS = 10
MEMORY_MB = 1024
# Runs the command line as its only child and reports the child's peak memory.
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "p = subprocess.run([sys.executable, '-m', 'safetycore', *sys.argv[1:]], capture_output=True,"
    " text=True)\n"
    "s = time.perf_counter() - t\n"
    "sys.stdout.write(p.stdout); sys.stderr.write(p.stderr)\n"
    "print(f'\\n@@ {p.returncode} {s:.3f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}')\n"
)
HEADER = ["Tidpunkt", "Typ", "Område", "Kommentar"]
ROW = ["2026-11-02 21:30", "Klotter", "Centrum", "Klotter på väggen vid kiosken"]
MAPPING = {
    "columns": {"time": "Tidpunkt", "category": "Typ", "area": "Område", "description": "Kommentar"}
}


def cli(db_path, *args) -> dict:
    """``python -m safetycore import ...`` in a process of its own: exit code, output,
    seconds and peak resident memory (MB)."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, "import", *map(str, args), "--db", str(db_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SECONDS * 6,
    )
    out, _, tail = done.stdout.rpartition("\n@@ ")
    code, seconds, rss_kb = tail.split()
    return {
        "code": int(code),
        "out": out,
        "err": done.stderr,
        "seconds": float(seconds),
        "memory_mb": int(rss_kb) / 1024,
    }


def assert_bounded(run: dict) -> None:
    assert "Traceback" not in run["err"], run["err"][-2000:]
    assert run["seconds"] < SECONDS, run
    assert run["memory_mb"] < MEMORY_MB, run


def refused(run: dict, *words: str) -> None:
    assert_bounded(run)
    assert run["code"] == 2, run
    assert run["err"].startswith("error: "), run["err"]
    for word in words:
        assert word in run["err"], run["err"]


def state(con) -> tuple:
    return (
        con.execute("SELECT count(*) FROM incidents").fetchone()[0],
        con.execute("SELECT count(*) FROM import_batches").fetchone()[0],
        con.execute("SELECT count(*) FROM rejected_rows").fetchone()[0],
    )


def write_mapping(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = '[columns]\ntime = "Tidpunkt"\ncategory = "Typ"\narea = "Område"\n'


@pytest.fixture()
def con(fresh_db):
    connection = db.connect(str(fresh_db))
    yield connection
    connection.close()


# --- XLSX ---


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx(path, rows: list[list[str]], dimension: str | None = "A1:XFD1048576"):
    """A minimal workbook written by hand: one sheet of inline strings whose <dimension>
    says whatever it is told (Excel's largest, by default)."""
    from openpyxl.utils import get_column_letter

    body = "".join(
        f'<row r="{i}">'
        + "".join(_inline(f"{get_column_letter(j)}{i}", v) for j, v in enumerate(r, start=1))
        + "</row>"
        for i, r in enumerate(rows, start=1)
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    parts = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{pkg}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{main}">'
            f"{dim}<sheetData>{body}</sheetData></worksheet>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def test_xlsx_declaring_16384_columns_is_read_within_bounds(con, fresh_db, tmp_path):
    path = xlsx(tmp_path / "bomb.xlsx", [HEADER, ROW])
    assert path.stat().st_size < 2000
    mapping = write_mapping(tmp_path / "m.toml", MINIMAL + 'description = "Kommentar"\n')
    started = time.perf_counter()
    result = import_file(con, path, COORDINATOR, mapping=mapping)
    assert time.perf_counter() - started < 3  # was 15–40 s and 0.6–3.5 GB
    assert (result.format, result.read, result.imported) == ("xlsx", 1, 1)
    assert con.execute(
        "SELECT description FROM incidents WHERE import_batch_id = $b", {"b": result.batch_id}
    ).fetchall() == [(ROW[3],)]
    con.close()
    run = cli(
        fresh_db,
        xlsx(tmp_path / "bomb2.xlsx", [HEADER, ["2026-11-03 21:30", *ROW[1:]]]),
        "--mapping",
        mapping,
        "--json",
    )
    assert_bounded(run)
    assert run["code"] == 0 and json.loads(run["out"])["imported"] == 1


def test_xlsx_with_more_columns_than_the_limit_is_refused(con, fresh_db, tmp_path):
    wide = HEADER + [f"extra {i}" for i in range(300)]
    path = xlsx(tmp_path / "wide.xlsx", [wide, ROW])
    before = state(con)
    with pytest.raises(limits.FileRefused, match=f"at most {limits.MAX_COLUMNS} are read"):
        import_file(con, path, COORDINATOR, mapping=MAPPING)
    assert state(con) == before
    con.close()
    refused(
        cli(fresh_db, path, "--mapping", write_mapping(tmp_path / "m.toml", MINIMAL)),
        "columns",
        "Nothing was imported",
    )


def test_xlsx_whose_sheet_has_too_many_cells_is_refused_before_parsing(con, tmp_path):
    # No <dimension>: opening such a sheet would read all of it; its cells are counted first.
    rows = [HEADER] + [ROW] * (limits.XLSX_MAX_CELLS // 4 + 10)
    path = xlsx(tmp_path / "big.xlsx", rows, dimension=None)
    started = time.perf_counter()
    with pytest.raises(limits.FileRefused, match="Save the sheet as CSV"):
        import_file(con, path, COORDINATOR, mapping=MAPPING)
    assert time.perf_counter() - started < 3


# --- CSV ---


def test_csv_with_20000_columns_is_refused_fast(con, fresh_db, tmp_path):
    path = tmp_path / "wide.csv"
    names = HEADER + [f"kol{i}" for i in range(19_996)]
    path.write_text(
        ",".join(names) + "\n" + ",".join(["igår", *ROW[1:]] + [""] * 19_996) + "\n",
        encoding="utf-8",
    )
    assert 150_000 < path.stat().st_size < 300_000  # about 200 KB
    before = state(con)
    started = time.perf_counter()
    with pytest.raises(limits.FileRefused, match="20,000 columns"):
        import_file(con, path, COORDINATOR, mapping=MAPPING)
    assert time.perf_counter() - started < 2  # was 72 s, quadratic, holding the import lock
    assert state(con) == before
    con.close()
    refused(
        cli(fresh_db, path, "--mapping", write_mapping(tmp_path / "m.toml", MINIMAL)),
        "20,000 columns",
        f"at most {limits.MAX_COLUMNS}",
    )


def test_csv_with_a_narrow_header_and_wide_rows_is_refused(con, tmp_path):
    path = tmp_path / "narrow.csv"
    path.write_text(
        ",".join(HEADER) + "\n" + ",".join(ROW) + "\n" + (";".join(["x"] * 5000) + "\n") * 20,
        encoding="utf-8",
    )
    with pytest.raises(limits.FileRefused, match="5,000 columns"):
        import_file(con, path, COORDINATOR, mapping=MAPPING)


def test_csv_beyond_the_cell_budget_is_refused(con, fresh_db, tmp_path):
    # 50 MB: 200 empty columns on 250,000 lines, 50 million cells.
    path = tmp_path / "cells.csv"
    line = ("," * (limits.MAX_COLUMNS - 1) + "\n").encode()
    with open(path, "wb") as fh:
        fh.write((",".join(HEADER) + "," * (limits.MAX_COLUMNS - len(HEADER)) + "\n").encode())
        fh.write(line * (50 * 1024 * 1024 // len(line)))
    with pytest.raises(limits.FileRefused, match="cells are read in one import"):
        import_file(con, path, COORDINATOR, mapping=MAPPING)
    con.close()
    refused(
        cli(fresh_db, path, "--mapping", write_mapping(tmp_path / "m.toml", MINIMAL)),
        "cells",
        "Split it",
    )


# --- JSON ---


@pytest.mark.parametrize("fmt", ["auto", "polisen", "open311"])
def test_json_nested_50000_deep_is_refused_with_a_message(con, fresh_db, tmp_path, fmt):
    path = tmp_path / "deep.json"
    path.write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    before = state(con)
    with pytest.raises(UsageError, match="50,000 levels deep"):
        import_file(con, path, COORDINATOR, fmt=fmt)
    assert state(con) == before
    con.close()
    refused(
        cli(fresh_db, path, "--format", fmt),
        "50,000 levels deep",
        f"at most {limits.JSON_MAX_DEPTH}",
    )


def test_json_depth_is_counted_outside_strings():
    assert limits.json_depth('[{"a": "[[[[[[", "b": [1, {"c": "\\"]]]"}]}]') == 4
    assert limits.json_depth("[" * 100 + "]" * 100) == 100


# --- mappings ---

MALFORMED = {
    "top-level time": ('time = "x"\n' + MINIMAL, "[time] must be a section"),
    "description a number": (MINIMAL + "description = 5\n", "[columns] description must be"),
    "unknown zone": (MINIMAL + '[time]\ntimezone = "Mars/Olympus"\n', "[time] timezone must be"),
    "format without directives": (MINIMAL + '[time]\nformats = "x"\n', "[time] formats must be"),
    "unknown directive": (MINIMAL + '[time]\nformats = ["%Q"]\n', "[time] formats must be"),
    "time column a list": (
        MINIMAL.replace('time = "Tidpunkt"', 'time = ["a", "b"]'),
        "[columns] time must be",
    ),
    "categories a list": ('categories = ["a"]\n' + MINIMAL, "[categories] must be a section"),
    "earliest not a date": (MINIMAL + '[time]\nearliest = "igår"\n', "[time] earliest"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_mapping_values_get_a_message_naming_the_key(con, fresh_db, tmp_path, case):
    text, message = MALFORMED[case]
    mapping = write_mapping(tmp_path / "bad.toml", text)
    path = tmp_path / "vecka.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(ROW) + "\n", encoding="utf-8")
    before = state(con)
    with pytest.raises(UsageError) as caught:
        import_file(con, path, COORDINATOR, mapping=mapping)
    assert message in str(caught.value) and "bad.toml" in str(caught.value)
    assert state(con) == before
    con.close()
    refused(cli(fresh_db, path, "--mapping", mapping), message)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_mapping_with_only_the_required_keys_imports(con, fresh_db, tmp_path, fmt):
    mapping = write_mapping(tmp_path / "minimal.toml", MINIMAL)
    rows = [HEADER[:3], ROW[:3], ["2026-11-03 08:15", "Skadegörelse", "Centrum"]]
    if fmt == "csv":
        path = tmp_path / "vecka.csv"
        path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    else:
        path = xlsx(tmp_path / "vecka.xlsx", rows)
    result = import_file(con, path, COORDINATOR, mapping=mapping)
    assert (result.read, result.imported, result.rejected) == (2, 2, 0)
    assert (
        con.execute(
            "SELECT count(*) FROM incidents WHERE import_batch_id = $b AND description IS NULL "
            "AND place IS NULL AND area_id IS NOT NULL",
            {"b": result.batch_id},
        ).fetchone()[0]
        == 2
    )
    # Coordinates instead of an area, nothing else.
    coords = write_mapping(
        tmp_path / "coords.toml",
        '[columns]\ntime = "T"\ncategory = "K"\nlatitude = "Lat"\nlongitude = "Lon"\n',
    )
    path2 = tmp_path / "punkter.csv"
    path2.write_text("T;K;Lat;Lon\n2026-11-04 22:00;Klotter;59,7589;18,7049\n", encoding="utf-8")
    con.close()
    run = cli(fresh_db, path2, "--mapping", coords, "--json")
    assert_bounded(run)
    assert run["code"] == 0 and json.loads(run["out"])["imported"] == 1


# --- times ---


def _dated_csv(path):
    path.write_text(
        "\n".join(
            [
                ",".join(HEADER),
                ",".join(ROW),
                "1900-01-01 10:00,Klotter,Centrum,Fel år",
                "0001-01-01 00:00,Klotter,Centrum,Inget år",
                "1995-06-01 12:00,Klotter,Centrum,Gammal men rimlig",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return path


def test_events_dated_0001_or_1900_are_rejected_counted_and_kept(con, fresh_db, tmp_path):
    path = _dated_csv(tmp_path / "gamla.csv")
    result = import_file(con, path, COORDINATOR, mapping=MAPPING)
    assert (result.read, result.imported, result.rejected) == (4, 2, 2)
    assert result.reasons == {"implausible_time": 2}
    assert con.execute(
        "SELECT row_number, reason FROM rejected_rows WHERE batch_id = $b ORDER BY 1",
        {"b": result.batch_id},
    ).fetchall() == [  # data rows 2, 3
        (2, "implausible_time: 1900-01-01 10:00"),
        (3, "implausible_time: 0001-01-01 00:00"),
    ]
    assert (
        con.execute(
            "SELECT min(occurred_at) FROM incidents WHERE import_batch_id = $b",
            {"b": result.batch_id},
        )
        .fetchone()[0]
        .year
        == 1995
    )
    con.close()
    # The limit is a setting: the environment, or the mapping's [time] earliest.
    mapping = write_mapping(
        tmp_path / "m.toml", MINIMAL + 'description = "Kommentar"\n[time]\nearliest = 2000-01-01\n'
    )
    run = cli(fresh_db, _dated_csv(tmp_path / "gamla2.csv"), "--mapping", mapping, "--json")
    assert_bounded(run)
    out = json.loads(run["out"])
    assert out["rejected"] == 3 and out["reasons"] == {"implausible_time": 3}


def test_the_earliest_date_comes_from_the_environment(con, tmp_path, monkeypatch):
    monkeypatch.setenv(limits.EARLIEST_ENV, "1850-01-01")
    result = import_file(con, _dated_csv(tmp_path / "a.csv"), COORDINATOR, mapping=MAPPING)
    assert (result.imported, result.reasons) == (3, {"implausible_time": 1})
    monkeypatch.setenv(limits.EARLIEST_ENV, "förra året")
    with pytest.raises(UsageError, match=limits.EARLIEST_ENV):
        import_file(con, _dated_csv(tmp_path / "b.csv"), COORDINATOR, mapping=MAPPING)


def test_open311_dated_1900_is_rejected_as_implausible(con, tmp_path):
    path = tmp_path / "requests.json"
    path.write_text(
        json.dumps(
            [
                {
                    "service_request_id": "1",
                    "service_name": "Graffiti",
                    "lat": 59.7589,
                    "long": 18.7049,
                    "requested_datetime": "1900-05-01T10:00:00+01:00",
                },
                {
                    "service_request_id": "2",
                    "service_name": "Graffiti",
                    "lat": 59.7589,
                    "long": 18.7049,
                    "requested_datetime": "2026-11-01T10:00:00+01:00",
                },
            ]
        ),
        encoding="utf-8",
    )
    result = import_file(con, path, COORDINATOR)
    assert (result.read, result.imported, result.reasons) == (2, 1, {"implausible_time": 1})


# --- encodings ---


def test_utf8_file_with_one_windows_1252_line_keeps_every_letter(con, fresh_db, tmp_path):
    path = tmp_path / "blandad.csv"
    path.write_bytes(
        (",".join(HEADER) + "\n" + ",".join(ROW) + "\n").encode("utf-8")
        + "2026-11-03 21:30,Klotter,Centrum,Här är åtta äpplen\n".encode("cp1252")
        + "2026-11-04 21:30,Klotter,Centrum,Över ån i Öregrund\n".encode()
    )
    result = import_file(con, path, COORDINATOR, mapping=MAPPING)
    assert (result.read, result.imported) == (3, 3)
    assert [
        r[0]
        for r in con.execute(
            "SELECT description FROM incidents WHERE import_batch_id = $b ORDER BY occurred_at",
            {"b": result.batch_id},
        ).fetchall()
    ] == [ROW[3], "Här är åtta äpplen", "Över ån i Öregrund"]


def test_mixed_decoding_line_by_line():
    data = "Å,ä\n".encode() + "ö,é – ok\n".encode("cp1252") + "€ ü\n".encode()
    assert limits.decode_text(data, "cp1252") == "Å,ä\nö,é – ok\n€ ü\n"
    assert limits.decode_text("Ärende;Område\n".encode("cp1252"), "cp1252") == "Ärende;Område\n"


# --- uploads ---


def test_the_server_bounds_uploads_at_the_pages_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES == 50 * 1024 * 1024


def test_read_only_screen_disables_both_uploaders(demo_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SAFETY_DB", str(demo_db))
    monkeypatch.setenv("SAFETY_READONLY", "1")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/datakallor.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    uploaders = {
        u.proto.id.split("-")[-1] if not u.key else u.key: u for u in at.get("file_uploader")
    }
    assert {"imp_file", "imp_mapping_file"} <= uploaders.keys(), list(uploaders)
    assert all(uploaders[k].proto.disabled for k in ("imp_file", "imp_mapping_file"))
