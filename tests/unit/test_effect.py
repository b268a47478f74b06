"""Effect evaluation: the arithmetic on constructed counts with known answers, the SQL on a
constructed municipality, and the demo actions that really worked."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from safetycore import db, effect, queries
from safetycore.incidents import insert_incidents, staged_frame
from tests.conftest import DEMO_END

START = dt.date(2026, 6, 1)


def weekly(**zones: tuple[list[int], list[int]]) -> pd.DataFrame:
    """zone=(counts per week before, counts per week after) -> the query's (zone, week, n)."""
    rows = []
    for zone, (before, after) in zones.items():
        rows += [(zone, -len(before) + i, n) for i, n in enumerate(before)]
        rows += [(zone, i, n) for i, n in enumerate(after)]
    return pd.DataFrame(rows, columns=["zone", "week", "n"])


def test_ratio_of_ratios_and_its_interval_have_the_known_values():
    # (50/100) / (100/100) = 0.5; se = sqrt(1/50 + 3/100) = sqrt(0.05)
    rr = effect.ratio_of_ratios(50, 100, 100, 100)
    assert rr.ratio == pytest.approx(0.5)
    assert rr.low == pytest.approx(0.32258, abs=1e-4)
    assert rr.high == pytest.approx(0.77500, abs=1e-4)
    assert rr.clear_drop and not rr.clear_rise
    # The comparison halving too means no relative change: exactly 1, interval around it.
    same = effect.ratio_of_ratios(50, 100, 200, 400)
    assert same.ratio == pytest.approx(1.0) and same.low < 1 < same.high
    assert effect.ratio_of_ratios(0, 10, 10, 10) is None


def test_summarise_finds_a_halving_against_a_flat_comparison():
    win = effect.window(START, 4, START + dt.timedelta(days=100))
    frame = weekly(
        target=([10] * 4, [5] * 4),
        comparison=([100] * 4, [100] * 4),
        neighbours=([20] * 4, [20] * 4),
    )
    result = effect.summarise(frame, win, has_neighbours=True)
    assert (result.target_before, result.target_after) == (40, 20)
    assert (result.comparison_before, result.comparison_after) == (400, 400)
    assert result.verdict == "drop"
    # The exact conditional interval: 20 of the target's 60 after the start, Clopper–Pearson
    # on that share, widened by the comparison's sqrt(1/400 + 1/400). (It was the Poisson
    # log-scale interval 0.287–0.870, which has no answer for a zero and ignores dispersion.)
    assert result.estimate.ratio == pytest.approx(0.5)
    assert result.estimate.low == pytest.approx(0.27252, abs=1e-4)
    assert result.estimate.high == pytest.approx(0.89063, abs=1e-4)
    assert result.displacement_verdict == "no_rise"
    assert result.displacement.ratio == pytest.approx(1.0)


def test_displacement_is_flagged_when_the_neighbours_rise():
    win = effect.window(START, 8, START + dt.timedelta(days=100))
    frame = weekly(
        target=([10] * 8, [4] * 8), comparison=([50] * 8, [50] * 8), neighbours=([10] * 8, [25] * 8)
    )
    result = effect.summarise(frame, win, has_neighbours=True)
    assert result.verdict == "drop"
    assert result.displacement_verdict == "rise"
    assert result.displacement.ratio == pytest.approx(2.5)


def test_a_seasonal_rise_everywhere_is_not_an_effect():
    win = effect.window(START, 8, START + dt.timedelta(days=100))
    frame = weekly(target=([10] * 8, [20] * 8), comparison=([100] * 8, [200] * 8))
    result = effect.summarise(frame, win, has_neighbours=False)
    assert result.estimate.ratio == pytest.approx(1.0)
    assert result.verdict == "unclear"
    assert result.displacement_verdict == "none"


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        (([1] * 6, [0] * 6), "fewer than MIN_BEFORE before"),
        (([2] * 6, [2] * 1), "fewer than MIN_EXPECTED expected after"),
    ],
)
def test_small_counts_say_too_small_instead_of_a_number(target, reason):
    before, after = target
    win = effect.window(START, 6, START + dt.timedelta(days=7 * len(after) + 3))
    frame = weekly(target=(before, after), comparison=([100] * 6, [100] * len(after)))
    result = effect.summarise(frame, win, has_neighbours=False)
    assert result.verdict == "too_small", reason
    assert result.estimate is None


def test_forty_to_zero_is_a_clear_drop():
    # Zero after the start is the clearest result there is, not "too few to conclude".
    win = effect.window(START, 8, START + dt.timedelta(days=100))
    frame = weekly(target=([5] * 8, [0] * 8), comparison=([100] * 8, [100] * 8))
    result = effect.summarise(frame, win, has_neighbours=False)
    assert (result.target_before, result.target_after) == (40, 0)
    assert result.verdict == "drop" and result.estimate.ratio == 0
    assert result.estimate.high < 0.15  # Clopper–Pearson: 1 - 0.025 ** (1 / 40) = 0.088


