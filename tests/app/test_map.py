"""The Map page through AppTest: figures against direct SQL, privacy of what reaches the deck,
the point cap on a larger database, and selecting a hotspot or area."""

import datetime as dt

import pandas as pd
import pytest

from safetycore import hotspots, queries
from safetycore.filters import Filter
from tests.conftest import DEMO_END, ROOT
from tests.helpers import deck_layer, decks

LAST_28 = Filter(start=DEMO_END - dt.timedelta(days=27), end=DEMO_END)
LAST_365 = Filter(start=DEMO_END - dt.timedelta(days=364), end=DEMO_END)
PAGE = "pages/karta.py"


def sql(con, text: str, params: dict):
    return con.cursor().execute(text, params).fetchall()


def test_points_are_exactly_the_drawable_events_and_never_sensitive(app, demo_con):
    at = app(PAGE, period="Senaste 365 dagarna", map_layer="Punkter")
    spec = decks(at)[0]
    points = deck_layer(spec, "points")["data"]
    assert deck_layer(spec, "cells") is None
    ids = {p["id"] for p in points}
    params = {
        "s": dt.datetime.combine(LAST_365.start, dt.time()),
        "e": dt.datetime.combine(DEMO_END + dt.timedelta(days=1), dt.time()),
    }
    drawable = {
        r[0]
        for r in sql(
            demo_con,
            """
        SELECT id FROM incidents WHERE occurred_at >= $s AND occurred_at < $e
          AND location_precision IN ('exact', 'street') AND lat IS NOT NULL
          AND category NOT IN (SELECT code FROM categories WHERE sensitive)""",
            params,
        )
    }
    hidden = {
        r[0]
        for r in sql(
            demo_con,
            """
        SELECT id FROM incidents WHERE occurred_at >= $s AND occurred_at < $e
          AND (location_precision NOT IN ('exact', 'street')
               OR category IN (SELECT code FROM categories WHERE sensitive))""",
            params,
        )
    }
    assert hidden and ids == drawable
    assert not ids & hidden
    # The tooltip carries category, time and place only: never a free-text description.
    descriptions = {
        r[0]
        for r in sql(
            demo_con,
            "SELECT description FROM incidents "
            "WHERE description IS NOT NULL AND length(description) > 12",
            {},
        )
    }
    assert descriptions
    assert not any(p["tip"].split("\n")[-1] in descriptions for p in points)
    assert set(points[0]) <= {"id", "lat", "lon", "tip", "fill"}


def test_a_sensitive_category_alone_draws_nothing(app, demo_con):
    at = app(PAGE, period="Senaste 365 dagarna", cats="Våld i nära relation")
    spec = decks(at)[0]
    assert deck_layer(spec, "cells") is None and deck_layer(spec, "points") is None
    shown = int(at.metric[0].value.replace("\u202f", "").split("/")[1])
    assert shown > 0  # the events exist and count, they are just not drawn
    assert at.metric[0].value.startswith("0 /")


def test_area_choropleth_matches_sql_including_coarse_events(app, demo_con):
    at = app(PAGE, map_layer="Områden", map_measure="Per 1 000 invånare")
    features = deck_layer(decks(at)[0], "areas")["data"]["features"]
    expected = queries.run(demo_con, "map_areas", LAST_28).set_index("area_id")
    direct = dict(
        sql(
            demo_con,
            """
        SELECT area_id, count(*) FROM incidents
        WHERE occurred_at >= $s AND occurred_at < $e AND area_id IS NOT NULL GROUP BY 1""",
            {
                "s": dt.datetime.combine(LAST_28.start, dt.time()),
                "e": dt.datetime.combine(DEMO_END + dt.timedelta(days=1), dt.time()),
            },
        )
    )
    assert len(features) == 31
    for feature in features:
        props = feature["properties"]
        n = direct.get(props["id"], 0)
        assert expected.loc[props["id"], "n"] == n
        population = expected.loc[props["id"], "population"]
        assert props["value"] == pytest.approx(round(1000 * n / population, 2), abs=0.01)


