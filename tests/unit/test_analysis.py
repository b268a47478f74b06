"""Comparison, Poisson flag and seasonal baseline on data whose answer is known by hand."""

import datetime as dt
import math

import pandas as pd
import pytest

from safetycore import analysis
from safetycore.analysis import compare, poisson_cdf, poisson_flag, poisson_sf, seasonal_expected


def test_poisson_cdf_matches_hand_computed_terms():
    # P(X<=2 | mu=3) = e^-3 (1 + 3 + 9/2) = 8.5 e^-3
    assert poisson_cdf(2, 3.0) == pytest.approx(8.5 * math.exp(-3), rel=1e-12)
    # P(X<=0 | mu=5) = e^-5
    assert poisson_cdf(0, 5.0) == pytest.approx(math.exp(-5), rel=1e-12)
    assert poisson_cdf(-1, 5.0) == 0.0


def test_poisson_upper_tail_matches_hand_computed_terms():
    # P(X>=3 | mu=3) = 1 - 8.5 e^-3
    assert poisson_sf(3, 3.0) == pytest.approx(1 - 8.5 * math.exp(-3), rel=1e-12)
    # P(X>=10 | mu=3) = 1 - sum_{i<10} e^-3 3^i / i!
    expected = 1 - sum(math.exp(-3) * 3**i / math.factorial(i) for i in range(10))
    assert poisson_sf(10, 3.0) == pytest.approx(expected, rel=1e-9)
    assert poisson_sf(0, 3.0) == 1.0


def test_tiny_tails_stay_accurate_for_large_counts():
    # 1 - cdf would round to 0 here; the direct sum does not.
    p = poisson_sf(200, 100.0)
    assert 0 < p < 1e-15
    # P(X>=200 | 100) is dominated by its first term e^-100 100^200/200!
    first = math.exp(200 * math.log(100) - 100 - math.lgamma(201))
    assert first < p < 2.1 * first


def test_flag_high_low_and_normal():
    high = poisson_flag(10, 3.0)
    assert high.direction == "high" and high.unusual
    assert high.p_value == pytest.approx(poisson_sf(10, 3.0))
    low = poisson_flag(0, 5.0)  # e^-5 = 0.0067 < 0.01
    assert low.direction == "low" and low.unusual
    assert low.p_value == pytest.approx(math.exp(-5))
    assert not poisson_flag(1, 5.0).unusual  # P(X<=1 | 5) = 6 e^-5 = 0.040
    assert not poisson_flag(4, 2.0).unusual  # "+100 %" on small counts is not unusual
    assert poisson_flag(140, 100.0).unusual  # +40 % on a large count is


def test_flag_never_fires_on_a_thin_baseline():
    flag = poisson_flag(8, 2.0)  # p = 0.0011, but an expectation of 2 is too thin to judge by
    assert flag.p_value < 0.01
    assert flag.direction == "normal" and not flag.unusual
    assert not poisson_flag(5, 0.0).unusual


def test_compare_gives_no_percentage_below_minimum():
    small = compare(4, 2)
    assert small.too_small and small.difference == 2
    big = compare(30, 20)
    assert big.percent == pytest.approx(50.0)
    assert compare(analysis.MIN_COUNT_FOR_PERCENT - 1, 100).percent is None


def _weeks(start: dt.date, counts: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {"week": [start + dt.timedelta(weeks=i) for i in range(len(counts))], "n": counts}
    )


def test_seasonal_expected_uses_same_weeks_last_year_across_the_year_boundary():
    # Two years of weekly history starting Monday 2024-01-01: 10 a week, except 30 a week
    # around each turn of the year (the five weeks around 2024/2025, and the two weeks just
    # before the target week at 2025/2026).
    start = dt.date(2024, 1, 1)
    counts = [10] * 104
    target_index = 104  # the week after the history: 2025-12-29 (ISO 2026-W01)
    for i in range(target_index - 52 - 2, target_index - 52 + 3):
        counts[i] = 30
    counts[target_index - 1] = counts[target_index - 2] = 30
    history = _weeks(start, counts)
    target = start + dt.timedelta(weeks=target_index)
    assert target == dt.date(2025, 12, 29)
    # Seasonal mean 30; recent level (2*30 + 6*10)/8 = 15 equals last year's: no scaling.
    assert seasonal_expected(history, target) == pytest.approx(30.0)
    # Without this year's holiday rise the recent level is 10 against 15: 30 * 10/15 = 20.
    counts[target_index - 1] = counts[target_index - 2] = 10
    assert seasonal_expected(_weeks(start, counts), target) == pytest.approx(20.0)


