"""Area groups keep the order of the municipality's file: the meeting walks them in that order,
not alphabetically."""

import json

from safetycore import db, queries
from safetycore.__main__ import main


def square(x: float, y: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]],
    }


def test_groups_in_the_files_order(tmp_path):
    names = [
        ("Östra", "Ö-gruppen"),
        ("Västra", "Centrum"),
        ("Norra", "Ö-gruppen"),
        ("Södra", "Alby"),
    ]
    features = [
        {
            "type": "Feature",
            "properties": {"area": a, "area_group": g},
            "geometry": square(18.70 + 0.02 * i, 59.76),
        }
        for i, (a, g) in enumerate(names)
    ]
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    target = tmp_path / "order.duckdb"
    assert main(["init", "--areas", str(path), "--municipality", "0188", "--db", str(target)]) == 0
    con = db.connect(str(target))
    try:
        groups = queries.run(con, "area_groups")
        assert list(groups["name"]) == ["Ö-gruppen", "Centrum", "Alby"]  # first seen, first
    finally:
        con.close()
