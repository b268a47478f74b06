"""Area files as municipalities have them: CRS, property options, one group by default,
--municipality with --areas, new areas for an existing database with its events placed again,
zipped Shapefiles and GeoPackages."""

from __future__ import annotations

import io
import json
import sqlite3
import struct
import zipfile

import pytest
import shapely
from shapely.geometry import Polygon

from safetycore import db, geo
from safetycore.__main__ import main
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
STOCKHOLM = FIXTURES / "stockholm_stadsdelar_sweref99tm.geojson"
POLISEN = FIXTURES / "polisen_events_sample.json"


def info(path: str, capsys) -> dict:
    capsys.readouterr()
    assert main(["info", "--db", path, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_sweref99_tm_file_is_read_in_wgs84():
    area_file = geo.read_area_file(STOCKHOLM)
    assert area_file.property_names() == ["name"]
    areas = geo.areas_from_file(area_file, default_group="Stockholm")
    assert len(areas) == 117
    soder = next(a for a in areas if a.name == "Södermalm")  # 'SÖDERMALM' in the file
    p = soder.geometry.representative_point()
    assert 59.30 < p.y < 59.33 and 18.03 < p.x < 18.11  # Södermalm, not 6.6 million metres north
    assert {a.name for a in areas} >= {
        "Akalla",
        "Vasastaden",
        "Midsommarkransen",
        "Södra Ängby",
        "Gamla stan",
        "Farsta strand",
    }
    assert geo.municipality_at(areas) == "0180"


def write(tmp_path, name: str, data: dict):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def square(x: float, y: float, d: float) -> list:
    return [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]


def test_crs_declared_missing_or_unknown(tmp_path):
    plain = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"namn": "Torget"},
                "geometry": {"type": "Polygon", "coordinates": square(18.7, 59.75, 0.01)},
            }
        ],
    }
    areas = geo.read_areas_file(write(tmp_path, "wgs.geojson", plain), default_group="X")
    assert areas[0].name == "Torget" and areas[0].geometry.bounds[0] == pytest.approx(18.7)
    metres = json.loads(json.dumps(plain))
    metres["features"][0]["geometry"]["coordinates"] = square(674000, 6620000, 500)
    with pytest.raises(geo.AreaConfigError, match="EPSG:3006"):
        geo.read_area_file(write(tmp_path, "undeclared.geojson", metres))
    metres["crs"] = {"type": "name", "properties": {"name": "EPSG:3006"}}
    lon, lat = geo.read_areas_file(write(tmp_path, "sweref.geojson", metres), default_group="X")[
        0
    ].geometry.bounds[:2]
    assert 18 < lon < 19 and 59 < lat < 60
    metres["crs"] = {"type": "name", "properties": {"name": "EPSG:999999"}}
    with pytest.raises(geo.AreaConfigError, match="not known"):
        geo.read_area_file(write(tmp_path, "unknown.geojson", metres))


def test_property_options_and_clear_errors(tmp_path, capsys):
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"omr": "Norr", "grupp": "Staden", "inv": "1 200"},
                "geometry": {"type": "Polygon", "coordinates": square(18.70, 59.75, 0.01)},
            },
            {
                "type": "Feature",
                "properties": {"omr": "Söder", "grupp": "Landet", "inv": 300},
                "geometry": {"type": "Polygon", "coordinates": square(18.70, 59.74, 0.01)},
            },
        ],
    }
    src = write(tmp_path, "omraden.geojson", data)
    path = str(tmp_path / "p.duckdb")
    assert main(["init", "--areas", str(src), "--db", path]) == 2
    err = capsys.readouterr().err
    assert "--area-property" in err and "omr, grupp, inv" in err
    assert main(["init", "--areas", str(src), "--area-property", "omrade", "--db", path]) == 2
    assert "no property 'omrade'" in capsys.readouterr().err
    assert (
        main(
            [
                "init",
                "--areas",
                str(src),
                "--area-property",
                "omr",
                "--group-property",
                "grupp",
                "--population-property",
                "inv",
                "--db",
                path,
            ]
        )
        == 0
    )
    con = db.connect(path, read_only=True)
    try:
        assert con.execute(
            "SELECT name, population FROM area_groups ORDER BY sort_order"
        ).fetchall() == [("Staden", 1200), ("Landet", 300)]
        # The areas lie in Norrtälje: the database is Norrtälje's (police filtering works).
        assert db.meta_get(con, "municipality_code") == "0188"
    finally:
        con.close()
    points = json.loads(json.dumps(data))
    for f in points["features"]:
        f["geometry"] = {"type": "Point", "coordinates": [18.7, 59.75]}
    assert (
        main(
            [
                "init",
                "--areas",
                str(write(tmp_path, "pts.geojson", points)),
                "--area-property",
                "omr",
                "--db",
                str(tmp_path / "q.duckdb"),
            ]
        )
        == 2
    )
    assert "Polygon" in capsys.readouterr().err


