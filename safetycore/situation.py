"""The week's situation for the weekly meeting: figures, what stands out, tasks, ratings.

One function, ``week_situation``, assembles everything the Lägesbild page and the weekly report
show, so both always agree. It takes a ``run(name, flt, **extra)`` callable for the queries:
the page passes its cached ``ui.cache.query``, the report ``safetycore.queries.run`` on its own
connection.

Definitions (said once, here):

* week: an ISO week, Monday to Sunday; "last week" is the ISO week before, "last year" the
  same ISO week number a year earlier (week 53 falls back to week 52);
* usual level: the average of the 12 weeks before the week;
* expected: the seasonal expectation with its 95 % prediction interval, per area group, kind
  and category (``safetycore.signals``: the same ISO weeks in earlier years, a trend where the
  data support it, overdispersion, earlier unusual weeks and the last 26 weeks kept out of the
  baseline; a category's season leans on its kind's when its own data is thin);
* flag: every figure of the week is tested and the flags chosen as one family
  (Benjamini–Hochberg, 5 %); a high flag needs at least five events. A running week is
  compared with the expectation for its elapsed days and never flagged. Events known only to
  the month are left out of every weekly figure and cell;
* hotspots: H3 cells (resolution 8, about 0.7 km²) where events cluster this week, with their
  status (new, emerging, persistent, fading) and the week they began (``safetycore.hotspots``:
  Getis-Ord Gi* per week and a Mann–Kendall trend); new and emerging ones stand out;
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

import numpy as np
import pandas as pd

from safetycore import clock, disclosure, queries, signals
from safetycore import hotspots as hotspot_model
from safetycore.analysis import (
    MIN_COUNT_FOR_PERCENT,
    Comparison,
    compare,
    poisson_flag,  # noqa: F401  (the sources' simple "fewer than usual" check uses it)
)
from safetycore.errors import UsageError
from safetycore.filters import Filter, iso_week_bounds, iso_week_label
from safetycore.signals import Signal
from safetycore.taxonomy import KINDS

USUAL_WEEKS = 12
HOTSPOT_MIN = 4
CELL_RESOLUTION = 8
DEFAULT_MIN_CELL = 3
RATING_WEEKS = 8
TREND_WEEKS = 13
HISTORY_YEARS = signals.YEARS

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
    """The meeting's week: the last complete ISO week, never a running one (a running week can
    be chosen when ``include_current``, see ``week_choices``, but is not the default)."""
    current = Week.of(today)
    if today >= current.sunday:
        return current
    return current.shifted(-1)


def week_choices(
    today: dt.date,
    include_current: bool = False,
    count: int = 105,
    oldest: dt.date | None = None,
    extra: tuple[str, ...] = (),
) -> list[str]:
    """ISO week labels for the picker, newest first: the running week first when
    ``include_current``, then the default week and the weeks before it.

    At least ``count`` weeks, and back to the week of ``oldest`` (the first event) when that is
    older, so any week with data can be chosen; ``extra`` weeks (one named in a link, such as a
    week after the default) are added in their place."""
    newest = Week.of(today) if include_current else default_week(today)
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
    flag: Signal  # the week against its seasonal expectation (safetycore.signals)
    last_year_known: bool = True  # False: the same week last year lies before the data

    @property
    def expected(self) -> float:
        """The seasonal expectation; the 12-week level when there is none."""
        value = float(self.flag.expected)
        return value if math.isfinite(value) else self.usual

    @property
    def partial(self) -> bool:
        return self.flag.status == "partial"

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


def _figure(
    key: str, rows: pd.DataFrame, signal: Signal | None = None, *, last_year_known: bool = True
) -> Figure:
    week = int(rows["week"].sum())
    usual = float(rows["usual12"].sum()) / USUAL_WEEKS
    if signal is None:
        signal = signals.no_expectation(week)
    return Figure(
        key,
        week,
        int(rows["last_week"].sum()),
        int(rows["last_year"].sum()),
        usual,
        signal,
        last_year_known,
    )


def history_series(history: pd.DataFrame) -> dict[tuple[str | None, str], pd.Series]:
    """Weekly series per (area group, key) from ``situation_history`` (one row per group and
    category with lists of weeks and counts): key is a category code, a kind or "total"; group
    None is the whole selection, events without an area included."""
    if history.empty:
        return {}
    # One flat array of weeks and counts for all rows, summed per (group, key) and week with
    # one bincount each: a few hundred series from years of weeks, without a groupby per series.
    lengths = np.array([len(w) for w in history["weeks"]])
    weeks = np.concatenate([np.asarray(w, dtype="datetime64[D]") for w in history["weeks"]])
    counts = np.concatenate([np.asarray(c, dtype=float) for c in history["counts"]])
    mondays, week_at = np.unique(weeks, return_inverse=True)
    row_of = np.repeat(np.arange(len(history)), lengths)
    groups = [None if pd.isna(g) else str(g) for g in history["area_group_id"]]
    # Each row counts towards its category's series, its kind's and the total.
    key_columns = (
        [str(c) for c in history["category"]],
        [str(k) for k in history["kind"]],
        ["total"] * len(history),
    )
    out: dict[tuple[str | None, str], pd.Series] = {}
    for keys in key_columns:
        for by_group in (True, False):
            # Events without a known area count in the whole selection's series only.
            labels = [(g, k) if by_group else (None, k) for g, k in zip(groups, keys, strict=True)]
            wanted = [not by_group or g is not None for g in groups]
            codes: dict[tuple[str | None, str], int] = {}
            row_code = np.array(
                [
                    codes.setdefault(label, len(codes)) if ok else -1
                    for label, ok in zip(labels, wanted, strict=True)
                ]
            )
            code = row_code[row_of]
            keep = code >= 0
            sums = np.bincount(
                code[keep] * len(mondays) + week_at[keep],
                weights=counts[keep],
                minlength=len(codes) * len(mondays),
            ).reshape(len(codes), len(mondays))
            for label, i in codes.items():
                present = sums[i] != 0
                out[label] = pd.Series(
                    sums[i, present],
                    index=pd.DatetimeIndex(mondays[present].astype("datetime64[ns]")),
                )
    return out


def week_signals(
    counts: pd.DataFrame,
    history: pd.DataFrame,
    week: Week,
    *,
    first: dt.date | None,
    elapsed: float = 1.0,
    groups: list[str],
    q: float = signals.FDR,
) -> dict[tuple[str | None, str], Signal]:
    """Every figure the Lägesbild shows for the week, judged as one family (signals.control):
    per area group and for the whole selection, the total, each kind and (per group) each
    category. Keys are (area group or None, "total" | kind | category code)."""
    series = history_series(history)
    empty = pd.Series(dtype=float)
    raw: dict[tuple[str | None, str], Signal] = {}

    def judge(group: str | None, key: str, observed: int, shape=None, fitted=None) -> None:
        raw[(group, key)] = signals.assess(
            series.get((group, key), empty),
            week.monday,
            observed,
            first=first,
            elapsed=elapsed,
            shape=shape,
            fitted=fitted,
        )

    for group in (None, *groups):
        mine = counts if group is None else counts[counts["area_group_id"] == group]
        judge(group, "total", int(mine["week"].sum()))
        # Each kind's baseline is fitted once: its own figure and its categories' shape use it.
        kind_fits = {
            kind: signals.baseline(series.get((group, kind), empty), week.monday, first=first)
            for kind in KINDS
        }
        for kind in KINDS:
            observed = int(mine.loc[mine["kind"] == kind, "week"].sum())
            judge(group, kind, observed, fitted=kind_fits[kind])
        if group is None:
            continue
        for (code, kind), rows in mine.groupby(["category", "kind"], sort=False):
            pred = kind_fits[kind][0] if kind in kind_fits else None
            shape = (series.get((group, kind), empty), pred) if pred is not None else None
            judge(group, str(code), int(rows["week"].sum()), shape)
    keys = list(raw)
    decided = signals.control([raw[k] for k in keys], q, figure_weights(keys))
    return dict(zip(keys, decided, strict=True))


# How much of the week's test power each figure gets (weighted Benjamini–Hochberg): the
# figures the meeting reads first, the municipality's and then each group's total and kinds,
# get more; the categories share the rest. The false discovery rate is the same.
FIGURE_WEIGHTS = {"municipality": 50.0, "group": 2.0, "category": 1.0}


def figure_weights(keys: list[tuple[str | None, str]]) -> list[float]:
    """The weight of each (area group or None, key) figure in the week's family."""
    headline = ("total", *KINDS)
    return [
        FIGURE_WEIGHTS[
            "municipality" if group is None else "group" if key in headline else "category"
        ]
        for group, key in keys
    ]


