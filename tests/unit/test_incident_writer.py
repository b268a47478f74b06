"""The one writer of incidents: whatever writes them (the demo, an import, an observation), kind
and sensitivity are the category's and the area group the area's, and the statements that
move an area or make a category sensitive keep the written rows in step."""

from __future__ import annotations

import datetime as dt
import re

from safetycore import area_admin, db, geo
from safetycore.access import Actor
from safetycore.incidents import COLUMNS, insert_incident, staged_frame
from safetycore.ingest import import_file
from safetycore.ingest.observation import Observation, pick_cells, report_observation
from safetycore.taxonomy import seed_taxonomy
from tests.conftest import DEMO_END, DEMO_INCIDENTS, ROOT

ADMIN = Actor("ada@kommun.se", "admin")
COORDINATOR = Actor("Kim Samordnare", role="coordinator")
REPORTER = Actor("Rektor", role="reporter")

# Rows whose copied columns differ from their category's and their area's, among the rows whose
# reference matches $refs (LIKE).
MISMATCHES = """
SELECT count(*) FILTER (i.kind IS DISTINCT FROM c.kind
                        OR i.sensitive IS DISTINCT FROM c.sensitive
                        OR i.area_group_id IS DISTINCT FROM a.area_group_id) AS wrong,
       count(*) AS n,
       count(*) FILTER (i.sensitive) AS sensitive,
       count(*) FILTER (i.area_group_id IS NOT NULL) AS grouped
FROM incidents AS i
LEFT JOIN categories AS c ON c.code = i.category
LEFT JOIN areas AS a ON a.id = i.area_id
WHERE i.source_ref LIKE $refs
"""


def check(con, refs: str) -> tuple[int, int, int, int]:
    return con.execute(MISMATCHES, {"refs": refs}).fetchone()


def test_the_demo_rows_carry_kind_sensitivity_and_group(demo_con):
    wrong, n, sensitive, grouped = check(demo_con, "demo-%")
    assert n == DEMO_INCIDENTS
    assert wrong == 0
    assert 0 < sensitive < n and grouped > 0.8 * n


IMPORT_MAPPING = {
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
    "time": {"formats": ["%Y-%m-%d %H:%M"]},
    "categories": {
        "Klotter": "graffiti",
        "Våld i hemmet": "domestic_violence",
        "Konstigt": "other_incident",
    },
}
IMPORT_ROWS = [
    "Ärende;Tidpunkt;Typ;Lat;Lon;Plats;Kommentar",
    "W1;2026-11-02 21:30;Klotter;59,7589;18,7049;Stora torget;Klotter på väggen",
    "W2;2026-11-03 22:10;Våld i hemmet;59,7601;18,7012;;",
    "W3;2026-11-01 08:00;Konstigt;59,7601;18,7012;Busstationen;",
]


def test_an_import_carries_kind_sensitivity_and_group(fresh_db, tmp_path):
    path = tmp_path / "vaktare.csv"
    path.write_text("\n".join(IMPORT_ROWS) + "\n", encoding="utf-8")
    con = db.connect(str(fresh_db))
    try:
        result = import_file(con, path, COORDINATOR, fmt="csv", mapping=IMPORT_MAPPING)
        assert result.imported == 3
        assert check(con, "W%") == (0, 3, 1, 3)
        rows = con.execute(
            "SELECT source_ref, id >> 32, import_batch_id, place, description, category_raw, "
            "h3_cell IS NOT NULL, location_precision FROM incidents WHERE source_ref LIKE 'W%' "
            "ORDER BY occurred_at"
        ).fetchall()
    finally:
        con.close()
    batch = result.batch_id
    # In time order, ids from the batch, empty text as NULL, the source's own type kept for the
    # "other" category only, a cell for the drawable points (a sensitive one is drawn nowhere:
    # its point is moved to the area's centre before the writer sees it).
    assert [r[:3] for r in rows] == [
        ("W3", batch, batch),
        ("W1", batch, batch),
        ("W2", batch, batch),
    ]
    assert rows[1][3:6] == ("Stora torget", "Klotter på väggen", None)
    assert rows[2][3:5] == (None, None)
    assert rows[0][5] == "Konstigt"
    for row in rows:
        assert row[6] == (row[7] in geo.MAPPABLE_PRECISIONS)