def test_overdispersed_weeks_widen_the_interval():
    win = effect.window(START, 8, START + dt.timedelta(days=100))
    steady = weekly(target=([10] * 8, [7] * 8), comparison=([100] * 8, [100] * 8))
    bursty = weekly(
        target=([0, 25, 2, 18, 0, 20, 5, 10], [7] * 8), comparison=([100] * 8, [100] * 8)
    )
    calm = effect.summarise(steady, win, has_neighbours=False)
    wild = effect.summarise(bursty, win, has_neighbours=False)
    assert calm.estimate.ratio == pytest.approx(wild.estimate.ratio)
    assert wild.phi > 5 and calm.phi == 1
    assert wild.estimate.high > calm.estimate.high and wild.estimate.low < calm.estimate.low


def test_the_before_is_the_same_weeks_a_year_earlier_when_there_are_any():
    # A summer action: the weeks before it are spring, the weeks after summer. Last summer
    # had as many events as this one, so nothing happened, although spring was quieter.
    win = effect.window(START, 8, START + dt.timedelta(days=100))
    frame = weekly(target=([5] * 8, [10] * 8), comparison=([100] * 8, [100] * 8))
    year_ago = [("target", w, 10) for w in range(-52, -44)]
    year_ago += [("comparison", w, 100) for w in range(-52, -44)]
    frame = pd.concat([frame, pd.DataFrame(year_ago, columns=["zone", "week", "n"])])
    result = effect.summarise(frame, win, has_neighbours=False)
    assert result.matched and (result.target_before, result.target_after) == (80, 80)
    assert result.verdict == "unclear" and result.estimate.ratio == pytest.approx(1.0)


def test_an_action_started_right_after_a_peak_is_warned_about():
    win = effect.window(START, 12, START + dt.timedelta(days=100))
    peak = weekly(target=([5] * 8 + [15] * 4, [5] * 12), comparison=([100] * 12, [100] * 12))
    assert effect.summarise(peak, win, has_neighbours=False).after_peak
    flat = weekly(target=([5] * 12, [5] * 12), comparison=([100] * 12, [100] * 12))
    assert not effect.summarise(flat, win, has_neighbours=False).after_peak


def test_smoothing_never_crosses_the_start():
    index = pd.DataFrame(
        {
            "week": [-3, -2, -1, 0, 1, 2],
            "series": "T",
            "n": [10, 10, 10, 0, 0, 0],
            "index": [100.0, 100, 100, 0, 0, 0],
        }
    )
    smooth = effect.smooth(index)
    assert list(smooth["index"]) == [100.0, 100.0, 100.0, 0.0, 0.0, 0.0]


def test_the_after_period_is_cut_to_the_full_weeks_with_data():
    assert effect.window(START, 26, START + dt.timedelta(days=30)).weeks_after == 4
    assert effect.window(START, 26, START + dt.timedelta(days=400)).weeks_after == 26
    not_started = effect.window(START, 26, START - dt.timedelta(days=1))
    assert not_started.weeks_after == 0
    frame = weekly(target=([10] * 26, []), comparison=([100] * 26, []))
    assert effect.summarise(frame, not_started, has_neighbours=False).verdict == "not_started"


def test_weekly_index_is_100_at_the_mean_before():
    win = effect.window(START, 2, START + dt.timedelta(days=30))
    frame = weekly(target=([8, 12], [5, 5]), comparison=([0, 0], [1, 1]))
    index = effect.weekly_index(frame, win, {"target": "Target", "comparison": "Comparison"})
    assert list(index["series"].unique()) == ["Target"]  # no events before: no index
    assert list(index["index"]) == [80.0, 120.0, 50.0, 50.0]


def square(x0: float, y0: float, size: float = 0.1) -> str:
    ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def test_neighbours_are_the_areas_whose_polygons_touch():
    boundaries = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "boundary_geojson": [
                square(18.0, 59.0),
                square(18.1, 59.0),
                square(18.1, 59.1),
                square(19.0, 59.0),
            ],
        }
    )
    assert effect.neighbours(boundaries) == {
        "a": ("b", "c"),  # c touches a at a corner
        "b": ("a", "c"),
        "c": ("a", "b"),
        "d": (),
    }


