"""The demo municipality: realistic, deterministic, and inside Norrtälje."""

import datetime as dt

import shapely

from safetycore.demo import generate_incidents
from safetycore.demo_geo import MUNICIPALITY_POPULATION, build_demo_areas, municipal_border
from tests.conftest import DEMO_END, DEMO_INCIDENTS


def test_areas_cover_the_municipality_and_sum_to_its_population():
    areas = build_demo_areas()
    border = municipal_border()
    union = shapely.union_all([a.geometry for a in areas])
    assert union.symmetric_difference(border).area < 1e-6 * border.area
    assert sum(a.population for a in areas) == MUNICIPALITY_POPULATION
    assert {a.area_group_name for a in areas} >= {
        "Norrtälje stad",
        "Rimbo",
        "Hallstavik",
        "Väddö/Älmsta",
        "Skärgården",
    }
    overlap = sum(a.geometry.area for a in areas) - union.area
    assert overlap < 1e-9


def test_same_seed_gives_the_same_events():
    areas = build_demo_areas()
    first = generate_incidents(2_000, dt.date(2026, 1, 31), 3, areas)
    second = generate_incidents(2_000, dt.date(2026, 1, 31), 3, areas)
    assert first.equals(second)
    third = generate_incidents(2_000, dt.date(2026, 1, 31), 4, areas)
    assert not first.equals(third)


def test_demo_database_has_three_years_ending_on_the_given_day(demo_con):
    n, first, last = demo_con.execute(
        "SELECT count(*), min(occurred_at), max(occurred_at) FROM incidents"
    ).fetchone()
    assert n == DEMO_INCIDENTS
    assert last.date() == DEMO_END
    assert (DEMO_END - first.date()).days >= 3 * 365 - 2


def test_kinds_sources_and_precisions_are_mixed(demo_con):
    kinds = dict(demo_con.execute("SELECT kind, count(*) FROM incidents GROUP BY 1").fetchall())
    assert kinds["qol"] > kinds["incident"] > 0.25 * DEMO_INCIDENTS
    sources = demo_con.execute("SELECT count(DISTINCT source) FROM incidents").fetchone()[0]
    assert sources >= 8
    precisions = dict(
        demo_con.execute("SELECT location_precision, count(*) FROM incidents GROUP BY 1").fetchall()
    )
    assert set(precisions) == {"exact", "street", "locality", "municipality"}
    assert precisions["municipality"] < 0.15 * DEMO_INCIDENTS


def test_only_precise_non_sensitive_events_have_cells(demo_con):
    bad = demo_con.execute(
        """SELECT count(*) FROM incidents i JOIN categories c ON c.code = i.category
           WHERE h3_cell IS NOT NULL
             AND (c.sensitive OR location_precision NOT IN ('exact', 'street'))"""
    ).fetchone()[0]
    assert bad == 0
    with_cells = demo_con.execute(
        "SELECT count(*) FROM incidents WHERE h3_cell IS NOT NULL"
    ).fetchone()[0]
    assert with_cells > 0.6 * DEMO_INCIDENTS


def test_weekend_nights_and_summer_peaks(demo_con):
    # Disorder peaks on Friday and Saturday; vandalism in summer months.
    by_day = dict(
        demo_con.execute(
            "SELECT isodow(occurred_at), count(*) FROM incidents WHERE category = 'disorder' GROUP BY 1"
        ).fetchall()
    )
    assert by_day[6] > 1.8 * by_day[2]
    by_month = dict(
        demo_con.execute(
            "SELECT month(occurred_at), count(*) FROM incidents WHERE category = 'vandalism' GROUP BY 1"
        ).fetchall()
    )
    assert by_month[7] > 1.5 * by_month[1]


def test_persistent_hotspot_is_the_busiest_place(demo_con):
    top_place = demo_con.execute(
        "SELECT place FROM incidents WHERE location_precision IN ('exact','street') "
        "GROUP BY place ORDER BY count(*) DESC LIMIT 3"
    ).fetchall()
    assert ("Norrtälje busstation",) in top_place or ("Centrum",) in top_place


def test_demo_action_lowers_its_hotspot(demo_con):
    # The school-yard lighting (270 days before the end) should cut vandalism there.
    before, after = demo_con.execute(
        """SELECT count(*) FILTER (WHERE occurred_at BETWEEN $end - INTERVAL 540 DAY AND $end - INTERVAL 271 DAY),
                  count(*) FILTER (WHERE occurred_at > $end - INTERVAL 270 DAY)
           FROM incidents WHERE place = 'Solbackaskolan' AND category IN ('vandalism', 'graffiti')""",
        {"end": dt.datetime.combine(DEMO_END, dt.time(23, 59))},
    ).fetchone()
    assert after < 0.75 * before


def test_actions_in_every_state_and_some_overdue(demo_con):
    statuses = dict(demo_con.execute("SELECT status, count(*) FROM actions GROUP BY 1").fetchall())
    assert set(statuses) == {"open", "in_progress", "done", "cancelled"}
    overdue = demo_con.execute(
        "SELECT count(*) FROM actions WHERE status IN ('open','in_progress') AND due_date < $d",
        {"d": DEMO_END},
    ).fetchone()[0]
    assert overdue > 0
    ratings = demo_con.execute(
        "SELECT count(*), min(rating), max(rating) FROM area_ratings"
    ).fetchone()
    assert ratings[0] == 6 * 52 and 1 <= ratings[1] <= ratings[2] <= 5