def test_an_observation_carries_kind_sensitivity_and_group(fresh_db):
    con = db.connect(str(fresh_db))
    try:
        areas = geo.load_areas(con)
        area = areas[0]
        sensitive = report_observation(
            con,
            REPORTER,
            Observation(
                category="domestic_violence",
                source="schools",
                day=DEMO_END,
                day_part="evening",
                area_id=area.id,
            ),
        )
        cell = pick_cells(areas)[0]
        drawn = report_observation(
            con,
            REPORTER,
            Observation(
                category="graffiti",
                source="schools",
                day=DEMO_END,
                time=dt.time(21, 35),
                cell=cell["hex"],
            ),
        )
        assert check(con, "obs-%") == (0, 2, 1, 2)
        rows = con.execute(
            "SELECT id, kind, sensitive, area_group_id, h3_cell IS NOT NULL, place, description "
            "FROM incidents WHERE source_ref LIKE 'obs-%' ORDER BY id"
        ).fetchall()
    finally:
        con.close()
    groups = {a.id: a.area_group_id for a in areas}
    assert rows == [
        (sensitive.id, "incident", True, groups[area.id], False, None, None),
        (drawn.id, "qol", False, groups[cell["area_id"]], True, None, None),
    ]


def test_one_staged_row_written_and_its_id_returned(fresh_db):
    con = db.connect(str(fresh_db))
    try:
        with db.transaction(con) as cur:
            new_id = insert_incident(
                cur,
                source="schools",
                source_ref="one-1",
                category="sexual_offence",
                occurred_at=dt.datetime(2026, 3, 4, 12, 0),
                time_precision="day",
                lat=59.76,
                lon=18.70,
                location_precision="locality",
                h3_cell=617142860108267519,  # dropped: not a drawable precision
                area_id="centrum",
                place="",
                description="",
            )
        row = con.execute(
            "SELECT source_ref, kind, sensitive, area_group_id, h3_cell, place, description "
            "FROM incidents WHERE id = $id",
            {"id": new_id},
        ).fetchone()
    finally:
        con.close()
    assert row == ("one-1", "incident", True, "norrtalje-stad", None, None, None)
    assert list(staged_frame([]).columns) == list(COLUMNS)


def test_a_moved_area_takes_its_incidents_to_the_new_group(fresh_db):
    con = db.connect(str(fresh_db))
    try:
        area_id, old_group, n = con.execute(
            "SELECT area_id, area_group_id, count(*) FROM incidents WHERE area_id IS NOT NULL "
            "GROUP BY ALL ORDER BY 3 DESC LIMIT 1"
        ).fetchone()
        new_group = con.execute(
            "SELECT id FROM area_groups WHERE id <> $g ORDER BY id LIMIT 1", {"g": old_group}
        ).fetchone()[0]
        area_admin.assign_area(con, ADMIN, area_id, new_group)
        moved = con.execute(
            "SELECT area_group_id, count(*) FROM incidents WHERE area_id = $a GROUP BY ALL",
            {"a": area_id},
        ).fetchall()
        assert moved == [(new_group, n)]
        assert check(con, "%")[0] == 0
    finally:
        con.close()


def test_a_category_that_became_sensitive_marks_its_incidents(fresh_db):
    con = db.connect(str(fresh_db))
    try:
        # A database written while domestic violence was not yet a sensitive category.
        with db.transaction(con) as cur:
            cur.execute("UPDATE categories SET sensitive = false WHERE code = 'domestic_violence'")
            cur.execute(
                "UPDATE incidents SET sensitive = false WHERE category = 'domestic_violence'"
            )
        hidden = "SELECT count(*) FILTER (sensitive), count(*) FROM incidents WHERE category = $c"
        marked, n = con.execute(hidden, {"c": "domestic_violence"}).fetchone()
        assert marked == 0 < n
        with db.transaction(con) as cur:
            seed_taxonomy(cur)
        assert con.execute(hidden, {"c": "domestic_violence"}).fetchone() == (n, n)
        assert check(con, "%")[0] == 0
    finally:
        con.close()


def test_incidents_insert_is_the_only_statement_writing_incidents():
    writes = re.compile(r"insert\s+(or\s+\w+\s+)?into\s+incidents\b", re.IGNORECASE)
    found = sorted(
        str(path.relative_to(ROOT))
        for folder in ("safetycore", "ui", "pages", "benchmarks")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in (".py", ".sql") and writes.search(path.read_text(encoding="utf-8"))
    )
    assert found == ["safetycore/queries/incidents_insert.sql"]
