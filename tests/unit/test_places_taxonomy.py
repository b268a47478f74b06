"""Places named in the police's texts, and the category data files with their validation."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import box

from safetycore import db, geo, places, taxonomy
from safetycore.__main__ import main
from safetycore.access import Actor
from safetycore.ingest import import_file
from tests.conftest import ROOT


def area(name: str, x: float, aliases=()) -> geo.Area:
    return geo.Area(
        geo.slug(name), name, "g", "G", None, box(x, 59.0, x + 0.1, 59.1), tuple(aliases)
    )


AREAS = [
    area("Södermalm", 18.0),
    area("Farsta", 18.1),
    area("Farsta strand", 18.2),
    area("Vasastaden", 18.3, ["Vasastan"]),
    area("Ekerö", 18.4),
    area("Stockholm", 18.5),
]


@pytest.fixture(scope="module")
def gaz():
    return places.gazetteer(AREAS, {}, "Stockholm")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Södermalm", "Södermalm"),
        ("På Södermalm identifierades två män.", "Södermalm"),
        ("Vid Södermalms tunnelbanestation.", "Södermalm"),
        ("PÅ SÖDERMALM", "Södermalm"),
        ("En bil i Farsta strand brann.", "Farsta strand"),  # the longest name at a place wins
        ("Inom Farsta stadsdelsområde", "Farsta"),
        ("Bråk i Vasastan, nära Södermalm.", "Vasastaden"),  # alias; the first place named wins
        ("En olycka på Ekerövägen.", None),  # whole words only
        ("Stöld i Ekerö centrum.", "Ekerö"),
        ("Brand i södra Stockholm.", None),  # the municipality's own name places nothing
        ("en gata i vasastaden", None),  # a place name starts with a capital where it stands
    ],
)
def test_place_matching(gaz, text, expected):
    found = gaz.find(text)
    assert (found.name if found else None) == expected


def test_area_match_is_at_the_area_centre(gaz):
    found = gaz.find("Knivlagen, Vasastaden")
    assert found.how == places.AREA and found.area_id == "vasastaden"
    assert AREAS[3].geometry.contains(__import__("shapely").Point(found.lon, found.lat))


def test_localities_inside_the_areas_only():
    # Norrtälje's bundled localities; Hästängen (wrongly in Örebro county) lies outside.
    border = geo.municipality_boundary("0188")
    norrtalje = geo.Area("hela", "Hela kommunen", "g", "G", None, border)
    gaz = places.gazetteer([norrtalje], {}, "Norrtälje")
    found = gaz.find("Utomhus i Rimbo omhändertogs en berusad man.")
    assert found.how == places.LOCALITY and found.name == "Rimbo" and found.area_id == "hela"
    assert gaz.find("Brand i Hästängen.") is None


def test_fixture_events_placed_in_stockholm_districts(tmp_path):
    path = str(tmp_path / "s.duckdb")
    assert (
        main(
            [
                "init",
                "--areas",
                str(ROOT / "tests/fixtures/stockholm_stadsdelar_sweref99tm.geojson"),
                "--municipality",
                "0180",
                "--db",
                path,
            ]
        )
        == 0
    )
    con = db.connect(path)
    try:
        result = import_file(
            con,
            ROOT / "tests/fixtures/polisen_events_sample.json",
            Actor("Kim", role="coordinator"),
        )
        assert result.imported == 28
        rows = dict(
            con.execute(
                "SELECT location_precision, count(*) FROM incidents GROUP BY ALL"
            ).fetchall()
        )
        assert rows == {"locality": 22, "municipality": 6}
        assert (
            con.execute(
                "SELECT count(*) FROM incidents WHERE location_precision = 'locality' "
                "AND (area_id IS NULL OR h3_cell IS NOT NULL)"
            ).fetchone()[0]
            == 0
        )
    finally:
        con.close()


# --- categories and type maps in data files ---


def test_bundled_files_load_with_the_other_categories():
    codes = [c.code for c in taxonomy.CATEGORIES]
    assert {"other_incident", "other_qol", "assault", "sexual_offence"} <= set(codes)
    assert taxonomy.CATEGORY_BY_CODE["sexual_offence"].sensitive
    polisen = taxonomy.type_map("polisen")
    assert polisen.category("Misshandel, grov") == "assault"
    assert polisen.category("Trafikolycka") == taxonomy.SKIP
    assert polisen.category("En helt ny typ") == "other_incident"
    assert taxonomy.type_map("police_uk").category("Other crime") == "other_incident"


def test_a_municipality_extends_the_categories(tmp_path):
    local = tmp_path / "categories.toml"
    local.write_text(
        '[moped_theft]\nkind = "incident"\nsv = "Mopedstöld"\nen = "Moped theft"\n'
        '[graffiti]\nkind = "qol"\nsv = "Klotter och tags"\nen = "Graffiti"\n',
        encoding="utf-8",
    )
    cats = taxonomy.load_categories([taxonomy.TAXONOMY_DIR / "categories.toml", local])
    by_code = {c.code: c for c in cats}
    assert by_code["moped_theft"].label_sv == "Mopedstöld" and not by_code["moped_theft"].sensitive
    assert by_code["graffiti"].label_sv == "Klotter och tags"
    types = tmp_path / "polisen.toml"
    types.write_text(
        '[types]\n"Stöld, moped" = "moped_theft"\n[skip]\ntypes = ["Misshandel"]\n',
        encoding="utf-8",
    )
    tm = taxonomy.load_type_map("polisen", cats, [taxonomy.TAXONOMY_DIR / "polisen.toml", types])
    assert tm.category("stöld,  moped") == "moped_theft"
    assert tm.category("Misshandel") == taxonomy.SKIP


@pytest.mark.parametrize(
    "text, message",
    [
        ('[Moped]\nkind = "incident"\nsv = "a"\nen = "b"\n', "not a category code"),
        ('[moped]\nkind = "crime"\nsv = "a"\nen = "b"\n', 'kind must be "incident" or "qol"'),
        ('[moped]\nkind = "qol"\nen = "b"\n', "needs sv"),
        (
            '[moped]\nkind = "qol"\nsv = "a"\nen = "b"\nsensitive = "ja"\n',
            "sensitive must be true or false",
        ),
        ('[moped]\nkind = "qol"\nsv = "a"\nen = "b"\ncolour = "red"\n', "unknown keys colour"),
        ("moped = 3\n", "must be a table"),
        ("[moped\n", "not valid TOML"),
    ],
)
def test_bad_category_files_are_refused_clearly(tmp_path, text, message):
    local = tmp_path / "categories.toml"
    local.write_text(text, encoding="utf-8")
    with pytest.raises(taxonomy.TaxonomyError, match=message) as caught:
        taxonomy.load_categories([taxonomy.TAXONOMY_DIR / "categories.toml", local])
    assert str(local) in str(caught.value)


@pytest.mark.parametrize(
    "text, message",
    [
        ('[types]\n"Ny typ" = "no_such_code"\n', "is not a category code"),
        ('unknown = "nothing"\n', "is not a category"),
        ('[skip]\ntypes = "Brand"\n', "must hold types"),
        ("[typer]\n", "unknown sections typer"),
    ],
)
def test_bad_type_maps_are_refused_clearly(tmp_path, text, message):
    local = tmp_path / "polisen.toml"
    local.write_text(text, encoding="utf-8")
    with pytest.raises(taxonomy.TaxonomyError, match=message):
        taxonomy.load_type_map("polisen", None, [taxonomy.TAXONOMY_DIR / "polisen.toml", local])


def test_unknown_police_type_is_imported_as_other(tmp_path):
    path = str(tmp_path / "s.duckdb")
    assert main(["init", "--municipality", "0188", "--db", path]) == 0
    event = {
        "id": 7,
        "datetime": "2026-03-02 10:00:00 +01:00",
        "name": "2 mars 09.15, Drönarflygning, Norrtälje",
        "summary": "En drönare flög över Rimbo.",
        "type": "Drönarflygning",
        "location": {"name": "Stockholms län", "gps": "59.3,18.0"},
    }
    src = tmp_path / "e.json"
    src.write_text(json.dumps([event]), encoding="utf-8")
    con = db.connect(path)
    try:
        result = import_file(con, src, Actor("Kim", role="coordinator"))
        assert (result.imported, result.rejected) == (1, 0)
        assert con.execute(
            "SELECT category, kind, category_raw, place, location_precision FROM incidents"
        ).fetchone() == ("other_incident", "incident", "Drönarflygning", "Rimbo", "locality")
    finally:
        con.close()