@pytest.fixture()
def small_town():
    """Three areas in a row (a | b | c) with known incidents around 2026-06-01."""
    con = db.connect(":memory:")
    with db.transaction(con) as cur:
        cur.execute("INSERT INTO area_groups VALUES ('g', 'G', 1000, 0)")
        for i, area in enumerate("abc"):
            cur.execute(
                "INSERT INTO areas (id, area_group_id, name, boundary_geojson, centroid_lat, "
                "centroid_lon) VALUES ($id, 'g', $id, $b, 59.05, $lon)",
                {"id": area, "b": square(18.0 + 0.1 * i, 59.0), "lon": 18.05 + 0.1 * i},
            )
        cur.execute(
            "INSERT INTO categories VALUES ('vandalism', 'qol', 'S', 'V', false, 0), "
            "('theft', 'incident', 'Stöld', 'Theft', false, 1)"
        )
        rows = []

        def add(area, lon, category, day, n, lat=59.05, precision="exact"):
            for _ in range(n):
                rows.append(
                    (
                        f"r{len(rows)}",
                        category,
                        dt.datetime.combine(day, dt.time(12)),
                        lat,
                        lon,
                        precision,
                        area,
                    )
                )

        before, after = START - dt.timedelta(days=10), START + dt.timedelta(days=10)
        add("a", 18.05, "vandalism", before, 40)  # target area: 40 -> 10
        add("a", 18.05, "vandalism", after, 10)
        add("a", 18.09, "vandalism", before, 8)  # same area, 2.3 km from the point
        add("a", 18.05, "vandalism", before, 5, precision="locality")  # not placeable
        add("a", 18.05, "theft", before, 30)  # not a target category
        add("b", 18.15, "vandalism", before, 20)  # neighbour: 20 -> 30
        add("b", 18.15, "vandalism", after, 30)
        add("c", 18.25, "vandalism", before, 50)  # comparison: 50 -> 50
        add("c", 18.25, "vandalism", after, 50)
        add("c", 18.25, "vandalism", START - dt.timedelta(days=60), 99)  # outside the window
        insert_incidents(
            cur,
            staged_frame(
                {
                    "source": "police",
                    "source_ref": ref,
                    "category": category,
                    "occurred_at": at,
                    "time_precision": "exact",
                    "lat": lat,
                    "lon": lon,
                    "location_precision": precision,
                    "area_id": area,
                }
                for ref, category, at, lat, lon, precision, area in rows
            ),
        )
    yield con
    con.close()


def run_effect(
    con,
    action: dict,
    weeks: int = 4,
    comparison: str | None = None,
    neighbours: tuple[str, ...] = ("b",),
) -> effect.Effect:
    win = effect.window(START, weeks, START + dt.timedelta(days=200))
    params = effect.query_params(action, win, neighbour_ids=neighbours, comparison_area=comparison)
    frame = queries.run(con, "actions_effect_weekly", **params)
    return effect.summarise(frame, win, has_neighbours=bool(params["neighbours"]))


def test_effect_sql_counts_an_area_action_against_the_rest(small_town):
    action = {"area_id": "a", "target_categories": ["vandalism"], "lat": None, "lon": None}
    result = run_effect(small_town, action)
    # All vandalism in a (also the coarse ones, placed in a by area), none of the theft.
    assert (result.target_before, result.target_after) == (53, 10)
    assert (result.neighbours_before, result.neighbours_after) == (20, 30)
    assert (result.comparison_before, result.comparison_after) == (50, 50)
    assert result.estimate.ratio == pytest.approx((10 / 53) / (50 / 50))
    assert result.verdict == "drop"


def test_effect_sql_counts_a_point_and_radius_only_for_placeable_events(small_town):
    action = {
        "area_id": "a",
        "target_categories": ["vandalism"],
        "lat": 59.05,
        "lon": 18.05,
        "radius_m": 300,
    }
    result = run_effect(small_town, action)
    assert (result.target_before, result.target_after) == (40, 10)
    assert result.estimate.ratio == pytest.approx(0.25)


def test_effect_sql_with_a_picked_comparison_area(small_town):
    action = {"area_id": "a", "target_categories": ["vandalism"], "lat": None, "lon": None}
    result = run_effect(small_town, action, comparison="b", neighbours=("b",))
    assert (result.comparison_before, result.comparison_after) == (20, 30)
    assert result.displacement_verdict == "none"  # the only neighbour is the comparison
    assert result.estimate.ratio == pytest.approx((10 / 53) / (30 / 20))


@pytest.mark.parametrize(
    "title",
    [
        "Ny belysning och kameror på Solbackaskolans skolgård",
        "Ordningsvakter fredag och lördag kväll vid busstationen",
    ],
)
def test_the_demo_actions_that_worked_show_a_clear_drop(demo_con, title):
    row = demo_con.execute(
        "SELECT area_id, target_categories, lat, lon, radius_m, start_date FROM actions "
        "WHERE title = $t",
        {"t": title},
    ).fetchone()
    action = dict(
        zip(
            ["area_id", "target_categories", "lat", "lon", "radius_m", "start_date"],
            row,
            strict=True,
        )
    )
    boundaries = queries.run(demo_con, "area_boundaries")
    nbrs = effect.neighbours(boundaries)[action["area_id"]]
    win = effect.window(action["start_date"], effect.DEFAULT_WEEKS, DEMO_END)
    frame = queries.run(
        demo_con,
        "actions_effect_weekly",
        **effect.query_params(action, win, neighbour_ids=nbrs, comparison_area=None),
    )
    result = effect.summarise(frame, win, has_neighbours=bool(nbrs))
    assert result.verdict == "drop", result
    assert result.estimate.high < 1.0 and result.estimate.ratio < 0.8
    assert result.displacement_verdict in ("no_rise", "too_small")
