"""The week's situation for the weekly meeting: figures, what stands out, tasks, ratings.

One function, ``week_situation``, assembles everything the Lägesbild page and the weekly report
show, so both always agree. It takes a ``run(name, flt, **extra)`` callable for the queries:
the page passes its cached ``ui.data.query``, the report ``safetycore.queries.run`` on its own
connection.

Definitions (said once, here):

* week: an ISO week, Monday to Sunday; "last week" is the ISO week before, "last year" the
  same ISO week number a year earlier (week 53 falls back to week 52);
* usual level: the average of the 12 weeks before the week;
* expected: the seasonal expectation (``analysis.seasonal_expected``: the same weeks in
  earlier years scaled to the recent level), per area group and kind; a category's is its
  usual level scaled by its kind's season. Without earlier years it is the usual level;
* flag: a Poisson test of the week's count against the expectation (``analysis.poisson_flag``,
  alpha 0.01, never below an expectation of 3), so small counts and the season are not
  flagged;
* new hotspot: an H3 cell (resolution 8, about 0.7 km²) with at least ``HOTSPOT_MIN`` events
  in the week that averaged under one event a week in the 12 weeks before;
* tasks as of a day: overdue (open, due before the day), due within seven days, and done
  in the seven days before (since the last meeting).

Privacy: with ``meeting=True`` (the shared screen, and the report unless internal) sensitive
categories are left out of every figure, free text (rating comments excepted: they are the
meeting's own words; the public report leaves them out too) and assignees' names are dropped,
an action aimed at a sensitive category is shown by its number instead of its title, cells
with fewer than ``min_cell`` events are never queried out of the database, and a cell's
incident / quality-of-life split is shown only when both reach ``min_cell``
(``safetycore.disclosure``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import altair as alt
import pandas as pd

from safetycore import disclosure, maps
from safetycore.analysis import (
    MIN_COUNT_FOR_PERCENT,
    Comparison,
    Flag,
    compare,
    poisson_flag,
    seasonal_expected,
)
from safetycore.filters import Filter, iso_week_bounds, iso_week_label
from safetycore.taxonomy import KINDS

USUAL_WEEKS = 12
HOTSPOT_MIN = 4
CELL_RESOLUTION = 8
DEFAULT_MIN_CELL = 3
RATING_WEEKS = 8
TREND_WEEKS = 13
HISTORY_YEARS = 3

Runner = Callable[..., pd.DataFrame]


# ---------------------------------------------------------------------------------------------
# Weeks


@dataclass(frozen=True)
class Week:
    label: str  # 2026-W47
    monday: dt.date
    sunday: dt.date

    @classmethod
    def parse(cls, label: str) -> Week:
        label = (label or "").strip().upper()
        monday, sunday = iso_week_bounds(label)
        if iso_week_label(monday) != label:  # 2026-W60 would silently roll over
            raise ValueError(f"{label!r} is not an ISO week like 2026-W47.")
        return cls(label, monday, sunday)

    @classmethod
    def of(cls, day: dt.date) -> Week:
        return cls.parse(iso_week_label(day))

    def shifted(self, weeks: int) -> Week:
        return Week.of(self.monday + dt.timedelta(weeks=weeks))

    def same_week_last_year(self) -> Week:
        year, number, _ = self.monday.isocalendar()
        try:
            return Week.parse(f"{year - 1}-W{number:02d}")
        except ValueError:  # week 53 in a year whose predecessor has 52
            return Week.parse(f"{year - 1}-W52")

    @property
    def number(self) -> int:
        return self.monday.isocalendar()[1]


def default_week(today: dt.date, include_current: bool = False) -> Week:
    """The meeting's week: the last complete ISO week, or the current one when configured."""
    current = Week.of(today)
    if include_current or today >= current.sunday:
        return current
    return current.shifted(-1)


