"""Comparisons and small-number guards.

A percentage change on small counts misleads the room ("+100 %" from 2 to 4), so no
percentage is given unless both counts reach ``MIN_COUNT_FOR_PERCENT``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_COUNT_FOR_PERCENT = 20


@dataclass(frozen=True)
class Comparison:
    current: int
    previous: int
    difference: int
    percent: float | None  # None when the counts are too small to give one

    @property
    def too_small(self) -> bool:
        return self.percent is None


def compare(current: int, previous: int, min_count: int = MIN_COUNT_FOR_PERCENT) -> Comparison:
    current, previous = int(current), int(previous)
    percent = None
    if current >= min_count and previous >= min_count:
        percent = 100.0 * (current - previous) / previous
    return Comparison(current, previous, current - previous, percent)


def rate_per_1000(count: float, population: float | None) -> float | None:
    if not population:
        return None
    return 1000.0 * count / population


# --- Unusual-week flags -------------------------------------------------------------------
# A week is unusual when its count is improbable under a Poisson distribution around the usual
# (seasonal) level, not when it differs by some percentage: 4 against an expected 2 is normal,
# 140 against an expected 100 is not.

ALPHA = 0.01
MIN_EXPECTED = 3.0


@dataclass(frozen=True)
class Flag:
    observed: int
    expected: float
    p_value: float  # one-sided tail probability in the direction of the deviation
    direction: str  # "high" | "low" | "normal"

    @property
    def unusual(self) -> bool:
        return self.direction != "normal"


def _log_poisson_pmf(k: int, mu: float) -> float:
    return k * math.log(mu) - mu - math.lgamma(k + 1)


def poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k) for X ~ Poisson(mu), summed term by term in log space."""
    if k < 0:
        return 0.0
    if mu <= 0:
        return 1.0
    # Terms more than ten standard deviations below min(k, mu) are below 1e-20 of the largest
    # one: leave them out (a weekly count in the thousands would otherwise sum thousands).
    lowest = max(0, int(min(k, mu) - 10 * math.sqrt(mu) - 10))
    logs = [_log_poisson_pmf(i, mu) for i in range(lowest, int(k) + 1)]
    top = max(logs)
    return min(1.0, math.exp(top) * math.fsum(math.exp(v - top) for v in logs))


def poisson_sf(k: int, mu: float) -> float:
    """P(X >= k) for X ~ Poisson(mu), summed from k upwards (accurate for tiny tails)."""
    if k <= 0:
        return 1.0
    if mu <= 0:
        return 0.0
    if k <= mu:  # the tail holds at least about half the mass: the complement is exact enough
        return max(0.0, 1.0 - poisson_cdf(k - 1, mu))
    # Sum the upper tail directly until the terms stop mattering; past the mode they shrink
    # geometrically, so a few hundred terms suffice for weekly counts.
    logs = []
    i = int(k)
    while True:
        value = _log_poisson_pmf(i, mu)
        logs.append(value)
        if value < logs[0] - 40 or len(logs) > 100_000:
            break
        i += 1
    top = max(logs)
    return min(1.0, math.exp(top) * math.fsum(math.exp(v - top) for v in logs))


def poisson_flag(
    observed: int, expected: float, alpha: float = ALPHA, min_expected: float = MIN_EXPECTED
) -> Flag:
    """Whether ``observed`` is improbably high or low for a Poisson count around ``expected``.

    One-sided in the direction of the deviation (P(X >= observed) above the expectation,
    P(X <= observed) below). An expectation under ``min_expected`` is too thin a baseline to
    judge by: such weeks are never flagged.
    """
    observed = int(observed)
    expected = float(expected)
    if not math.isfinite(expected) or expected <= 0:
        return Flag(observed, max(expected, 0.0) if math.isfinite(expected) else 0.0, 1.0, "normal")
    if observed >= expected:
        p_value, direction = poisson_sf(observed, expected), "high"
    else:
        p_value, direction = poisson_cdf(observed, expected), "low"
    if expected < min_expected or p_value >= alpha:
        direction = "normal"
    return Flag(observed, expected, p_value, direction)


