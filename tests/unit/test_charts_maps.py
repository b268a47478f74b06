"""Charts and maps are pure functions: what they put in the spec is what the browser gets."""

import datetime as dt
import json

import pandas as pd

from safetycore import charts, maps

BOUNDARY = json.dumps(
    {"type": "Polygon", "coordinates": [[[18.0, 59.0], [18.2, 59.0], [18.2, 59.2], [18.0, 59.0]]]}
)


def boundaries() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["a", "b"],
            "name": ["A", "B"],
            "area_group_id": ["g", "g"],
            "area_group_name": ["G", "G"],
            "population": [1000, 2000],
            "boundary_geojson": [BOUNDARY, BOUNDARY],
        }
    )


def test_deck_draws_without_internet_unless_a_basemap_is_chosen():
    view = maps.view_for(boundaries())
    offline = json.loads(maps.deck([maps.boundary_layer(boundaries())], view).to_json())
    assert "mapProvider" not in offline and offline["mapStyle"] == "__MAP_STYLE__"
    online = json.loads(maps.deck([], view, basemap=True).to_json())
    assert online["mapProvider"] == "carto"


def test_choropleth_fills_by_value_with_tooltips():
    layer = maps.boundary_layer(
        boundaries(),
        fill_values=pd.Series({"a": 0.0, "b": 10.0}),
        tips=pd.Series({"a": "A: 0", "b": "B: 10"}),
        pickable=True,
    )
    features = layer.data["features"]
    assert [f["properties"]["value"] for f in features] == [0.0, 10.0]
    assert [f["properties"]["tip"] for f in features] == ["A: 0", "B: 10"]
    assert features[0]["properties"]["fill"][1] > features[1]["properties"]["fill"][1]


def test_hex_colours_by_kind_share_and_count():
    cells = pd.DataFrame(
        {
            "cell": ["89088049b63ffff", "890882b34a7ffff"],
            "n": [100, 1],
            "incidents": [100, 0],
            "qol": [0, 1],
        }
    )
    colours = maps.kind_mix_colours(cells["incidents"], cells["qol"])
    assert colours == [maps.KIND_RGB["incident"], maps.KIND_RGB["qol"]]
    layer = maps.hex_layer(cells, colours=colours)
    fills = [row["fill"] for row in layer.data]
    assert fills[0][:3] == maps.KIND_RGB["incident"] and fills[0][3] > fills[1][3]


def test_point_layer_sends_no_free_text():
    points = pd.DataFrame(
        {
            "id": [1],
            "lat": [59.123456789],
            "lon": [18.987654321],
            "tip": ["x"],
            "description": ["a private note"],
            "kind": ["qol"],
        }
    )
    layer = maps.point_layer(points, [[1, 2, 3]])
    assert set(layer.data[0]) == {"id", "lat", "lon", "tip", "fill"}
    assert layer.data[0]["lat"] == 59.12346
    payload = maps.payload_bytes(maps.deck([layer], maps.view_for(boundaries())))
    assert "private" not in maps.deck([layer], maps.view_for(boundaries())).to_json()
    assert 0 < payload < 10_000


def test_category_colours_are_stable():
    first = maps.category_colour_map(["a", "b", "c"])
    assert first == maps.category_colour_map(["a", "b", "c"]) and first["a"] != first["b"]


def _texts() -> dict:
    return {
        "time_title": "Vecka",
        "count_title": "Antal",
        "series_title": "Typ",
        "rolling_title": "Medel",
        "last_year_title": "I fjol",
        "partial_title": "Delvis",
    }


def test_series_chart_keeps_every_row_and_labels_iso_weeks():
    frame = pd.DataFrame(
        {
            "bucket": pd.to_datetime([dt.date(2025, 12, 29), dt.date(2026, 1, 5)] * 2),
            "label": ["A", "A", "B", "B"],
            "n": [1, 2, 3, 4],
            "rolling": [None, 1.5, None, 3.5],
            "n_last_year": [0, 1, 2, 3],
            "partial": [True, False, True, False],
        }
    )
    spec = charts.series_over_time(frame, **_texts()).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert sum(r["n"] for r in rows) == 10
    # 29 December 2025 is in ISO week 2026-W01, not 2025-W53.
    assert sorted({r["period"] for r in rows}) == ["2026-W01", "2026-W02"]


def test_unusual_weeks_chart_colours_flags():
    frame = pd.DataFrame(
        {
            "week": [dt.date(2026, 11, 2), dt.date(2026, 11, 9)],
            "n": [10, 40],
            "expected": [11.0, 12.0],
            "direction": ["normal", "high"],
            "p_value": [0.5, 1e-8],
        }
    )
    spec = charts.unusual_weeks(
        frame,
        week_title="V",
        count_title="N",
        expected_title="E",
        flag_title="F",
        flag_labels={"normal": "ok", "high": "hög", "low": "låg"},
    ).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [r["flag"] for r in rows] == ["ok", "hög"]


def test_heatmap_and_seasonality_use_the_given_labels():
    heat = pd.DataFrame({"weekday": [1, 7], "hour": [0, 23], "n": [1, 5]})
    spec = charts.weekday_hour(
        heat, weekday_labels=list("MTOTFLS"), hour_title="h", weekday_title="d", count_title="n"
    ).to_dict()
    rows = next(iter(spec["datasets"].values()))
    # The full week: 7 x 24 cells, the hours and days without events as 0.
    assert len(rows) == 7 * 24 and sum(r["n"] for r in rows) == 6
    assert {r["day"] for r in rows} == set("MTOTFLS")
    assert [(r["day"], r["hour"], r["n"]) for r in rows if r["n"]] == [("M", 0, 1), ("S", 23, 5)]
    season = pd.DataFrame({"year": [2025, 2026], "month": [1, 12], "n": [3, 4]})
    spec = charts.seasonality(
        season,
        month_labels=[str(m) for m in range(1, 13)],
        month_title="m",
        count_title="n",
        year_title="y",
    ).to_dict()
    assert [r["month_label"] for r in next(iter(spec["datasets"].values()))] == ["1", "12"]


def test_small_multiples_share_one_scale():
    frame = pd.DataFrame(
        {
            "bucket": pd.to_datetime([dt.date(2026, 11, 2)] * 2),
            "label": ["Rimbo", "Hallstavik"],
            "n": [5, 50],
            "partial": [False, False],
        }
    )
    spec = charts.small_multiples(
        frame, group_order=["Rimbo", "Hallstavik"], time_title="t", count_title="n", group_title="g"
    ).to_dict()
    assert spec["resolve"]["scale"]["y"] == "shared"
    assert spec["facet"]["field"] == "label"