def headline(
    counts: pd.DataFrame,
    judged: dict | None = None,
    group: str | None = None,
    *,
    last_year_known: bool = True,
) -> list[Figure]:
    """Total, incidents and quality-of-life offences."""
    judged = judged or {}
    figures = [
        _figure("total", counts, judged.get((group, "total")), last_year_known=last_year_known)
    ]
    for kind in KINDS:
        figures.append(
            _figure(
                kind,
                counts[counts["kind"] == kind],
                judged.get((group, kind)),
                last_year_known=last_year_known,
            )
        )
    return figures


def by_category(
    counts: pd.DataFrame,
    judged: dict | None = None,
    group: str | None = None,
    *,
    last_year_known: bool = True,
) -> list[Figure]:
    """One Figure per category that occurred in the week or the 12 weeks before, with the
    category's own seasonal expectation (shrunk towards its kind's: ``week_signals``)."""
    judged = judged or {}
    figures = []
    for (code, _kind), rows in counts.groupby(["category", "kind"], sort=False):
        fig = _figure(
            str(code), rows, judged.get((group, str(code))), last_year_known=last_year_known
        )
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
    status: str | None = None  # hotspots: new | emerging (safetycore.hotspots)
    since: str | None = None  # hotspots: the ISO week it began


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
    category_kinds: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> Figure:
        return self.headline[0]

    def __post_init__(self) -> None:
        # Each week's saved rating looked up once: the page asks for it on every rerun.
        by_week: dict[str, dict] = {}
        for row in self.ratings.to_dict("records"):
            by_week.setdefault(str(row["iso_week"]), row)
        self._ratings_by_week = by_week

    def rating_for(self, week_label: str) -> dict | None:
        found = self._ratings_by_week.get(week_label)
        return None if found is None else dict(found)  # the week is shared: callers get a copy

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
    elapsed: float = 1.0  # share of the week passed (below 1: a running week, never flagged)
    data_start: dt.date | None = None  # the selection's first week of data
    hotspots: list[dict] = field(default_factory=list)  # safetycore.hotspots, newest first

    @property
    def partial(self) -> bool:
        return self.elapsed < 1.0

    def flags(self) -> list[dict]:
        """Every figure the meeting is told is unusual (the ``situation --json`` contract)."""
        out: list[dict] = []

        def add(group: str | None, fig: Figure) -> None:
            if not fig.direction:
                return
            kind = fig.key if fig.key in KINDS else None
            category = None if fig.key in (*KINDS, "total") else fig.key
            if category is not None:
                kind = category_kinds.get(category)
            out.append(
                {
                    "area_group": group,
                    "kind": kind,
                    "category": category,
                    "observed": fig.week,
                    "expected": round(fig.expected, 2),
                    "low": fig.flag.low,
                    "high": fig.flag.high,
                    "direction": fig.direction,
                }
            )

        category_kinds = {}
        for g in self.groups:
            category_kinds.update(g.category_kinds)
        for fig in self.headline:
            add(None, fig)
        for g in self.groups:
            for fig in (*g.headline, *g.categories):
                add(g.id, fig)
        return out

    def hotspot_list(self) -> list[dict]:
        """The week's emerging hotspots (the ``situation --json`` contract)."""
        return [dict(h) for h in self.hotspots]

    def group(self, group_id: str) -> GroupWeek:
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(group_id)


