"""Imports of the real samples: exact counts per outcome, idempotent re-import, undo."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from safetycore import db
from safetycore.__main__ import main
from safetycore.access import AccessDenied, Actor
from safetycore.ingest import import_file, undo_batch
from safetycore.ingest.polisen import event_time
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
POLISEN = FIXTURES / "polisen_events_sample.json"
POLICE_UK = FIXTURES / "police_uk_2019-01-city-of-london-street.csv"
NYC = FIXTURES / "nyc311_2022-05-01.csv"
NYC_MAPPING = ROOT / "data" / "mappings" / "nyc311.toml"
COORDINATOR = Actor("Kim Samordnare", role="coordinator")


def counts(result) -> tuple:
    return (result.read, result.imported, result.duplicates, result.rejected, result.skipped)


def area_db(tmp_path: Path, geojson: str) -> str:
    path = str(tmp_path / "areas.duckdb")
    assert main(["init", "--areas", str(FIXTURES / geojson), "--db", path]) == 0
    return path


def test_police_events_into_norrtalje(fresh_db, capsys):
    con = db.connect(str(fresh_db))
    try:
        before = con.execute("SELECT count(*) FROM incidents").fetchone()[0]
        first = import_file(con, POLISEN, COORDINATOR)
        assert counts(first) == (405, 90, 0, 0, 315)
        assert first.reasons == {"not_incident": 193, "outside_municipality": 122}
        rows = con.execute(
            "SELECT source, location_precision, area_id, h3_cell, place, time_precision "
            "FROM incidents WHERE import_batch_id = $b",
            {"b": first.batch_id},
        ).fetchall()
        assert (
            len(rows) == 90 == con.execute("SELECT count(*) FROM incidents").fetchone()[0] - before
        )
        # Events naming a locality or area ("i Rimbo", "på Rådmansö") are placed there with
        # locality precision; the others stay at the municipality's centre. Neither is ever a
        # cell, so never a hotspot.
        at_centre = [r for r in rows if r[1] == "municipality"]
        placed = [r for r in rows if r[1] == "locality"]
        assert len(at_centre) + len(placed) == 90 and len(placed) == 15
        assert {r[:5] for r in at_centre} == {("police", "municipality", None, None, "Norrtälje")}
        assert all(r[2] is not None and r[3] is None for r in placed)
        assert ("rimbo-centrum", "Rimbo") in {(r[2], r[4]) for r in placed}
        # The 2026 form (county in location.name, municipality last in name) is imported too.
        new_form = con.execute(
            "SELECT count(*) FROM incidents WHERE import_batch_id = $b AND occurred_at >= '2026-03-01'",
            {"b": first.batch_id},
        ).fetchone()[0]
        assert new_form > 0
        # The refused rows are kept with reasons and the original record.
        reason, raw = con.execute(
            "SELECT reason, raw FROM rejected_rows WHERE batch_id = $b AND outcome = 'skipped' "
            "AND reason LIKE 'not_incident%' LIMIT 1",
            {"b": first.batch_id},
        ).fetchone()
        assert json.loads(raw)["type"] in reason
        # Importing the same file again imports nothing.
        again = import_file(con, POLISEN, COORDINATOR)
        assert counts(again) == (405, 0, 90, 0, 315)
        # Undo removes the batch's events; then the file imports again.
        assert undo_batch(con, first.batch_id, COORDINATOR) == 90
        assert con.execute("SELECT count(*) FROM incidents").fetchone()[0] == before
        assert counts(import_file(con, POLISEN, COORDINATOR)) == (405, 90, 0, 0, 315)
        with pytest.raises(AccessDenied):
            undo_batch(con, first.batch_id, Actor("Rita Rapportör", role="reporter"))
    finally:
        con.close()


def test_event_time_year_and_separators():
    # Unpadded publication hour, '.' separator, and a December event published in January.
    assert event_time(
        "31 december 23.08, Vållande till kroppsskada, Solna", "2026-01-01 0:05:56 +01:00"
    ) == dt.datetime(2025, 12, 31, 23, 8)
    assert event_time(
        "20 mars 10:42, Ofredande/förargelse, Stockholm", "2023-03-20 11:58:36 +01:00"
    ) == dt.datetime(2023, 3, 20, 10, 42)
    assert event_time("1 januari 0.05, Bråk, Norrtälje", "2026-01-01 2:00:00 +01:00") == (
        dt.datetime(2026, 1, 1, 0, 5)
    )
    assert event_time("Sammanfattning natt", "2026-01-01 2:00:00 +01:00") is None


def test_police_uk_into_city_of_london(tmp_path):
    con = db.connect(area_db(tmp_path, "city_of_london_areas.geojson"))
    try:
        result = import_file(con, POLICE_UK, COORDINATOR)
        # Two Crime IDs occur twice in the file (and one "Other crime" row repeats the id of
        # another row); 31 rows have no location; 10 lie outside the two areas; "Other crime"
        # (5 rows) is imported as "other incident", never dropped.
        assert counts(result) == (617, 573, 3, 41, 0)
        assert result.reasons == {"no_location": 31, "outside_areas": 10}
        assert con.execute(
            "SELECT category, kind, category_raw, count(*) FROM incidents "
            "WHERE category LIKE 'other%' GROUP BY ALL"
        ).fetchall() == [("other_incident", "incident", "Other crime", 4)]
        month_only, hashed = con.execute(
            "SELECT count(*) FILTER (WHERE time_precision = 'month' AND occurred_at = '2019-01-01'), "
            "count(*) FILTER (WHERE source_ref LIKE 'h:%') FROM incidents"
        ).fetchone()
        assert month_only == 573
        assert (
            hashed == 91
        )  # anti-social behaviour rows without Crime ID inside the areas, all kept
        assert counts(import_file(con, POLICE_UK, COORDINATOR)) == (617, 0, 576, 41, 0)
    finally:
        con.close()


def test_nyc311_with_the_shipped_mapping(tmp_path, capsys):
    path = area_db(tmp_path, "new_york_areas.geojson")
    capsys.readouterr()
    assert main(["import", str(NYC), "--db", path, "--mapping", str(NYC_MAPPING), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {k: out[k] for k in ("read", "imported", "duplicates", "rejected", "skipped")} == {
        "read": 924,
        "imported": 745,
        "duplicates": 0,
        "rejected": 10,
        "skipped": 169,
    }
    assert out["read"] == out["imported"] + out["duplicates"] + out["rejected"] + out["skipped"]
    assert main(["import", str(NYC), "--db", path, "--mapping", str(NYC_MAPPING), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["imported"], again["duplicates"]) == (0, 745)
    con = db.connect(path, read_only=True)
    try:
        noise = con.execute(
            "SELECT category, area_id, place, time_precision FROM incidents "
            "WHERE source_ref = '54049402'"
        ).fetchone()
        assert noise == ("disorder", "new-york-city-north", "1006 GERARD AVENUE", "exact")
        assert con.execute("SELECT label_sv FROM sources WHERE code = 'nyc_311'").fetchone() == (
            "NYC 311",
        )
    finally:
        con.close()
