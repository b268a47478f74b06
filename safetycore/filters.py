"""The Filter value: what the user has selected, as a small hashable value.

Pages build one from the sidebar widgets; queries turn it into bound parameters. An empty
selection means "all", and is bound as NULL (see macros.sql).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

PERIOD_PRESETS = ("7d", "28d", "90d", "365d", "ytd", "custom")
PRESET_DAYS = {"7d": 7, "28d": 28, "90d": 90, "365d": 365}


@dataclass(frozen=True)
class Filter:
    start: dt.date  # first day, inclusive
    end: dt.date  # last day, inclusive
    area_groups: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    include_sensitive: bool = True

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("The period ends before it starts.")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def params(self) -> dict:
        """Bound parameters: the period ($start, $end) and the rest of the selection as one
        struct ($selection), whose fields carry the filter's own names: the macros in
        safetycore/macros.sql apply it whole (``filtered_incidents($start, $end, $selection)``)
        and a query that reads one value names it as the filter does
        (``$selection.area_groups``)."""
        selection = {
            "area_groups": list(self.area_groups) or None,
            "areas": list(self.areas) or None,
            "kinds": list(self.kinds) or None,
            "categories": list(self.categories) or None,
            "sources": list(self.sources) or None,
            "include_sensitive": self.include_sensitive,
        }
        return {
            "start": dt.datetime.combine(self.start, dt.time()),
            "end": dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time()),
            "selection": selection,
        }

    def with_period(self, start: dt.date, end: dt.date) -> Filter:
        return replace(self, start=start, end=end)

    def shifted(self, days: int) -> Filter:
        delta = dt.timedelta(days=days)
        return replace(self, start=self.start + delta, end=self.end + delta)

    def previous_period(self) -> Filter:
        """The period of the same length just before this one."""
        return self.shifted(-self.days)

    def same_period_last_year(self) -> Filter:
        return replace(self, start=shift_year(self.start, -1), end=shift_year(self.end, -1))


def shift_year(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def period_for_preset(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The (start, end) of a preset period ending today (inclusive)."""
    if preset in PRESET_DAYS:
        return today - dt.timedelta(days=PRESET_DAYS[preset] - 1), today
    if preset == "ytd":
        return dt.date(today.year, 1, 1), today
    raise ValueError(f"Unknown period preset {preset!r}")


def iso_week_bounds(label: str) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of an ISO week such as ``2026-W47``."""
    try:
        year_text, week_text = label.split("-W")
        monday = dt.date.fromisocalendar(int(year_text), int(week_text), 1)
    except ValueError as exc:
        raise ValueError(f"{label!r} is not an ISO week like 2026-W47.") from exc
    return monday, monday + dt.timedelta(days=6)


def iso_week_label(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