def week_situation(
    run: Runner,
    week: Week,
    base: Filter,
    *,
    today: dt.date,
    meeting: bool = False,
    min_cell: int = DEFAULT_MIN_CELL,
    only_group: str | None = None,
) -> WeekSituation:
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
    history_start = week.monday - dt.timedelta(weeks=52 * HISTORY_YEARS + signals.WINDOW + 1)
    history = run(
        "situation_history", week_filter(base, history_start, week.monday - dt.timedelta(days=1))
    )
    first = data_start(history, history_start)
    if first is not None and first > history_start:  # the data begin within the history
        first = data_start(history, history_start, run("data_start", span)["first_event"].iloc[0])
    resumed = signals.first_after_gaps(run("data_weeks_all", None)["week"], week.monday)
    if first is not None and resumed is not None and resumed > first:  # after a gap in the data
        first = resumed
    elapsed = elapsed_share(week, today)
    group_rows = run("area_groups", None)
    if base.area_groups:
        group_rows = group_rows[group_rows["id"].isin(base.area_groups)]
    judged = week_signals(
        counts, history, week, first=first, elapsed=elapsed, groups=list(group_rows["id"])
    )
    ly_known = first is not None and last_year.monday >= first
    cells = run(
        "situation_cells",
        span,
        week_start=dates["week_start"],
        resolution=CELL_RESOLUTION,
        min_cell=int(min_cell),
    )
    found = []
    if elapsed >= 1.0:  # a running week is not judged
        found = hotspot_model.for_filter(run, base, week_monday=week.monday)
    found = [h for h in found if h.observed >= min_cell]
    if meeting:  # no place-level count below k, sub-counts in tooltips included
        cells = disclosure.meeting_cells(cells, min_cell)
    sources = run("situation_sources", span, week_start=dates["week_start"])
    sources["usual"] = sources["usual12"] / USUAL_WEEKS
    trend = week_filter(base, week.monday - dt.timedelta(weeks=TREND_WEEKS - 1), week.sunday)
    weekly = run("situation_weekly", trend)
    rating_weeks = [week.shifted(-i).label for i in range(RATING_WEEKS - 1, -1, -1)]
    groups_filter = tuple(base.area_groups) or None
    ratings = run("situation_ratings", None, weeks=tuple(rating_weeks), area_groups=groups_filter)
    since = dt.datetime.combine(today - dt.timedelta(days=7), dt.time())
    tasks = run("situation_tasks", None, today=today, since=since, area_groups=groups_filter)
    if meeting:  # no names on the shared screen, no title naming a sensitive matter
        tasks["assignee"] = ""
        tasks = disclosure.meeting_tasks(tasks, disclosure.sensitive_codes(run("categories", None)))
    populations = selected_populations(run, base, group_rows)

    groups = []
    for g in group_rows.itertuples(index=False):
        mine = counts[counts["area_group_id"] == g.id]
        my_cells = cells[cells["area_group_id"] == g.id].reset_index(drop=True)
        head = headline(mine, judged, g.id, last_year_known=ly_known)
        cats = by_category(mine, judged, g.id, last_year_known=ly_known)
        groups.append(
            GroupWeek(
                id=g.id,
                name=g.name,
                population=populations.get(g.id),
                headline=head,
                categories=cats,
                standouts=_standouts(head, cats, [h for h in found if h.area_group == g.id]),
                cells=my_cells,
                ratings=ratings[ratings["area_group_id"] == g.id].reset_index(drop=True),
                tasks=tasks[tasks["area_group_id"] == g.id].reset_index(drop=True),
                category_kinds=dict(zip(mine["category"], mine["kind"], strict=True)),
            )
        )
    return WeekSituation(
        week=week,
        filter=week_filter(base, week.monday, week.sunday),
        meeting=meeting,
        min_cell=int(min_cell),
        as_of=today,
        headline=headline(counts, judged, last_year_known=ly_known),
        groups=groups,
        unplaced=_figure("unplaced", counts[counts["area_group_id"].isna()]),
        sources=sources,
        weekly=weekly,
        rating_weeks=rating_weeks,
        elapsed=elapsed,
        data_start=first,
        hotspots=[h.as_dict() for h in found],
    )


