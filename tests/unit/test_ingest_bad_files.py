"""Constructed bad files: refused whole or read right, never half-written."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import openpyxl
import pytest

from safetycore import db
from safetycore.__main__ import main
from safetycore.access import Actor
from safetycore.errors import UsageError
from safetycore.ingest import common, import_file
from tests.conftest import ROOT
from tests.unit.test_ingest_samples import POLISEN

COORDINATOR = Actor("Kim Samordnare", role="coordinator")
# A security company's weekly spreadsheet, Swedish style.
MAPPING = {
    "source": "Väktarbolaget",
    "columns": {
        "id": "Ärende",
        "time": "Tidpunkt",
        "category": "Typ",
        "latitude": "Lat",
        "longitude": "Lon",
        "place": "Plats",
        "description": "Kommentar",
    },
    "time": {"formats": ["%Y-%m-%d %H:%M", "%Y-%m-%d"]},
    "categories": {"Klotter": "graffiti", "Larm, falskt": "-"},
}
HEADER = "Ärende;Tidpunkt;Typ;Lat;Lon;Plats;Kommentar"
ROWS = [
    "A1;2026-11-02 21:30;Klotter;59,7589;18,7049;Stora torget;Klotter på väggen, ring 070-123 45 67",
    "A2;2026-11-03 22:10;Skadegörelse;59,7601;18,7012;Busstationen;Krossad ruta",
    "A3;2026-11-04;Larm, falskt;59,7601;18,7012;Busstationen;",
    "A4;igår kväll;Klotter;59,7589;18,7049;Stora torget;",
    "A5;2026-11-05 23:00;Okänd typ;59,7589;18,7049;Stora torget;",
    "A6;2026-11-05 23:00;Klotter;57,7000;11,9700;Göteborg;",
    "A7;2099-01-01 10:00;Klotter;59,7589;18,7049;Stora torget;",
]


def counts(result) -> tuple:
    return (result.read, result.imported, result.duplicates, result.rejected, result.skipped)


def state(con) -> tuple:
    return (
        con.execute("SELECT count(*) FROM incidents").fetchone()[0],
        con.execute("SELECT count(*) FROM import_batches").fetchone()[0],
        db.data_version(con),
    )


@pytest.fixture()
def con(fresh_db):
    connection = db.connect(str(fresh_db))
    yield connection
    connection.close()


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_latin1_or_bom_semicolons_decimal_commas(con, tmp_path, encoding):
    path = tmp_path / "vecka45.csv"
    path.write_bytes("\r\n".join([HEADER, *ROWS]).encode(encoding))
    result = import_file(con, path, COORDINATOR, fmt="csv", mapping=MAPPING)
    assert counts(result) == (7, 2, 0, 4, 1)
    assert result.reasons == {
        "future_time": 1,
        "not_incident": 1,
        "outside_areas": 1,
        "unknown_category": 1,
        "unparseable_time": 1,
    }
    rows = con.execute(
        "SELECT source_ref, category, lat, area_id IS NOT NULL, description, source FROM incidents "
        "WHERE import_batch_id = $b ORDER BY source_ref",
        {"b": result.batch_id},
    ).fetchall()
    assert [r[:4] for r in rows] == [
        ("A1", "graffiti", 59.7589, True),
        ("A2", "vandalism", 59.7601, True),
    ]
    # Å, ä, ö survive either encoding; the phone number is masked before it is stored.
    assert rows[0][4] == "Klotter på väggen, ring [telefonnummer]"
    assert rows[0][5] == "vaktarbolaget"
    assert con.execute("SELECT label_sv FROM sources WHERE code = 'vaktarbolaget'").fetchone() == (
        "Väktarbolaget",
    )
    reasons = dict(
        con.execute(
            "SELECT row_number, reason FROM rejected_rows WHERE batch_id = $b",
            {"b": result.batch_id},
        ).fetchall()
    )
    assert reasons[4] == "unparseable_time" and reasons[5] == "unknown_category: Okänd typ"
    assert reasons[7].startswith("future_time")
    # Fixed and imported again: only the corrected rows come in.
    path.write_bytes(
        "\r\n".join([HEADER, *ROWS[:3], ROWS[3].replace("igår kväll", "2026-11-04 22:00")]).encode(
            encoding
        )
    )
    fixed = import_file(con, path, COORDINATOR, fmt="csv", mapping=MAPPING)
    assert counts(fixed) == (4, 1, 2, 0, 1)


def test_xlsx_with_a_merged_title_over_the_header(con, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Incidentrapport vecka 45"])
    sheet.merge_cells("A1:G1")
    sheet.append(HEADER.split(";"))
    for line in ROWS[:3]:
        cells = line.split(";")
        cells[3], cells[4] = float(cells[3].replace(",", ".")), float(cells[4].replace(",", "."))
        sheet.append(cells)
    path = tmp_path / "vecka45.xlsx"
    book.save(path)
    result = import_file(con, path, COORDINATOR, mapping=MAPPING)  # format detected
    assert (result.format, counts(result)) == ("xlsx", (3, 2, 0, 0, 1))
    assert con.execute(
        "SELECT row_number FROM rejected_rows WHERE batch_id = $b", {"b": result.batch_id}
    ).fetchall() == [(5,)]  # the spreadsheet's row


def test_truncated_json_is_refused_and_nothing_written(con, tmp_path):
    text = POLISEN.read_text(encoding="utf-8")
    path = tmp_path / "events.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    before = state(con)
    with pytest.raises(UsageError, match="not complete JSON"):
        import_file(con, path, COORDINATOR, fmt="polisen")
    with pytest.raises(UsageError, match="not complete JSON"):
        import_file(con, path, COORDINATOR)
    assert state(con) == before


def test_garbage_and_wrong_format_are_refused(con, tmp_path):
    garbage = tmp_path / "big.csv"
    with open(garbage, "wb") as fh:
        block = bytes(range(256)) * 4096
        for _ in range(50):
            fh.write(block)  # 50 MB of bytes that are no text at all
    before = state(con)
    started = time.perf_counter()
    with pytest.raises(UsageError, match="not a text file"):
        import_file(con, garbage, COORDINATOR, mapping=MAPPING)
    assert time.perf_counter() - started < 2
    csv_path = tmp_path / "police.json"
    csv_path.write_text(HEADER + "\n" + ROWS[0], encoding="utf-8")
    with pytest.raises(UsageError, match="police's events API"):
        import_file(con, csv_path, COORDINATOR, fmt="polisen")
    with pytest.raises(UsageError, match="lacks the column"):
        import_file(con, POLISEN, COORDINATOR, fmt="police-uk")
    with pytest.raises(UsageError, match="--mapping"):
        import_file(con, csv_path, COORDINATOR, fmt="csv")
    assert state(con) == before


def test_failure_half_way_leaves_nothing(con, monkeypatch):
    before = state(con)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(common.privacy, "mask_series", explode)  # after the rows are read
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(con, POLISEN, COORDINATOR)
    assert state(con) == before


def test_two_imports_at_once_never_duplicate(con):
    results, errors = [], []

    def run():
        try:
            results.append(import_file(con, POLISEN, COORDINATOR))
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(r.imported for r in results) == [0, 90]
    assert sorted(r.duplicates for r in results) == [0, 90]
    assert (
        con.execute(
            "SELECT count(*) - count(DISTINCT source_ref) FROM incidents WHERE source = 'police'"
        ).fetchone()[0]
        == 0
    )


def test_cli_exit_codes(fresh_db, tmp_path, capsys):
    assert main(["import", str(tmp_path / "missing.csv"), "--db", str(fresh_db)]) == 2
    bad = tmp_path / "x.json"
    bad.write_text('[{"id": 1', encoding="utf-8")
    assert main(["import", str(bad), "--db", str(fresh_db), "--format", "polisen"]) == 2
    assert "expected the JSON of the police's events API" in capsys.readouterr().err
    assert main(["import", str(POLISEN), "--db", str(fresh_db), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"batch_id", "read", "imported", "duplicates", "rejected", "skipped"} <= out.keys()
    assert out["read"] == out["imported"] + out["duplicates"] + out["rejected"] + out["skipped"]
    # Another process holds the database: exit 3, and say where to import instead.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]); "
            "print('ready', flush=True); time.sleep(30)",
            str(fresh_db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        done = subprocess.run(
            [sys.executable, "-m", "safetycore", "import", str(POLISEN), "--db", str(fresh_db)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 3
        assert "Data page" in done.stderr
    finally:
        holder.kill()
        holder.wait()
