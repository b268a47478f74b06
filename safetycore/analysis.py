"""Comparisons and small-number guards.

A percentage change on small counts misleads the room ("+100 %" from 2 to 4), so no
percentage is given unless both counts reach ``MIN_COUNT_FOR_PERCENT``.
"""

from __future__ import annotations

from dataclasses import dataclass

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