def seasonal_expected(
    history: pd.DataFrame, week: dt.date, *, window: int = 2, recent_weeks: int = 8
) -> float:
    """The usual count for the ISO week starting ``week``: the mean of the same week ±window in
    earlier years, scaled by the recent level (last ``recent_weeks`` against the same weeks in
    those years); without earlier years, the mean of the recent weeks.

    ``history`` has one row per ISO week (Monday) with columns ``week`` (date) and ``n``;
    weeks missing from it count as zero between its first and last week.
    """
    week = pd.Timestamp(week).normalize()
    if history.empty:
        return float("nan")
    series = history.assign(week=pd.to_datetime(history["week"])).groupby("week")["n"].sum()
    first = series.index.min()
    series = series.reindex(
        pd.date_range(first, max(series.index.max(), week), freq="7D"), fill_value=0
    )
    one_week = pd.Timedelta(days=7)

    def mean_of(days: list[pd.Timestamp]) -> float | None:
        days = [d for d in days if first <= d < week]
        return float(np.mean([series[d] for d in days])) if days else None

    recent = mean_of([week - one_week * i for i in range(1, recent_weeks + 1)])
    same_weeks, same_recent = [], []
    for years_back in range(1, 10):
        centre = week - one_week * (52 * years_back)
        if centre - one_week * window < first:
            break
        same_weeks += [centre + one_week * d for d in range(-window, window + 1)]
        same_recent += [centre - one_week * i for i in range(1, recent_weeks + 1)]
    seasonal = mean_of(same_weeks)
    if seasonal is None:
        return recent if recent is not None else float("nan")
    base = mean_of(same_recent)
    if recent is None or not base:
        return seasonal
    return seasonal * recent / base


def flag_weeks(history: pd.DataFrame, weeks: list[dt.date], **flag_args) -> pd.DataFrame:
    """Flag each ISO week in ``weeks`` against ``seasonal_expected`` from the weeks before it.

    ``history`` has columns week, n (whole weeks only). Returns week, n, expected, p_value,
    direction; a week whose expectation cannot be computed is "normal" with p_value 1.
    """
    counts = history.assign(week=pd.to_datetime(history["week"])).set_index("week")["n"]
    rows = []
    for week in weeks:
        stamp = pd.Timestamp(week)
        before = history[pd.to_datetime(history["week"]) < stamp]
        expected = seasonal_expected(before, week) if len(before) else float("nan")
        observed = int(counts.get(stamp, 0))
        flag = poisson_flag(observed, expected if math.isfinite(expected) else 0.0, **flag_args)
        rows.append(
            {
                "week": week,
                "n": observed,
                "expected": round(expected, 2) if math.isfinite(expected) else None,
                "p_value": flag.p_value,
                "direction": flag.direction,
            }
        )
    return pd.DataFrame(rows, columns=["week", "n", "expected", "p_value", "direction"])


# --- Period arithmetic for trends and the comparison table ---------------------------------