def week_choices(today: dt.date, include_current: bool = False, count: int = 105,
                 oldest: dt.date | None = None, extra: tuple[str, ...] = ()) -> list[str]:
    """ISO week labels for the picker, newest first, from the default week back.

    At least ``count`` weeks, and back to the week of ``oldest`` (the first event) when that is
    older, so any week with data can be chosen; ``extra`` weeks (one named in a link, such as a
    week after the default) are added in their place."""
    newest = default_week(today, include_current)
    weeks = count
    if oldest is not None and oldest < newest.monday:
        weeks = max(count, (newest.monday - Week.of(oldest).monday).days // 7 + 1)
    labels = [newest.shifted(-i).label for i in range(weeks)]
    known = set(labels)
    labels += [Week.parse(label).label for label in extra if label not in known]
    return sorted(set(labels), reverse=True)


def week_filter(base: Filter, start: dt.date, end: dt.date) -> Filter:
    return base.with_period(start, end)


# ---------------------------------------------------------------------------------------------
# The statistical flag (shared with the Trends page)


def flag_direction(flag) -> str:
    """'up', 'down' or '' for a flag that is not unusual."""
    if not getattr(flag, "unusual", False):
        return ""
    return "up" if flag.direction == "high" else "down"


# ---------------------------------------------------------------------------------------------
# Figures


@dataclass(frozen=True)
class Figure:
    """One count for the week with everything it is compared against."""

    key: str  # "total", a kind or a category code
    week: int
    last_week: int
    last_year: int
    usual: float  # average per week over the 12 weeks before
    flag: Flag  # the Poisson test against ``flag.expected``, the seasonal expectation

    @property
    def expected(self) -> float:
        return float(self.flag.expected)

    @property
    def vs_last_week(self) -> Comparison:
        return compare(self.week, self.last_week)

    @property
    def vs_last_year(self) -> Comparison:
        return compare(self.week, self.last_year)

    @property
    def vs_usual_percent(self) -> float | None:
        if self.week < MIN_COUNT_FOR_PERCENT or self.usual < MIN_COUNT_FOR_PERCENT:
            return None
        return 100.0 * (self.week - self.usual) / self.usual

    @property
    def direction(self) -> str:
        return flag_direction(self.flag)


def _figure(key: str, rows: pd.DataFrame, expected: float | None = None) -> Figure:
    week = int(rows["week"].sum())
    usual = float(rows["usual12"].sum()) / USUAL_WEEKS
    if expected is None or not math.isfinite(expected):
        expected = usual
    return Figure(key, week, int(rows["last_week"].sum()), int(rows["last_year"].sum()),
                  usual, poisson_flag(week, expected))


def seasonal_levels(history: pd.DataFrame, week: Week) -> dict[tuple[str | None, str], float]:
    """The seasonal expectation (``analysis.seasonal_expected``) per (area group, kind) and for
    the whole selection (group None), kind "total" included. ``history`` has week,
    area_group_id, kind, n for the years before the week."""
    levels: dict[tuple[str | None, str], float] = {}
    if history.empty:
        return levels
    frames = {None: history, **{g: rows for g, rows in history.groupby("area_group_id")}}
    for group, rows in frames.items():
        for kind in (*KINDS, "total"):
            part = rows if kind == "total" else rows[rows["kind"] == kind]
            series = part.groupby("week", as_index=False)["n"].sum()
            if series.empty:
                continue
            levels[(group, kind)] = float(seasonal_expected(series, week.monday))
    return levels


def headline(counts: pd.DataFrame, levels: dict | None = None, group: str | None = None
             ) -> list[Figure]:
    """Total, incidents and quality-of-life offences."""
    levels = levels or {}
    figures = [_figure("total", counts, levels.get((group, "total")))]
    for kind in KINDS:
        figures.append(_figure(kind, counts[counts["kind"] == kind], levels.get((group, kind))))
    return figures


def by_category(counts: pd.DataFrame, head: list[Figure] | None = None) -> list[Figure]:
    """One Figure per category that occurred in the week or the 12 weeks before.

    A category's expectation is its 12-week level scaled by its kind's season (the kind's
    seasonal expectation over the kind's 12-week level), so a summer rise of vandalism is
    expected in summer.
    """
    season = {}
    for fig in head or []:
        if fig.key in KINDS and fig.usual > 0:
            season[fig.key] = fig.expected / fig.usual
    figures = []
    for (code, kind), rows in counts.groupby(["category", "kind"], sort=False):
        usual = float(rows["usual12"].sum()) / USUAL_WEEKS
        fig = _figure(str(code), rows, usual * season.get(kind, 1.0))
        if fig.week or fig.usual or fig.last_week:
            figures.append(fig)
    return sorted(figures, key=lambda f: (-f.week, -f.usual, f.key))


# ---------------------------------------------------------------------------------------------
# The assembled week


@dataclass
class Standout:
    kind: str  # "category_up", "category_down", "kind_up", "kind_down", "hotspot"
    key: str  # category code, kind, or H3 cell
    week: int
    usual: float
    area_id: str | None = None


@dataclass
class GroupWeek:
    id: str
    name: str
    population: int | None
    headline: list[Figure]
    categories: list[Figure]
    standouts: list[Standout]
    cells: pd.DataFrame  # area_group_id, cell, n, incidents, qol, before12, area_id
    ratings: pd.DataFrame  # iso_week, rating, comment, rated_by, rated_at
    tasks: pd.DataFrame  # see situation_tasks.sql

    @property
    def total(self) -> Figure:
        return self.headline[0]

    def rating_for(self, week_label: str) -> dict | None:
        rows = self.ratings[self.ratings["iso_week"] == week_label]
        return None if rows.empty else rows.iloc[0].to_dict()

    @property
    def flagged_categories(self) -> list[str]:
        return [s.key for s in self.standouts if s.kind == "category_up"]


@dataclass
class WeekSituation:
    week: Week
    filter: Filter  # the base filter (period = the week)
    meeting: bool
    min_cell: int
    as_of: dt.date
    headline: list[Figure]
    groups: list[GroupWeek]
    unplaced: Figure  # events without a known area (in the totals, in no group)
    sources: pd.DataFrame  # source, week, usual
    weekly: pd.DataFrame  # iso_week, monday, kind, n
    rating_weeks: list[str] = field(default_factory=list)

    def group(self, group_id: str) -> GroupWeek:
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(group_id)


def week_situation(run: Runner, week: Week, base: Filter, *, today: dt.date,
                   meeting: bool = False, min_cell: int = DEFAULT_MIN_CELL,
                   only_group: str | None = None) -> WeekSituation:
    """Everything the page and the report show for ``week`` under the filter ``base``.

    ``base``'s period is ignored (the week decides it); its area groups, areas, kinds,
    categories and sources apply. ``meeting`` applies the shared-screen privacy rules.
    """
    if meeting:
        base = replace(base, include_sensitive=False)
    else:
        min_cell = 1
    if only_group:
        base = replace(base, area_groups=(only_group,))
    start = week.monday - dt.timedelta(weeks=USUAL_WEEKS)
    span = week_filter(base, start, week.sunday)
    last_year = week.same_week_last_year()
    dates = {
        "week_start": dt.datetime.combine(week.monday, dt.time()),
        "ly_start": dt.datetime.combine(last_year.monday, dt.time()),
        "ly_end": dt.datetime.combine(last_year.sunday + dt.timedelta(days=1), dt.time()),
    }
    counts = run("situation_counts", span, **dates)
    for column in ("week", "last_week", "last_year", "usual12"):
        counts[column] = counts[column].astype(int)
    history_start = week.monday - dt.timedelta(weeks=52 * HISTORY_YEARS + 4)
    history = run("situation_history",
                  week_filter(base, history_start, week.monday - dt.timedelta(days=1)))
    levels = seasonal_levels(history, week)
    cells = run("situation_cells", span, week_start=dates["week_start"],
                resolution=CELL_RESOLUTION, min_cell=int(min_cell))
    if meeting:  # no place-level count below k, sub-counts in tooltips included
        cells = disclosure.meeting_cells(cells, min_cell)
    sources = run("situation_sources", span, week_start=dates["week_start"])
    sources["usual"] = sources["usual12"] / USUAL_WEEKS
    trend = week_filter(base, week.monday - dt.timedelta(weeks=TREND_WEEKS - 1), week.sunday)
    weekly = run("situation_weekly", trend)
    rating_weeks = [week.shifted(-i).label for i in range(RATING_WEEKS - 1, -1, -1)]
    groups_filter = tuple(base.area_groups) or None
    ratings = run("situation_ratings", None, weeks=tuple(rating_weeks), groups=groups_filter)
    since = dt.datetime.combine(today - dt.timedelta(days=7), dt.time())
    tasks = run("situation_tasks", None, today=today, since=since, groups=groups_filter)
    if meeting:  # no names on the shared screen, no title naming a sensitive matter
        tasks["assignee"] = ""
        tasks = disclosure.meeting_tasks(
            tasks, disclosure.sensitive_codes(run("categories", None)))
    group_rows = run("area_groups", None)
    if base.area_groups:
        group_rows = group_rows[group_rows["id"].isin(base.area_groups)]

    groups = []
    for g in group_rows.itertuples(index=False):
        mine = counts[counts["area_group_id"] == g.id]
        my_cells = cells[cells["area_group_id"] == g.id].reset_index(drop=True)
        head = headline(mine, levels, g.id)
        cats = by_category(mine, head)
        groups.append(GroupWeek(
            id=g.id, name=g.name,
            population=None if pd.isna(g.population) else int(g.population),
            headline=head, categories=cats,
            standouts=_standouts(head, cats, my_cells),
            cells=my_cells,
            ratings=ratings[ratings["area_group_id"] == g.id].reset_index(drop=True),
            tasks=tasks[tasks["area_group_id"] == g.id].reset_index(drop=True),
        ))
    return WeekSituation(
        week=week, filter=week_filter(base, week.monday, week.sunday), meeting=meeting,
        min_cell=int(min_cell), as_of=today, headline=headline(counts, levels), groups=groups,
        unplaced=_figure("unplaced", counts[counts["area_group_id"].isna()]),
        sources=sources, weekly=weekly, rating_weeks=rating_weeks,
    )


def _standouts(head: list[Figure], cats: list[Figure], cells: pd.DataFrame) -> list[Standout]:
    found = []
    for fig in cats:
        if fig.direction:
            found.append(Standout(f"category_{fig.direction}", fig.key, fig.week, fig.expected))
    for fig in head[1:]:
        if fig.direction and not any(s.kind.startswith("category") for s in found):
            found.append(Standout(f"kind_{fig.direction}", fig.key, fig.week, fig.expected))
    if len(cells):
        usual = cells["before12"] / USUAL_WEEKS
        new = cells[(cells["n"] >= HOTSPOT_MIN) & (usual < 1.0)]
        for row in new.itertuples(index=False):
            found.append(Standout("hotspot", row.cell, int(row.n), float(row.before12) / USUAL_WEEKS,
                                  area_id=getattr(row, "area_id", None)))
    order = {"category_up": 0, "kind_up": 1, "hotspot": 2, "category_down": 3, "kind_down": 4}
    return sorted(found, key=lambda s: (order[s.kind], -s.week))


# ---------------------------------------------------------------------------------------------
# Charts and maps (pure; texts passed in)


def trend_chart(weekly: pd.DataFrame, week: Week, *, kind_labels: dict[str, str],
                week_title: str, count_title: str, kind_title: str, height: int = 260,
                font_size: int = 14) -> alt.Chart:
    """Stacked bars per ISO week and kind for the last weeks; the selected week stands out."""
    data = weekly.assign(
        kind_label=weekly["kind"].map(kind_labels),
        week_no=weekly["iso_week"].str[-3:],
        selected=weekly["iso_week"] == week.label,
    )[["iso_week", "week_no", "kind", "kind_label", "n", "selected"]]
    colours = {"incident": "#c0392b", "qol": "#2471a3"}
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("iso_week:O", title=week_title, sort="ascending",
                axis=alt.Axis(labelAngle=0, labelExpr="slice(datum.value, 5)")),
        y=alt.Y("n:Q", title=count_title, stack="zero"),
        color=alt.Color("kind_label:N", title=kind_title,
                        scale=alt.Scale(domain=[kind_labels[k] for k in colours],
                                        range=list(colours.values()))),
        opacity=alt.condition("datum.selected", alt.value(1.0), alt.value(0.45)),
        tooltip=[alt.Tooltip("iso_week:O", title=week_title),
                 alt.Tooltip("kind_label:N", title=kind_title),
                 alt.Tooltip("n:Q", title=count_title)],
    )
    return (chart.properties(height=height, width="container")
            .configure_axis(labelFontSize=font_size, titleFontSize=font_size)
            .configure_legend(labelFontSize=font_size, titleFontSize=font_size, orient="top"))