def test_one_group_named_after_the_municipality_whatever_the_file_is_called(tmp_path, capsys):
    path = str(tmp_path / "s.duckdb")
    renamed = tmp_path / "export_2024_final.geojson"
    renamed.write_bytes(STOCKHOLM.read_bytes())
    assert main(["init", "--areas", str(renamed), "--municipality", "0180", "--db", path]) == 0
    summary = info(path, capsys)
    assert summary["municipality"] == "Stockholm"
    assert summary["counts"]["area_groups"] == 1 and summary["counts"]["areas"] == 117
    con = db.connect(path, read_only=True)
    try:
        assert con.execute("SELECT id, name FROM area_groups").fetchall() == [
            ("stockholm", "Stockholm")
        ]
        assert db.meta_get(con, "municipality_code") == "0180"
        aliases = geo.load_areas(con)
        assert "Gärdet" in next(a for a in aliases if a.name == "Ladugårdsgärdet").aliases
    finally:
        con.close()
    # The police's Stockholm events are no longer "outside the municipality".
    capsys.readouterr()
    assert main(["import", str(POLISEN), "--db", path, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 28 and out["reasons"]["outside_municipality"] == 352


def placements(path: str) -> list[tuple]:
    con = db.connect(path, read_only=True)
    try:
        return con.execute(
            "SELECT i.source_ref, i.location_precision, a.name, g.name, i.place FROM incidents i "
            "LEFT JOIN areas a ON a.id = i.area_id LEFT JOIN area_groups g ON g.id = i.area_group_id "
            "ORDER BY 1"
        ).fetchall()
    finally:
        con.close()


def test_own_areas_later_keep_and_replace_the_events(tmp_path, capsys):
    early = str(tmp_path / "early.duckdb")
    assert main(["init", "--municipality", "0180", "--db", early]) == 0
    assert main(["import", str(POLISEN), "--db", early]) == 0
    before = placements(early)
    assert len(before) == 28 and all(r[2] is None for r in before)  # "Okänt område"
    capsys.readouterr()
    assert main(["init", "--areas", str(STOCKHOLM), "--db", early]) == 0
    out = capsys.readouterr().out
    assert "22 by the area they name" in out and "6 at the municipality's centre" in out
    after = placements(early)
    direct = str(tmp_path / "direct.duckdb")
    assert main(["init", "--areas", str(STOCKHOLM), "--municipality", "0180", "--db", direct]) == 0
    assert main(["import", str(POLISEN), "--db", direct]) == 0
    assert after == placements(direct)  # the same as importing into the district database
    placed = {r[4]: r[2] for r in after if r[1] == "locality"}
    assert placed["Södermalm"] == "Södermalm" and placed["Ladugårdsgärdet"] == "Ladugårdsgärdet"
    assert len([r for r in after if r[1] == "locality"]) == 22
    con = db.connect(early, read_only=True)
    try:  # the weekly rollup follows the new areas
        assert (
            con.execute("SELECT sum(n) FROM rollup_weekly WHERE area_id IS NOT NULL").fetchone()[0]
            == 22
        )
        assert (
            con.execute("SELECT count(*) FROM area_log WHERE entity = 'areas'").fetchone()[0] == 1
        )
    finally:
        con.close()
    # Another municipality's file over it is refused, nothing changed.
    assert main(["init", "--areas", str(STOCKHOLM), "--municipality", "0188", "--db", early]) == 2
    assert "--force" in capsys.readouterr().err
    assert placements(early) == after


def test_new_areas_for_the_demo_keep_actions_and_ratings(fresh_db):
    import dataclasses

    from safetycore.access import Actor
    from safetycore.area_admin import replace_areas

    con = db.connect(str(fresh_db))
    try:
        n_events, n_actions, n_ratings = con.execute(
            "SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM actions), "
            "(SELECT count(*) FROM area_ratings)"
        ).fetchone()
        linked, rimbo_linked = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE area_group_id = 'rimbo') FROM actions "
            "WHERE area_id IS NOT NULL"
        ).fetchone()
        assert rimbo_linked > 0
        areas = geo.load_areas(con)
        # The same areas, Rimbo's merged into Norrtälje stad's group.
        merged = [
            dataclasses.replace(a, area_group_id="norrtalje-stad", area_group_name="Norrtälje stad")
            if a.area_group_id == "rimbo"
            else a
            for a in areas
        ]
        out = replace_areas(con, Actor("Ada", role="admin"), merged)
        assert out.kept_groups == ["Rimbo"]  # its actions and ratings keep it
        assert con.execute(
            "SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM actions), "
            "(SELECT count(*) FROM area_ratings)"
        ).fetchone() == (n_events, n_actions, n_ratings)
        # Actions keep their area where it stays in their group; Rimbo's areas moved out of it.
        assert con.execute("SELECT count(*) FROM actions WHERE area_id IS NOT NULL").fetchone()[
            0
        ] == (linked - rimbo_linked)
        assert (
            con.execute(
                "SELECT count(*) FROM incidents WHERE area_id = 'rimbo-centrum' "
                "AND area_group_id <> 'norrtalje-stad'"
            ).fetchone()[0]
            == 0
        )
        assert con.execute("SELECT sum(n) FROM rollup_weekly").fetchone()[0] == n_events
    finally:
        con.close()