def bucket_start(day: dt.date, grain: str) -> dt.date:
    """The ISO week's Monday (grain "week") or the month's first day (grain "month")."""
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def bucket_days(bucket: dt.date, grain: str) -> int:
    if grain == "week":
        return 7
    following = (bucket.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (following - bucket).days


def partial_buckets(buckets: pd.Series, grain: str, start: dt.date, end: dt.date) -> pd.Series:
    """True for a week or month only partly inside ``start``..``end`` (inclusive)."""

    def partial(value) -> bool:
        first = pd.Timestamp(value).date()
        last = first + dt.timedelta(days=bucket_days(first, grain) - 1)
        return first < start or last > end

    return buckets.map(partial).astype(bool)


def with_rolling(frame: pd.DataFrame, window: int, *, key: str = "series") -> pd.DataFrame:
    """Add ``rolling``: per series, the mean of the last ``window`` whole buckets (partial
    buckets get none and do not enter the mean). ``frame`` has bucket, key, n, partial."""
    out = frame.sort_values([key, "bucket"]).copy()
    whole = out["n"].where(~out["partial"])
    out["rolling"] = (
        whole.groupby(out[key]).transform(lambda s: s.rolling(window, min_periods=window).mean())
    ).round(2)
    out.loc[out["partial"], "rolling"] = np.nan
    return out.sort_values(["bucket", key]).reset_index(drop=True)


def complete_series(frame: pd.DataFrame, buckets: list[dt.date], keys: list[str]) -> pd.DataFrame:
    """Every (bucket, series) pair present, missing ones as zero, so a quiet week shows as 0
    rather than as a line jumping over it."""
    index = pd.MultiIndex.from_product([pd.to_datetime(buckets), keys], names=["bucket", "series"])
    data = frame.assign(bucket=pd.to_datetime(frame["bucket"])).set_index(["bucket", "series"])
    return data.reindex(index, fill_value=0).reset_index()


def buckets_between(start: dt.date, end: dt.date, grain: str) -> list[dt.date]:
    out, current = [], bucket_start(start, grain)
    while current <= end:
        out.append(current)
        current = current + dt.timedelta(days=bucket_days(current, grain))
    return out


def last_year_span(start: dt.date, end: dt.date, grain: str) -> tuple[dt.date, dt.date]:
    """The days a year earlier that a series compares with: 364 days back for weeks (weekdays
    line up), the same calendar days for months."""
    if grain == "week":
        return start - dt.timedelta(days=364), end - dt.timedelta(days=364)
    return _shift_year(start), _shift_year(end)


def _shift_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def comparison_windows(end: dt.date) -> dict[str, dt.datetime]:
    """Bound parameters for trends_compare: windows ending on ``end`` (inclusive).

    7 and 28 days: the window, the one just before it, and the same days 52 weeks earlier
    (364 days, so weekdays line up). Year to date: 1 January to ``end`` and the same calendar
    days last year.
    """

    def at(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time())

    stop = end + dt.timedelta(days=1)
    params = {"end": at(stop)}
    for days in (7, 28):
        first = stop - dt.timedelta(days=days)
        params[f"d{days}"] = at(first)
        params[f"d{days}_prev"] = at(first - dt.timedelta(days=days))
        params[f"d{days}_ly"] = at(first - dt.timedelta(days=364))
        params[f"d{days}_ly_end"] = at(stop - dt.timedelta(days=364))
    params["ytd"] = at(dt.date(end.year, 1, 1))
    params["ly_ytd"] = at(dt.date(end.year - 1, 1, 1))
    params["ly_ytd_end"] = at(_shift_year(end) + dt.timedelta(days=1))
    return params


COMPARISONS = (
    ("d7", "d7_prev"),
    ("d7", "d7_ly"),
    ("d28", "d28_prev"),
    ("d28", "d28_ly"),
    ("ytd", "ytd_ly"),
)


# Each count column of trends_compare and the parameter holding its window's first day.
WINDOW_STARTS = {
    "d7": "d7",
    "d7_prev": "d7_prev",
    "d7_ly": "d7_ly",
    "d28": "d28",
    "d28_prev": "d28_prev",
    "d28_ly": "d28_ly",
    "ytd": "ytd",
    "ytd_ly": "ly_ytd",
}


def windows_before_data(windows: dict, data_start: dt.date | dt.datetime | None) -> set[str]:
    """The count columns whose window begins before the data do (or all, without data): they
    have no figure, since a count there would read as a fall from nothing."""
    if data_start is None or pd.isna(data_start):
        return set(WINDOW_STARTS)
    first = data_start.date() if isinstance(data_start, dt.datetime) else data_start
    return {column for column, key in WINDOW_STARTS.items() if windows[key].date() < first}


def comparison_table(
    frame: pd.DataFrame,
    min_count: int = MIN_COUNT_FOR_PERCENT,
    *,
    no_data: frozenset[str] | set[str] = frozenset(),
) -> pd.DataFrame:
    """Per row of trends_compare, the percentage changes (None below ``min_count``) and the
    rates per 1,000 inhabitants for the current windows. Columns in ``no_data`` (windows that
    begin before the data: ``windows_before_data``) become None, and so do their percentages
    and rates ("ingen data", never 0 or "+1,321 %")."""
    out = frame.copy()
    for column in no_data:
        out[column] = pd.Series([None] * len(out), index=out.index, dtype=object)
    for current, other in COMPARISONS:
        out[f"{current}_vs_{other}"] = [
            None if c is None or o is None else compare(c, o, min_count).percent
            for c, o in zip(out[current], out[other], strict=True)
        ]
    for window in ("d7", "d28", "ytd"):
        out[f"{window}_rate"] = [
            None if r is None else round(r, 2)
            for r in (
                None if c is None else rate_per_1000(c, p if pd.notna(p) else None)
                for c, p in zip(out[window], out["population"], strict=True)
            )
        ]
    return out
