"""Emerging hotspots on constructed cell counts whose answer is known."""

import datetime as dt

import h3
import numpy as np
import pandas as pd
import pytest

from safetycore import hotspots

CENTRE = h3.latlng_to_cell(59.76, 18.70, hotspots.RESOLUTION)
WEEK = dt.date(2026, 11, 16)


def town(seed: int = 1, weeks: int = hotspots.WEEKS) -> dict[str, np.ndarray]:
    """A town of about 90 cells with a little background everywhere."""
    rng = np.random.default_rng(seed)
    cells = sorted(h3.grid_disk(CENTRE, 5))
    return {c: rng.poisson(0.3, weeks).astype(float) for c in cells}


def frame(counts: dict[str, np.ndarray]) -> pd.DataFrame:
    rows = []
    for cell, values in counts.items():
        weeks = [w for w, n in enumerate(values) if n]
        if weeks:
            rows.append(
                {
                    "cell": cell,
                    "weeks": weeks,
                    "counts": [values[w] for w in weeks],
                    "area_id": "centrum",
                    "area_group_id": "norrtalje-stad",
                }
            )
    return pd.DataFrame(rows)


def test_a_quiet_town_has_no_hotspots_and_one_event_never_makes_one():
    counts = town()
    found = hotspots.emerging_hotspots(frame(counts), WEEK)
    assert found == []
    lone = {c: np.zeros(hotspots.WEEKS) for c in counts}
    lone[CENTRE][-1] = 1  # one event in an empty town: the most clustered week there is
    assert hotspots.emerging_hotspots(frame(lone), WEEK) == []


def test_a_place_that_starts_this_week_is_new_and_one_that_grows_is_emerging():
    counts = town()
    spot = sorted(h3.grid_ring(CENTRE, 2))[0]
    counts[spot] = np.zeros(hotspots.WEEKS)
    counts[spot][-1] = 9
    (new,) = hotspots.emerging_hotspots(frame(counts), WEEK)
    assert (new.cell, new.status, new.since, new.observed) == (spot, "new", "2026-W47", 9)
    counts[spot][-4:] = [6, 8, 10, 12]
    (growing,) = hotspots.emerging_hotspots(frame(counts), WEEK)
    assert growing.status == "emerging" and growing.since == "2026-W44"


def test_a_steady_hotspot_is_persistent_and_one_that_stops_is_fading():
    counts = town()
    counts[CENTRE] = np.full(hotspots.WEEKS, 10.0)
    (steady,) = hotspots.emerging_hotspots(frame(counts), WEEK)
    assert steady.status == "persistent" and steady.since == "2026-W36"
    assert steady.observed == 10 and steady.expected == 10
    counts[CENTRE] = np.array([14, 13, 13, 12, 11, 10, 10, 9, 8, 6, 3, 1.0])
    (fading,) = hotspots.emerging_hotspots(frame(counts), WEEK)
    assert fading.status == "fading"


def test_mann_kendall_with_ties():
    z, p = hotspots.mann_kendall(np.zeros(12))
    assert (z, p) == (0.0, 1.0)  # a quiet place has no trend, however many tied weeks
    z, p = hotspots.mann_kendall(np.array([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4.0]))
    assert z > 0 and p < 0.01
    z, p = hotspots.mann_kendall(np.arange(12.0)[::-1])
    assert z < 0 and p < 0.001


def test_a_place_growing_week_by_week_is_emerging_and_one_busy_every_year_is_not():
    ramp = np.array([1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8.0])
    counts = town()
    counts[CENTRE] = ramp.copy()
    quiet_last_year = {c: np.zeros(hotspots.WEEKS) for c in counts}
    (growing,) = hotspots.emerging_hotspots(frame(counts), WEEK, year_before=frame(quiet_last_year))
    assert growing.status == "emerging"
    # the same rise in the same weeks a year before: a season, not a new problem
    last_year = town(seed=2)
    last_year[CENTRE] = ramp.copy()
    (seasonal,) = hotspots.emerging_hotspots(frame(counts), WEEK, year_before=frame(last_year))
    assert seasonal.status == "persistent"


def test_a_new_place_must_stand_out_from_its_level_a_year_before():
    counts = town()
    spot = sorted(h3.grid_ring(CENTRE, 2))[0]
    counts[spot] = np.zeros(hotspots.WEEKS)
    counts[spot][-1] = 9
    last_year = {c: np.zeros(hotspots.WEEKS) for c in counts}
    last_year[spot][-4:] = [8, 9, 10, 9]  # as busy in these weeks last year
    assert hotspots.emerging_hotspots(frame(counts), WEEK, year_before=frame(last_year)) == []


def test_the_growth_tests_handle_zeros_and_know_a_trend():
    assert hotspots.binomial_rise_p(0, 10, 0.5) == 1.0
    assert hotspots.binomial_rise_p(10, 0, 0.5) == pytest.approx(0.5**10)
    assert hotspots.trend_p(np.zeros(12)) == 1.0
    assert hotspots.trend_p(np.full(12, 5.0)) > 0.4
    assert hotspots.trend_p(np.arange(12.0)) < 0.001
    assert hotspots.trend_p(np.arange(12.0)[::-1]) > 0.999