def test_seasonal_expected_scales_by_the_recent_level():
    start = dt.date(2024, 1, 1)
    counts = [10] * 60 + [20] * 44  # the level doubled in the second year
    history = _weeks(start, counts)
    target = start + dt.timedelta(weeks=104)
    # Same weeks last year: 10; recent 8 weeks 20 against 10 a year earlier -> 10 * 2 = 20.
    assert seasonal_expected(history, target) == pytest.approx(20.0)


def test_seasonal_expected_without_earlier_years_is_the_recent_mean():
    history = _weeks(dt.date(2026, 1, 5), [4, 6, 8, 10, 12, 14, 16, 18, 20, 22])
    target = dt.date(2026, 1, 5) + dt.timedelta(weeks=10)
    assert seasonal_expected(history, target) == pytest.approx(sum(range(8, 23, 2)) / 8)
    assert math.isnan(seasonal_expected(history.iloc[0:0], target))


def test_comparison_windows_across_the_year_boundary():
    w = analysis.comparison_windows(dt.date(2027, 1, 3))  # a Sunday, three days into the year
    assert w["end"] == dt.datetime(2027, 1, 4)
    assert w["d7"] == dt.datetime(2026, 12, 28) and w["d7_prev"] == dt.datetime(2026, 12, 21)
    # 364 days back: the same weekdays (Monday 2025-12-29 .. Sunday 2026-01-04).
    assert w["d7_ly"] == dt.datetime(2025, 12, 29) and w["d7_ly_end"] == dt.datetime(2026, 1, 5)
    assert w["d7_ly"].weekday() == w["d7"].weekday()
    assert w["ytd"] == dt.datetime(2027, 1, 1)
    assert (w["ly_ytd"], w["ly_ytd_end"]) == (dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 4))


def test_comparison_table_percentages_rates_and_small_counts():
    frame = pd.DataFrame(
        [
            {
                "dimension": "group",
                "key": "rimbo",
                "population": 10_000,
                "d7": 4,
                "d7_prev": 2,
                "d7_ly": 3,
                "d28": 30,
                "d28_prev": 20,
                "d28_ly": 40,
                "ytd": 500,
                "ytd_ly": 400,
            },
            {
                "dimension": "group",
                "key": "",
                "population": None,
                "d7": 25,
                "d7_prev": 20,
                "d7_ly": 0,
                "d28": 0,
                "d28_prev": 0,
                "d28_ly": 0,
                "ytd": 0,
                "ytd_ly": 0,
            },
        ]
    )
    out = analysis.comparison_table(frame)
    rimbo, unknown = out.iloc[0], out.iloc[1]
    assert pd.isna(rimbo["d7_vs_d7_prev"])  # 4 against 2: "+100 %" would mislead
    assert rimbo["d28_vs_d28_prev"] == pytest.approx(50.0)
    assert rimbo["d28_vs_d28_ly"] == pytest.approx(-25.0)
    assert rimbo["ytd_vs_ytd_ly"] == pytest.approx(25.0)
    assert rimbo["d28_rate"] == pytest.approx(3.0) and rimbo["ytd_rate"] == pytest.approx(50.0)
    assert unknown["d7_vs_d7_prev"] == pytest.approx(25.0)
    assert pd.isna(unknown["d7_vs_d7_ly"])  # nothing last year: no percentage
    assert pd.isna(unknown["d28_rate"])  # no population, no rate