def data_start(
    history: pd.DataFrame, history_start: dt.date, first_event: dt.datetime | None = None
) -> dt.date | None:
    """The first whole week of data for the selection: its first week with events, or the start
    of the history read when the data begins earlier (a later gap in the data itself is
    ``signals.first_after_gaps``, in ``week_situation``). When the data begin within a week
    (``first_event``, from ``data_start.sql``, not a Monday), that week holds only its last
    days and is no week to learn from: the next one is the first. None: no data before the
    week at all."""
    # Each row's weeks are in order (situation_history.sql), so its first is its earliest.
    firsts = [row[0] for row in history["weeks"] if len(row)]
    if not firsts:
        return None
    first = pd.Timestamp(min(firsts)).date()
    if first_event is not None and not pd.isna(first_event):
        day = pd.Timestamp(first_event).date()
        if day - dt.timedelta(days=day.weekday()) == first and day.weekday() != 0:
            first += dt.timedelta(weeks=1)
    return max(first, history_start)


def elapsed_share(week: Week, today: dt.date) -> float:
    """The share of the week that has passed on ``today`` (1.0 for a week that is over; the
    day itself counts as passed, since its events so far are in)."""
    if today >= week.sunday:
        return 1.0
    if today < week.monday:
        return 0.0
    return ((today - week.monday).days + 1) / 7