def _zip_shapefile(tmp_path, prj: str | None):
    import shapefile

    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(
        shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON, encoding="utf-8"
    ) as w:
        w.field("NAMN", "C", size=40)
        w.field("DEL", "C", size=40)
        w.poly(square(674000, 6620000, 500))
        w.record("Hamnen", "Staden")
        w.poly(square(674500, 6620000, 500))
        w.record("Östra", "Staden")
    path = tmp_path / "omraden.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("omraden/omraden.shp", shp.getvalue())
        z.writestr("omraden/omraden.shx", shx.getvalue())
        z.writestr("omraden/omraden.dbf", dbf.getvalue())
        if prj:
            z.writestr("omraden/omraden.prj", prj)
    return path


def test_zipped_shapefile_with_its_prj(tmp_path):
    import pyproj

    path = _zip_shapefile(tmp_path, pyproj.CRS("EPSG:3006").to_wkt("WKT1_ESRI"))
    areas = geo.read_areas_file(path, area_property="namn", group_property="DEL")
    assert [a.name for a in areas] == ["Hamnen", "Östra"]
    assert 18 < areas[0].geometry.bounds[0] < 19 and 59 < areas[0].geometry.bounds[1] < 60
    with pytest.raises(geo.AreaConfigError, match="not longitude/latitude"):
        geo.read_areas_file(_zip_shapefile(tmp_path, None), area_property="NAMN", default_group="X")


def test_geopackage(tmp_path):
    path = tmp_path / "omraden.gpkg"
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY,
            organization TEXT, organization_coordsys_id INTEGER, definition TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT,
            geometry_type_name TEXT, srs_id INTEGER);
        INSERT INTO gpkg_spatial_ref_sys VALUES ('SWEREF99 TM', 3006, 'EPSG', 3006, 'x');
        INSERT INTO gpkg_contents VALUES ('stadsdelar', 'features');
        INSERT INTO gpkg_geometry_columns VALUES ('stadsdelar', 'geom', 'MULTIPOLYGON', 3006);
        CREATE TABLE stadsdelar (fid INTEGER PRIMARY KEY, geom BLOB, name TEXT);
    """)
    wkb = shapely.to_wkb(shapely.MultiPolygon([Polygon(square(674000, 6620000, 500)[0])]))
    blob = b"GP" + bytes([0, 0x01]) + struct.pack("<i", 3006) + wkb  # no envelope, little-endian
    con.execute("INSERT INTO stadsdelar VALUES (1, ?, 'Kajen')", (blob,))
    con.commit()
    con.close()
    areas = geo.read_areas_file(path, default_group="Norrtälje")
    assert [(a.name, a.area_group_name) for a in areas] == [("Kajen", "Norrtälje")]
    assert 18 < areas[0].geometry.bounds[0] < 19