def test_partial_buckets_rolling_and_complete_series():
    start, end = dt.date(2026, 10, 24), dt.date(2026, 11, 20)  # Saturday .. Friday
    buckets = analysis.buckets_between(start, end, "week")
    assert buckets[0] == dt.date(2026, 10, 19) and buckets[-1] == dt.date(2026, 11, 16)
    frame = pd.DataFrame(
        {
            "bucket": [dt.date(2026, 10, 26), dt.date(2026, 11, 9)],
            "series": ["qol", "qol"],
            "n": [10, 30],
            "n_last_year": [1, 2],
        }
    )
    full = analysis.complete_series(frame, buckets, ["qol", "incident"])
    assert len(full) == 10 and full["n"].sum() == 40  # quiet weeks are zeros, not gaps
    full["partial"] = analysis.partial_buckets(full["bucket"], "week", start, end)
    assert full.groupby("bucket")["partial"].first().tolist() == [True, False, False, False, True]
    rolled = analysis.with_rolling(full, 2)
    qol = rolled[rolled["series"] == "qol"].set_index("bucket")["rolling"]
    # Whole weeks W44 (10), W45 (0), W46 (30): means of two are 5 then 15; partial weeks none.
    assert qol.iloc[1:4].tolist()[1:] == [5.0, 15.0]
    assert math.isnan(qol.iloc[0]) and math.isnan(qol.iloc[4])
    months = analysis.buckets_between(dt.date(2025, 12, 15), dt.date(2026, 2, 28), "month")
    assert months == [dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    flags = analysis.partial_buckets(
        pd.Series(months), "month", dt.date(2025, 12, 15), dt.date(2026, 2, 28)
    )
    assert flags.tolist() == [True, False, False]  # February 2026 has 28 days: whole


def test_last_year_span_keeps_weekdays_for_weeks():
    start, end = analysis.last_year_span(dt.date(2026, 3, 2), dt.date(2026, 6, 28), "week")
    assert (
        start.weekday() == dt.date(2026, 3, 2).weekday()
        and (dt.date(2026, 3, 2) - start).days == 364
    )
    assert analysis.last_year_span(dt.date(2024, 2, 29), dt.date(2024, 3, 31), "month") == (
        dt.date(2023, 2, 28),
        dt.date(2023, 3, 31),
    )


def test_flag_weeks_marks_a_spike_against_a_flat_history():
    start = dt.date(2024, 1, 1)
    counts = [20] * 110
    counts[108] = 45  # P(X >= 45 | 20) is about 1e-6
    history = _weeks(start, counts)
    weeks = [start + dt.timedelta(weeks=i) for i in (106, 107, 108)]
    flags = analysis.flag_weeks(history, weeks)
    assert flags["direction"].tolist() == ["normal", "normal", "high"]
    assert flags["expected"].tolist() == [20.0, 20.0, 20.0]
    assert flags["p_value"].iloc[2] == pytest.approx(poisson_sf(45, 20.0))


def test_windows_before_the_data_have_no_figure():
    windows = analysis.comparison_windows(dt.date(2024, 1, 31))
    before = analysis.windows_before_data(windows, dt.datetime(2023, 11, 20, 8))
    assert before == {"d7_ly", "d28_ly", "ytd_ly"}
    assert analysis.windows_before_data(windows, None) == set(analysis.WINDOW_STARTS)
    frame = pd.DataFrame(
        {
            "dimension": ["total"],
            "key": [""],
            "d7": [30],
            "d7_prev": [25],
            "d7_ly": [0],
            "d28": [120],
            "d28_prev": [110],
            "d28_ly": [0],
            "ytd": [130],
            "ytd_ly": [9],
            "population": [1000],
        }
    )
    table = analysis.comparison_table(frame, no_data=before)
    row = table.iloc[0]
    assert row["ytd_ly"] is None and row["ytd_vs_ytd_ly"] is None  # not "+1 344 %"
    assert row["d28_vs_d28_ly"] is None and row["d7_vs_d7_prev"] == pytest.approx(20.0)
    assert row["d28_rate"] == pytest.approx(120.0)
