"""Refused import rows: their content only for the roles that may import, without the rows in
sensitive categories for roles that may not see those; stored in time linear in their size."""

from __future__ import annotations

import csv
import datetime as dt
import json
import time

import numpy as np
import pandas as pd
import pytest

from safetycore import db
from safetycore.access import AccessDenied, Actor
from safetycore.ingest import import_file, refused
from tests.conftest import DEMO_END, run_app

COORDINATOR = Actor("Kim Samordnare", role="coordinator")
ADMIN = Actor("Ada Admin", role="admin")
VIEWER = Actor("Vera Läsare", role="viewer")
REPORTER = Actor("Rut Rapportör", role="reporter")
SCREEN = Actor("read-only screen", role="viewer", read_only=True)
DAY = DEMO_END - dt.timedelta(days=2)
MAPPING = {"columns": {"time": "Tid", "category": "Typ", "area": "Område", "description": "Text"}}


@pytest.fixture()
def con(fresh_db):
    connection = db.connect(str(fresh_db))
    yield connection
    connection.close()


def import_refused(con, tmp_path) -> int:
    """A file with a sexual offence and a graffiti row refused (an area we do not have), and
    one graffiti row imported."""
    rows = [
        ["Tid", "Typ", "Område", "Text"],
        [f"{DAY} 21:30", "Sexualbrott", "Atlantis", "Sexualbrott vid bryggan"],
        [f"{DAY} 22:30", "Klotter", "Atlantis", "Klotter på muren, ring 070-918 27 36"],
        [f"{DAY} 23:30", "Klotter", "Centrum", "Klotter vid kiosken"],
    ]
    path = tmp_path / "vecka.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    result = import_file(con, path, COORDINATOR, fmt="csv", mapping=MAPPING)
    assert (result.imported, result.rejected) == (1, 2)
    return result.batch_id


def test_only_roles_that_may_import_see_refused_rows_and_sensitive_ones_only_with_that_right(
    con, tmp_path, monkeypatch
):
    batch = import_refused(con, tmp_path)
    # Coordinators and admins may see sensitive categories by default: both rows, masked.
    full = refused.view(con, COORDINATOR, batch)
    assert len(full.rows) == 2 and full.hidden_sensitive == 0
    assert any("Sexualbrott vid bryggan" in r for r in full.rows["raw"])
    assert any("[telefonnummer]" in r for r in full.rows["raw"])
    assert not any("918 27 36" in r for r in full.rows["raw"])
    assert "Sexualbrott" in refused.rows_csv(con, ADMIN, batch).decode("utf-8-sig")

    # A municipality where only admins see sensitive categories: the coordinator gets the
    # graffiti row and a count of the one left out; the download leaves it out too.
    monkeypatch.setenv("SAFETY_SENSITIVE_ROLES", "admin")
    partial = refused.view(con, COORDINATOR, batch)
    assert len(partial.rows) == 1 and partial.hidden_sensitive == 1 and partial.total == 2
    assert "Sexualbrott" not in partial.rows["raw"].iloc[0]
    download = refused.rows_csv(con, COORDINATOR, batch).decode("utf-8-sig")
    assert "Klotter på muren" in download and "Sexualbrott" not in download
    assert len(refused.view(con, ADMIN, batch).rows) == 2

    # Viewers, reporters and the read-only screen: counts and reasons, never the content.
    for actor in (VIEWER, REPORTER, SCREEN):
        seen = refused.view(con, actor, batch)
        assert seen.rows is None and not seen.may_download
        assert seen.total == 2 and seen.reasons["reason"].tolist() == ["outside_areas"]
        with pytest.raises(AccessDenied):
            refused.rows_csv(con, actor, batch)


def test_rows_of_unknown_sensitivity_are_kept_from_roles_without_the_right(
    con, tmp_path, monkeypatch
):
    batch = import_refused(con, tmp_path)
    # Rows stored before sensitivity was recorded have none: treated as sensitive.
    con.execute(
        "UPDATE rejected_rows SET sensitive = NULL, category = NULL WHERE batch_id = $b",
        {"b": batch},
    )
    monkeypatch.setenv("SAFETY_SENSITIVE_ROLES", "admin")
    seen = refused.view(con, COORDINATOR, batch)
    assert len(seen.rows) == 0 and seen.hidden_sensitive == 2
    assert len(refused.view(con, ADMIN, batch).rows) == 2