def selected_populations(
    run: Runner, base: Filter, group_rows: pd.DataFrame
) -> dict[str, int | None]:
    """Inhabitants per area group for rates per 1,000: the selected areas' own when the filter
    picks areas (a count for Centrum is divided by Centrum's population, not the group's)."""
    out: dict[str, int | None] = {}
    if base.areas:
        areas = run("areas", None)
        areas = areas[areas["id"].isin(base.areas)]
        for g in group_rows["id"]:
            mine = areas[areas["area_group_id"] == g]
            known = mine["population"].dropna()
            out[g] = int(known.sum()) if len(mine) and len(known) == len(mine) else None
        return out
    for g in group_rows.itertuples(index=False):
        out[g.id] = None if pd.isna(g.population) else int(g.population)
    return out


def _standouts(head: list[Figure], cats: list[Figure], found: list) -> list[Standout]:
    found_out = []
    for fig in cats:
        if fig.direction:
            found_out.append(Standout(f"category_{fig.direction}", fig.key, fig.week, fig.expected))
    for fig in head[1:]:
        if fig.direction and not any(s.kind.startswith("category") for s in found_out):
            found_out.append(Standout(f"kind_{fig.direction}", fig.key, fig.week, fig.expected))
    for h in found:  # new and emerging hotspots (safetycore.hotspots)
        if h.status in ("new", "emerging"):
            found_out.append(
                Standout(
                    "hotspot",
                    h.cell,
                    h.observed,
                    h.expected,
                    area_id=h.area,
                    status=h.status,
                    since=h.since,
                )
            )
    order = {"category_up": 0, "kind_up": 1, "hotspot": 2, "category_down": 3, "kind_down": 4}
    return sorted(found_out, key=lambda s: (order[s.kind], -s.week))


def category_frame(figures: list[Figure], labels: dict[str, str], limit: int = 10) -> pd.DataFrame:
    rows = [
        {
            "category": f.key,
            "label": labels.get(f.key, f.key),
            "week": f.week,
            "usual": round(f.expected, 1),
            "last_week": f.last_week,
            "last_year": f.last_year,
            "flag": f.direction,
        }
        for f in figures[:limit]
    ]
    return pd.DataFrame(
        rows, columns=["category", "label", "week", "usual", "last_week", "last_year", "flag"]
    )


# ---------------------------------------------------------------------------------------------
# The week from a database (the report, the command line, e-mails)


def build_week(
    con,
    week_label: str,
    base: Filter | None = None,
    *,
    today: dt.date | None = None,
    internal: bool = False,
    min_cell: int = DEFAULT_MIN_CELL,
    area_group: str | None = None,
) -> WeekSituation:
    """The week named ``week_label`` (YYYY-Www) read from ``con``: meeting privacy unless
    ``internal``, one area group or all. A bad week or group is a ``UsageError`` in words."""
    try:
        week = Week.parse(week_label)
    except ValueError as exc:
        raise UsageError(f"{exc} Give --week as YYYY-Www, for example 2026-W47.") from exc
    cur = con.cursor()
    try:
        today = today or clock.reference_date(cur)
        if area_group is not None:
            ids = list(queries.run(cur, "area_groups")["id"])
            if area_group not in ids:
                raise UsageError(
                    f"There is no area group {area_group!r}; choose one of {', '.join(ids)}."
                )
    finally:
        cur.close()
    base = base or Filter(start=week.monday, end=week.sunday)

    def run(name: str, flt: Filter | None = None, **extra) -> pd.DataFrame:
        return queries.run(con, name, flt, **extra)

    return week_situation(
        run, week, base, today=today, meeting=not internal, min_cell=min_cell, only_group=area_group
    )