def category_frame(figures: list[Figure], labels: dict[str, str], limit: int = 10) -> pd.DataFrame:
    rows = [{"category": f.key, "label": labels.get(f.key, f.key), "week": f.week,
             "usual": round(f.expected, 1), "last_week": f.last_week, "last_year": f.last_year,
             "flag": f.direction} for f in figures[:limit]]
    return pd.DataFrame(rows, columns=["category", "label", "week", "usual", "last_week",
                                       "last_year", "flag"])


def category_chart(frame: pd.DataFrame, *, week_title: str, usual_title: str,
                   category_title: str, height: int | None = None,
                   font_size: int = 14) -> alt.Chart:
    """Horizontal bars of the week's count per category with a tick at the usual level."""
    height = height or max(120, int(font_size * 2.4) * len(frame))
    order = list(frame["label"])
    base = alt.Chart(frame).encode(y=alt.Y("label:N", title=category_title, sort=order))
    bars = base.mark_bar(color="#2471a3").encode(
        x=alt.X("week:Q", title=week_title, axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.condition("datum.flag == 'up'", alt.value("#c0392b"), alt.value("#2471a3")),
        tooltip=[alt.Tooltip("label:N", title=category_title),
                 alt.Tooltip("week:Q", title=week_title),
                 alt.Tooltip("usual:Q", title=usual_title, format=".1f")],
    )
    ticks = base.mark_tick(color="#222", thickness=3, size=24).encode(x="usual:Q")
    return ((bars + ticks).properties(height=height, width="container")
            .configure_axis(labelFontSize=font_size, titleFontSize=font_size, labelLimit=320))


def group_deck(boundaries: pd.DataFrame, group_id: str, cells: pd.DataFrame, *,
               tooltip_text: str | None = None):
    """A small map of one area group: its areas as the reference, the week's cells on top."""
    mine = boundaries[boundaries["area_group_id"] == group_id]
    layers = [maps.boundary_layer(mine)]
    view = maps.view_for(mine if len(mine) else boundaries)
    if len(cells):
        layers.append(maps.hex_layer(cells[["cell", "n", "incidents", "qol"]]))
        view = _view_of_cells(cells, fallback=view)
    tooltip = {"text": tooltip_text} if tooltip_text else None
    return maps.deck(layers, view, tooltip=tooltip)


def cells_box(cells: pd.DataFrame, *, pad: float = 0.6, min_span: float = 0.05) -> dict | None:
    """A GeoJSON polygon around the cells' centres with a margin (at least ``min_span``)."""
    import h3

    if cells.empty:
        return None
    points = [h3.cell_to_latlng(c) for c in cells["cell"]]
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    lat_pad = max((max(lats) - min(lats)) * pad, min_span)
    lon_pad = max((max(lons) - min(lons)) * pad, min_span * 2)
    south, north = min(lats) - lat_pad, max(lats) + lat_pad
    west, east = min(lons) - lon_pad, max(lons) + lon_pad
    return {"type": "Polygon", "coordinates": [[[west, south], [west, north], [east, north],
                                               [east, south], [west, south]]]}


def _view_of_cells(cells: pd.DataFrame, *, fallback, max_zoom: float = 11.5):
    """Frame the week's cells (with a margin) rather than the whole area group."""
    import json

    box = cells_box(cells)
    view = maps.view_for(pd.DataFrame({"boundary_geojson": [json.dumps(box)]}))
    if view.zoom < fallback.zoom:
        return fallback
    view.zoom = min(view.zoom, max_zoom)
    return view
