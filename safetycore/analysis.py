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
    logs = [_log_poisson_pmf(i, mu) for i in range(int(k) + 1)]
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


def poisson_flag(observed: int, expected: float, alpha: float = ALPHA,
                 min_expected: float = MIN_EXPECTED) -> Flag:
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


def seasonal_expected(history: pd.DataFrame, week: dt.date, *, window: int = 2,
                      recent_weeks: int = 8) -> float:
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
    series = series.reindex(pd.date_range(first, max(series.index.max(), week), freq="7D"),
                            fill_value=0)
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
