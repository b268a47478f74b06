"""The Trender page's view: the series with last year, the unusual weeks (the signals model
over whole ISO weeks), the comparison table, weekday × hour, seasonality and the series per
area group, for one filter, grain and split.

``trends_view`` is the one function the page calls (through the cache); the rules it follows
(how many rows a chart may get, which weeks are judged) are the small functions below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from safetycore import analysis, signals
from safetycore.filters import Filter

Runner = Callable[..., pd.DataFrame]

SPLITS = ("total", "kind", "category", "area_group", "source")
ROLLING = {"week": 4, "month": 3}
FLAG_WEEKS_AT_LEAST = 8  # the unusual-weeks chart judges at least this many weeks
EXPORT_ROWS = 5_000
# Charts get at most 5,000 rows: a long weekly range split many ways is shown by month.
WEEKLY_ROWS_AT_MOST = 4000


def at(day: dt.date) -> dt.datetime:
    """Midnight starting ``day``: the bound value of a day's start."""
    return dt.datetime.combine(day, dt.time())


def series_at_most(split: str, *, categories: int, groups: int, sources: int) -> int:
    """How many series a split can draw (area groups: one more for events without a group)."""
    return {
        "total": 1,
        "kind": 2,
        "category": categories,
        "area_group": groups + 1,
        "source": sources,
    }[split]


def chart_grain(flt: Filter, grain: str, series: int) -> tuple[str, bool]:
    """The grain the series is drawn at and whether weeks were too many for it (then by
    month)."""
    weeks = len(analysis.buckets_between(flt.start, flt.end, "week"))
    if grain == "week" and weeks * series > WEEKLY_ROWS_AT_MOST:
        return "month", True
    return grain, False


@dataclass(frozen=True)
class UnusualSpan:
    """The whole ISO weeks the unusual-weeks chart judges and the history it learns from."""

    weeks: tuple[dt.date, ...]  # Mondays
    history_start: dt.date
    history_end: dt.date  # exclusive: the Monday after the last judged week


def unusual_span(start: dt.date, end: dt.date) -> UnusualSpan:
    """The weeks inside ``start``..``end`` that are whole (the last one ends by ``end``), at
    least ``FLAG_WEEKS_AT_LEAST`` of them (earlier ones added for a short period), and the
    history the model needs before the first."""
    last_full = end - dt.timedelta(days=end.weekday() + (0 if end.weekday() == 6 else 7))
    first = analysis.bucket_start(start, "week")
    if first < start:
        first += dt.timedelta(days=7)
    first = min(first, last_full - dt.timedelta(weeks=FLAG_WEEKS_AT_LEAST - 1))
    history_start = first - dt.timedelta(weeks=52 * signals.YEARS + signals.WINDOW + 1)
    weeks = tuple(first + dt.timedelta(weeks=i) for i in range((last_full - first).days // 7 + 1))
    return UnusualSpan(weeks, history_start, last_full + dt.timedelta(days=7))


def ordered_groups(compared: pd.DataFrame, group_ids: tuple[str, ...]) -> pd.DataFrame:
    """The comparison's area-group rows in the municipality's order, unknown ones after, the
    total last."""
    rows = compared[compared["dimension"].isin(["group", "total"])].copy()
    rows["order"] = rows["key"].map(lambda k: group_ids.index(k) if k in group_ids else 99)
    rows.loc[rows["dimension"] == "total", "order"] = 100
    return rows.sort_values("order")


def group_keys(series: pd.Series, group_ids: tuple[str, ...]) -> list[str]:
    """Area groups present, in the municipality's order; others (no group) after."""
    present = set(series)
    keys = [g for g in group_ids if g in present]
    return keys + [k for k in series.unique() if k not in keys]


@dataclass(frozen=True)
class TrendsView:
    grain: str  # as drawn: "month" when weeks were too many
    too_many_weeks: bool
    ly_start: dt.date
    ly_end: dt.date
    series: pd.DataFrame  # bucket, series, n, n_last_year, partial, rolling
    total: int
    total_ly: int
    change: analysis.Comparison
    flags: pd.DataFrame  # signals.flag_weeks
    no_data: frozenset[str]  # comparison windows before the data
    by_group: pd.DataFrame  # comparison rows: area groups in order, the total last
    by_category: pd.DataFrame  # comparison rows: categories, the most this year first
    heat: pd.DataFrame  # weekday, hour, n
    season: pd.DataFrame  # year, month, n
    multiples: pd.DataFrame | None  # per area group (None: no events)


def trends_view(
    run: Runner,
    flt: Filter,
    grain: str,
    split: str,
    *,
    group_ids: tuple[str, ...],
    categories: int,
    sources: int,
) -> TrendsView:
    """Everything Trender shows for ``flt``; ``group_ids`` are the area groups in the
    municipality's order, ``categories`` and ``sources`` how many there are."""
    at_most = series_at_most(split, categories=categories, groups=len(group_ids), sources=sources)
    grain, too_many = chart_grain(flt, grain, at_most)
    ly_start, ly_end = analysis.last_year_span(flt.start, flt.end, grain)
    span = {"ly_start": at(ly_start), "ly_end": at(ly_end + dt.timedelta(days=1))}
    raw = run("trends_series", flt, grain=grain, split=split, **span)
    total, total_ly = int(raw["n"].sum()), int(raw["n_last_year"].sum())
    buckets = analysis.buckets_between(flt.start, flt.end, grain)
    keys = list(dict.fromkeys(raw.sort_values("n", ascending=False)["series"])) or ["total"]
    series = analysis.complete_series(raw, buckets, keys)
    series["partial"] = analysis.partial_buckets(series["bucket"], grain, flt.start, flt.end)
    series = analysis.with_rolling(series, ROLLING[grain])

    weeks = unusual_span(flt.start, flt.end)
    history = run(
        "trends_weekly_history",
        flt,
        history_start=at(weeks.history_start),
        end=at(weeks.history_end),
    )
    history = history.iloc[1:] if len(history) else history  # the first week may start mid-week
    data_weeks = run("data_weeks_all", None)["week"]
    flags = signals.flag_weeks(history, list(weeks.weeks), data_weeks=data_weeks)

    windows = analysis.comparison_windows(flt.end)
    first_event = run("data_start", flt)["first_event"].iloc[0]
    no_data = analysis.windows_before_data(windows, first_event)
    compared = analysis.comparison_table(run("trends_compare", flt, **windows), no_data=no_data)
    by_category = compared[compared["dimension"] == "category"].sort_values("ytd", ascending=False)

    per_group = run("trends_series", flt, grain=grain, split="area_group", **span)
    multiples = None
    if not per_group.empty:
        multiples = analysis.complete_series(
            per_group, buckets, group_keys(per_group["series"], group_ids)
        )
        multiples["partial"] = analysis.partial_buckets(
            multiples["bucket"], grain, flt.start, flt.end
        )
    return TrendsView(
        grain=grain,
        too_many_weeks=too_many,
        ly_start=ly_start,
        ly_end=ly_end,
        series=series,
        total=total,
        total_ly=total_ly,
        change=analysis.compare(total, total_ly),
        flags=flags,
        no_data=frozenset(no_data),
        by_group=ordered_groups(compared, group_ids),
        by_category=by_category,
        heat=run("trends_heatmap", flt),
        season=run("trends_seasonality", flt),
        multiples=multiples,
    )
