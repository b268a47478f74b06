"""The effect view's choices: which actions can be evaluated and in what order, what is
counted for the chosen one (window, comparison, neighbours, zones) and which verdict text
it reads with which numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pandas as pd
import pytest

from safetycore import effect

START = dt.date(2026, 3, 2)
TODAY = dt.date(2026, 6, 1)


def actions_frame(*rows: dict) -> pd.DataFrame:
    base = {
        "id": 0,
        "title": "",
        "area_id": None,
        "start_date": pd.Timestamp(START),
        "target_categories": ["vandalism"],
        "lat": math.nan,
        "lon": math.nan,
        "radius_m": math.nan,
    }
    return pd.DataFrame([{**base, **row} for row in rows])


def an_effect(**changes) -> effect.Effect:
    win = effect.Window(START, 4, 4)
    result = effect.Effect(win, 40, 20, 400, 400, 30, 31, None, None, "too_small", "none")
    return dataclasses.replace(result, **changes)


def test_candidates_keep_only_evaluable_actions_point_bound_first_then_oldest():
    frame = actions_frame(
        {"id": 1, "area_id": "a", "start_date": pd.Timestamp("2026-02-01")},
        {"id": 2, "area_id": None},  # no place: left out
        {"id": 3, "area_id": "a", "target_categories": []},  # no category: left out
        {"id": 4, "area_id": "b", "lat": 59.7, "lon": 18.7, "radius_m": 200.0},
        {"id": 5, "area_id": "a", "start_date": pd.Timestamp("2026-01-05")},
        {"id": 6, "area_id": "a", "start_date": pd.NaT},  # no start: left out
    )
    rows = effect.candidates(frame)
    assert [r["id"] for r in rows] == [4, 5, 1]
    assert rows[1]["start_date"] == dt.date(2026, 1, 5)
    assert all(isinstance(r["start_date"], dt.date) for r in rows)


def test_a_missing_area_becomes_none_for_a_point_only_action():
    frame = actions_frame({"id": 7, "area_id": math.nan, "lat": 59.7, "lon": 18.7})
    (row,) = effect.candidates(frame)
    assert row["area_id"] is None


def test_the_comparison_offers_the_rest_first_and_never_the_target_area():
    assert effect.comparison_options({"a": "A", "b": "B", "c": "C"}, "b") == ["", "a", "c"]
    assert effect.comparison_options(["a", "b"], None) == ["", "a", "b"]


def test_setup_leaves_the_comparison_out_of_the_neighbours_and_counts_the_allowed_kinds():
    action = {
        "id": 1,
        "area_id": "a",
        "start_date": START,
        "target_categories": ["vandalism", "violence"],
        "lat": math.nan,
        "radius_m": math.nan,
    }
    chosen = effect.setup(
        action,
        weeks=8,
        today=TODAY,
        comparison="b",
        neighbour_map={"a": ("b", "c")},
        categories=("vandalism",),
        include_sensitive=False,
    )
    assert chosen.neighbour_ids == ("c",)
    assert chosen.zones == ("target", "comparison", "neighbours")
    assert chosen.action["target_categories"] == ["vandalism"]
    assert action["target_categories"] == ["vandalism", "violence"]  # the record is not changed
    assert not chosen.has_point and chosen.radius_m is None
    assert chosen.window == effect.window(START, 8, TODAY)
    assert chosen.params["categories"] == ["vandalism"]
    assert chosen.params["neighbours"] == ["c"] and chosen.params["comparison_area"] == "b"


def test_setup_for_a_point_reads_its_radius_or_the_default_and_has_no_neighbours_alone():
    point = {
        "id": 2,
        "area_id": None,
        "start_date": START,
        "target_categories": ["vandalism"],
        "lat": 59.7,
        "lon": 18.7,
        "radius_m": None,
    }
    chosen = effect.setup(
        point,
        weeks=4,
        today=TODAY,
        comparison=None,
        neighbour_map={"a": ("b",)},
        categories=("vandalism",),
        include_sensitive=True,
    )
    assert chosen.has_point and chosen.radius_m == effect.DEFAULT_RADIUS_M
    assert chosen.neighbour_ids == () and chosen.zones == ("target", "comparison")
    assert chosen.params["sensitive"] is True and chosen.params["neighbours"] is None


def test_zone_counts_follow_the_zones_shown():
    result = an_effect()
    assert effect.zone_counts(result, ("target", "comparison")) == [
        ("target", 40, 20),
        ("comparison", 400, 400),
    ]
    assert effect.zone_counts(result, effect.ZONES)[-1] == ("neighbours", 30, 31)


def test_the_chart_needs_an_index_and_weeks_after_the_start():
    index = pd.DataFrame({"week": [0], "series": ["x"], "n": [1], "index": [100.0]})
    empty = pd.DataFrame(columns=["week", "series", "n", "index"])
    assert effect.shows_chart(index, effect.Window(START, 4, 2))
    assert not effect.shows_chart(index, effect.Window(START, 4, 0))
    assert not effect.shows_chart(empty, effect.Window(START, 4, 2))


def test_percent_change_is_the_size_of_the_change():
    assert effect.percent_change(0.6) == pytest.approx(40.0)
    assert effect.percent_change(1.25) == pytest.approx(25.0)


def test_a_drop_is_a_success_with_the_interval_ends_swapped_as_percents():
    est = effect.RatioOfRatios(0.5, 0.3, 0.8)
    said = effect.statement(an_effect(verdict="drop", estimate=est))
    assert (said.kind, said.key) == ("success", "drop")
    values = dict(said.percents)
    assert values["pct"] == pytest.approx(50.0)
    assert values["low_pct"] == pytest.approx(20.0)  # from the interval's high end, 0.8
    assert values["high_pct"] == pytest.approx(70.0)  # from its low end, 0.3


def test_a_rise_is_a_warning_and_an_unclear_result_names_its_interval_as_ratios():
    est = effect.RatioOfRatios(1.5, 1.2, 1.9)
    rise = effect.statement(an_effect(verdict="rise", estimate=est))
    assert (rise.kind, rise.key) == ("warning", "rise")
    assert dict(rise.percents)["low_pct"] == pytest.approx(20.0)
    unclear = effect.statement(
        an_effect(verdict="unclear", estimate=effect.RatioOfRatios(1, 0.7, 1.4))
    )
    assert (unclear.kind, unclear.key, unclear.ratios) == (
        "info",
        "unclear",
        (("low", 0.7), ("high", 1.4)),
    )


def test_too_small_and_not_started_are_information_with_the_counts_as_they_are():
    small = effect.statement(an_effect(verdict="too_small", target_before=4, target_after=1))
    assert (small.kind, small.key) == ("info", "too_small")
    assert dict(small.counts) == {
        "before": 4,
        "after": 1,
        "min": effect.MIN_BEFORE,
        "expected": effect.MIN_EXPECTED,
    }
    assert effect.statement(an_effect(verdict="not_started")) == effect.Statement(
        "info", "not_started"
    )


@pytest.mark.parametrize(
    ("verdict", "estimate", "expected"),
    [
        ("none", None, ("caption", "displacement_none")),
        ("too_small", None, ("caption", "displacement_small")),
        ("rise", effect.RatioOfRatios(1.6, 1.2, 2.1), ("warning", "displacement_yes")),
        ("no_rise", effect.RatioOfRatios(1.0, 0.8, 1.2), ("caption", "displacement_no")),
    ],
)
def test_only_a_clear_rise_next_door_is_a_warning(verdict, estimate, expected):
    said = effect.displacement_statement(
        an_effect(displacement_verdict=verdict, displacement=estimate)
    )
    assert (said.kind, said.key) == expected
    if estimate is not None:
        assert said.ratios == (
            ("ratio", estimate.ratio),
            ("low", estimate.low),
            ("high", estimate.high),
        )


def test_missing_values_are_recognised_without_failing_on_lists():
    assert effect.is_missing(None) and effect.is_missing(math.nan) and effect.is_missing(pd.NaT)
    assert not effect.is_missing(["a"]) and not effect.is_missing("a")
    assert effect.as_date(pd.Timestamp("2026-01-05 00:00")) == dt.date(2026, 1, 5)
    assert effect.as_date(None) is None