@pytest.mark.parametrize("who", ["coordinator", "read-only"])
def test_the_data_page_shows_rows_only_to_roles_that_may_import(
    fresh_db, tmp_path, monkeypatch, who
):
    from ui import cache

    con = db.connect(str(fresh_db))
    try:
        batch = import_refused(con, tmp_path)
    finally:
        con.close()
    cache.clear_cached_results()
    monkeypatch.setenv("SAFETY_DB", str(fresh_db))
    monkeypatch.setenv("SAFETY_SENSITIVE_ROLES", "admin")
    if who == "read-only":
        monkeypatch.setenv("SAFETY_READONLY", "1")
    at = run_app("pages/datakallor.py")
    at.selectbox(key="hist_batch").select(batch).run()
    assert not at.exception, [e.value for e in at.exception]
    captions = [c.value for c in at.caption]
    downloads = [b for b in at.get("download_button") if "avvisade" in b.proto.label]
    tables = [f.value for f in at.dataframe if "Innehåll" in f.value.columns]
    reasons = [
        f.value for f in at.dataframe if "Orsak" in f.value.columns and "Antal" in f.value.columns
    ]
    assert reasons and int(reasons[0]["Antal"].sum()) == 2  # counts and reasons for everyone
    if who == "coordinator":  # may import, may not see sensitive categories here
        assert downloads and len(tables) == 1 and len(tables[0]) == 1
        assert "Klotter på muren" in tables[0]["Innehåll"].iloc[0]
        assert any("1 rader i känsliga kategorier visas inte" in c for c in captions), captions
    else:
        assert not downloads and not tables
        assert any("visas bara för roller som får importera" in c for c in captions), captions


def test_refused_row_of_20000_columns_is_stored_in_linear_time(con, tmp_path):
    """A row of 20,000 cells, refused: its raw text built, masked and stored in well under the
    5 seconds a user would notice (it was 72 s, quadratic, holding the import lock)."""
    frame = pd.DataFrame(
        {f"falt{i}": [f"värde {i}, ring 070-918 27 36"] for i in range(20_000)}, dtype=object
    )
    started = time.perf_counter()
    with db.transaction(con) as cur:
        raws = refused.raw_from_frame(frame)(np.array([0]))
        refused.store(
            cur,
            999,
            {
                "row_no": [1],
                "outcome": ["rejected"],
                "reason": ["no_location"],
                "category": ["graffiti"],
            },
            raws,
        )
    assert time.perf_counter() - started < 5
    raw = con.execute("SELECT raw FROM rejected_rows WHERE batch_id = 999").fetchone()[0]
    assert len(raw) == refused.RAW_MAX_CHARS and raw.startswith(
        '{"falt0": "värde 0, ring [telefonnummer]"'
    )
    assert "918 27 36" not in raw

    # The same through a whole import: an Open311 request with 20,000 fields, refused (no
    # location), stored masked and cut to the stored length.
    fields = {f"falt{i}": f"värde {i}" for i in range(20_000)}
    requests = [
        {
            "service_request_id": "w1",
            "service_name": "Klotter",
            "requested_datetime": f"{DAY}T10:00:00+01:00",
            "description": "Klotter, ring 070-918 27 36",
            **fields,
        }
    ]
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(requests, ensure_ascii=False), encoding="utf-8")
    cpu = time.process_time()  # the machine's load aside
    result = import_file(con, path, COORDINATOR, fmt="open311")
    assert time.process_time() - cpu < 5
    assert result.rejected == 1
    raw = con.execute(
        "SELECT raw FROM rejected_rows WHERE batch_id = $b", {"b": result.batch_id}
    ).fetchone()[0]
    assert len(raw) == refused.RAW_MAX_CHARS and raw.startswith('{"service_request_id": "w1"')
    assert "[telefonnummer]" in raw and "918 27 36" not in raw


def test_raw_text_of_a_table_grows_linearly_with_its_columns():
    def seconds(columns: int) -> float:
        frame = pd.DataFrame({f"c{i}": ["ett värde " * 3] for i in range(columns)}, dtype=object)
        started = time.perf_counter()
        raw = refused.raw_from_frame(frame)(np.array([0]))
        took = time.perf_counter() - started
        assert len(raw) == 1 and raw[0].startswith('{"c0": "ett värde')
        assert len(raw[0]) <= refused.RAW_READ_CHARS + 200
        return took

    small, large = seconds(5_000), seconds(20_000)
    assert large < 2  # the columns past the stored length are not read at all
    assert large < 8 * small + 0.5  # four times the columns: not sixteen times the time


def test_many_refused_rows_are_stored_fast(con, tmp_path):
    """50,000 refused rows of a police-uk file (outside every area): stored, masked, in
    seconds."""
    path = tmp_path / "street.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "Crime ID",
                "Month",
                "Reported by",
                "Falls within",
                "Longitude",
                "Latitude",
                "Location",
                "LSOA code",
                "LSOA name",
                "Crime type",
                "Last outcome category",
                "Context",
            ]
        )
        for i in range(50_000):
            w.writerow(
                [
                    f"id{i}",
                    "2026-10",
                    "x",
                    "x",
                    "-0.1",
                    "51.5",
                    f"On or near {i} Street",
                    "",
                    "",
                    "Burglary",
                    "",
                    "ring 070-918 27 36" if i % 2 else "",
                ]
            )
    started = time.perf_counter()
    result = import_file(con, path, COORDINATOR, fmt="police-uk")
    assert time.perf_counter() - started < 30
    assert result.rejected == 50_000
    assert (
        con.execute(
            "SELECT count(*) FROM rejected_rows WHERE batch_id = $b AND "
            "contains(raw, '[telefonnummer]')",
            {"b": result.batch_id},
        ).fetchone()[0]
        == 25_000
    )