def test_hotspot_table_and_selecting_a_hotspot_lists_its_events(app, demo_con):
    at = app(PAGE, map_res="Liten (ca 0,1 km²)")
    hot = queries.run(demo_con, "map_hotspots", LAST_28, resolution=9, top=10, weeks=8)
    table = at.dataframe[0].value
    # One row a place: the cells that carry one place's name are counted together.
    places = hot["place"].where(hot["place"] != "", hot["area"])
    labels = [
        p if not a or p == a else f"{p} ({a})" for p, a in zip(places, hot["area"], strict=True)
    ]
    assert table["Plats"].is_unique and set(table["Plats"]) == set(labels)
    by_label = pd.Series(list(hot["n"]), index=labels).groupby(level=0).sum()
    assert dict(zip(table["Plats"], table["Antal"], strict=True)) == by_label.to_dict()
    assert (table["Återkommande"] <= 8).all()
    assert "Rimbo skatepark (Rimbo södra)" in set(table["Plats"])  # the emerging hotspot
    at.selectbox(key="map_pick_box").select(f"cell:{hot['cell'][0]}").run()
    assert not at.exception
    listed = at.dataframe[1].value
    assert len(listed) == hot["n"][0]
    assert listed["Tid"].is_monotonic_decreasing


def test_hotspot_table_says_each_hotspots_status_and_since(app, demo_con):
    # The space-time test's status (new, emerging, persistent, fading) and the week it began,
    # for the last whole week of the period, computed here on the same connection.
    at = app(PAGE)
    hot = queries.run(demo_con, "map_hotspots", LAST_28, resolution=8, top=10, weeks=8)

    def run(name, flt=None, **extra):
        return queries.run(demo_con, name, flt, **extra)

    found = hotspots.status_by_cell(hotspots.for_filter(run, LAST_28), 8)
    table = at.dataframe[0].value
    words = {"new": "ny", "emerging": "växande", "persistent": "ihållande", "fading": "avtagande"}
    # One row a place (cells of one place merged, the busiest cell's status): each row's status
    # and start are those of one of the listed cells, and some place has one.
    listed = {(words[found[c][0]], found[c][1]) for c in hot["cell"] if c in found}
    rows = list(zip(table["Status"], table["Sedan"], strict=True))
    assert all(row == ("", "") or row in listed for row in rows)
    assert any(row != ("", "") for row in rows) and listed


def test_selecting_an_area_lists_its_events_and_can_set_the_filter(app, demo_con):
    at = app(PAGE)
    at.selectbox(key="map_pick_box").select("area:centrum").run()
    listed = at.dataframe[1].value
    (n,) = sql(
        demo_con,
        """SELECT count(*) FROM incidents WHERE area_id = 'centrum'
                            AND occurred_at >= $s AND occurred_at < $e""",
        {
            "s": dt.datetime.combine(LAST_28.start, dt.time()),
            "e": dt.datetime.combine(DEMO_END + dt.timedelta(days=1), dt.time()),
        },
    )[0]
    assert len(listed) == min(n, 1000) and n > 0
    button = next(b for b in at.button if "Centrum" in b.label)
    button.click().run()
    assert at.sidebar.multiselect(key="areas").value == ["centrum"]
    total = int(at.metric[0].value.replace("\u202f", "").split("/")[1])
    assert total == n


@pytest.fixture(scope="module")
def big_db(tmp_path_factory):
    from safetycore.demo import build_demo

    path = tmp_path_factory.mktemp("big") / "big.duckdb"
    # About 100,000 events over three years: the demo spans almost four.
    build_demo(str(path), incidents=130_000, seed=7, end=DEMO_END)
    return path


@pytest.fixture()
def fresh_caches():
    """Cached query results are keyed on the data version, not the file: clear them around a
    test that opens a second database in this process."""
    from ui import cache

    cache.clear_cached_results()
    yield
    cache.clear_cached_results()


def _big_app(big_db, monkeypatch, **params):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SAFETY_DB", str(big_db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_point_cap_holds_on_a_larger_database(big_db, monkeypatch, fresh_caches):
    # 90 days: about 6,300 drawable events, sent in two pages, all of them.
    at = _big_app(big_db, monkeypatch, period="Senaste 90 dagarna", map_layer="Punkter")
    drawn = int(at.metric[0].value.replace("\u202f", "").split("/")[0])
    points = deck_layer(decks(at)[0], "points")["data"]
    assert 5_000 < len(points) == drawn <= 10_000
    assert len(at.get("deck_gl_json_chart")[0].proto.json) < 5_000_000
    # 365 days: above the cap the page says so and draws cells instead.
    at = _big_app(big_db, monkeypatch, period="Senaste 365 dagarna", map_layer="Punkter")
    spec = decks(at)[0]
    assert deck_layer(spec, "points") is None
    assert (
        sum(c["n"] for c in deck_layer(spec, "cells")["data"])
        == int(at.metric[0].value.replace("\u202f", "").split("/")[0])
        > 10_000
    )
    assert any("10\u202f000 punkter" in w.value for w in at.warning)
    assert len(at.get("deck_gl_json_chart")[0].proto.json) < 5_000_000
