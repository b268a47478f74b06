"""The yearly situation picture (årlig lägesbild) in the four parts lag (2023:196) § 4 names.

1. **Extent** (omfattning): events and rates per 1,000 inhabitants per category and area group,
   against the same dates of the two years before, with the range the two years before lead
   one to expect (quasi-Poisson, 99 %).
2. **Consequences** (konsekvenser): what the problems cost (repair and cleaning) per category
   and area group against last year, who was involved (young people, adults, mixed,
   unknown; never a name), when in the day and the week, the places that recur.
3. **Other relevant information** (annan relevant information): who reported and how well
   (coverage per source), and the data's gaps, said plainly.
4. **Analysis** (analys): persistent, emerging and fading places; seasonality; what changed
   (a Poisson test against the two years before, not a raw percentage); the actions under
   way and what their effect evaluations (``safetycore.effect``) say, with the cost of the
   problems they target before and after.

``yearly_picture(run, year, ...)`` builds it from the ``yearly_*.sql`` aggregates (``run`` runs
a named query, as in ``situation``): one pure function, no database of its own. For a year
still running, the year so far is compared with the same dates of the years before. Unless
``internal``, the meeting mode's privacy rules hold: no sensitive categories, no free text
from reports or names, and no count below k (it shows as "fewer than k").

The analyst's conclusions and priorities are texts per section (``save_text``), scrubbed of
personal data and kept with who wrote them and when.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from safetycore import clock, db, effect, privacy, queries
from safetycore.access import Actor, require
from safetycore.analysis import ALPHA, last_year_span, rate_per_1000
from safetycore.errors import UsageError
from safetycore.filters import Filter
from safetycore.involvement import INVOLVED
from safetycore.situation import DEFAULT_MIN_CELL

Runner = Callable[..., pd.DataFrame]

PARTS = ("extent", "consequences", "other", "analysis")
# The analyst's own text: one per part, plus the conclusions and the priorities.
SECTIONS = (*PARTS, "conclusions", "priorities")
MAX_TEXT = 8000
# Damage whose repair or cleaning has a cost: the share of these with a cost says how complete
# the cost figures are.
COSTED_CATEGORIES = ("vandalism", "graffiti", "arson", "littering")
PLACE_RESOLUTION = 8  # H3 cells of about 0.7 km2
PLACE_LIMIT = 400
EFFECT_WEEKS = effect.DEFAULT_WEEKS
RANGE_TAIL = 0.005  # each side of the expected range (a 99 % range)
WEEKDAYS = 7


# --- values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """The days counted for one year: ``start`` to ``end``, both included."""

    year: int
    start: dt.date
    end: dt.date

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return (
            dt.datetime.combine(self.start, dt.time()),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time()),
        )


@dataclass(frozen=True)
class Figure:
    """A category, kind, area group or the total: the year against the two before."""

    key: str
    kind: str | None
    count: int | None  # None: fewer than k (meeting mode)
    previous: dict[int, int | None]  # year -> count on the same dates
    per_1000: float | None
    cost_sek: float | None
    cost_previous: float | None  # last year's cost on the same dates
    n_cost: int  # events of the year with a cost
    expected: float | None  # the mean of the two years before
    expected_low: int | None  # the range that mean leads one to expect (99 %)
    expected_high: int | None
    change: str  # up | down | normal | too_small
    population: int | None = None
    name: str | None = None


@dataclass(frozen=True)
class Place:
    cell: str  # H3 cell (hex)
    area_id: str | None
    area: str | None
    area_group_id: str | None
    place: str | None  # the most frequent place text (internal only)
    counts: dict[int, int | None]  # year -> events (None: fewer than k)
    status: str  # persistent | emerging | fading | recurring


@dataclass(frozen=True)
class SourceCoverage:
    source: str
    count: int
    previous: int
    exact_time: float  # shares of the year's events
    located: float
    placed: float
    with_cost: float
    with_involved: float
    months: int  # months of the period with any report
    last_event: dt.datetime | None


@dataclass(frozen=True)
class Gap:
    code: str  # the label key (yearly.gap.<code>)
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ActionYear:
    id: int
    title: str
    area_group_id: str
    area_id: str | None
    categories: tuple[str, ...]
    owner_org: str
    status: str
    start_date: dt.date
    done_on: dt.date | None
    cost_sek: float | None
    verdict: str  # drop | rise | unclear | too_small | not_started | not_evaluable
    ratio: float | None
    low: float | None
    high: float | None
    weeks_before: int
    weeks_after: int
    events_before: int | None
    events_after: int | None
    problem_cost_before: float | None  # the cost of the targeted problems, same windows
    problem_cost_after: float | None


@dataclass(frozen=True)
class Text:
    section: str
    text: str
    written_by: str
    written_at: dt.datetime


@dataclass(frozen=True)
class YearlyPicture:
    year: int
    span: Span
    previous_spans: tuple[Span, Span]
    complete: bool  # the year has ended (else: the year so far)
    internal: bool
    min_count: int
    population: int | None
    total: Figure
    kinds: list[Figure]
    categories: list[Figure]
    area_groups: list[Figure]
    unplaced: Figure
    involved: dict[str, int | None]  # youth, adults, mixed, unknown (incl. not recorded)
    involved_previous: dict[str, int | None]
    not_recorded: int | None  # of which the report did not say
    people: dict[str, int]  # the approximate numbers given, summed per group
    involved_by_category: pd.DataFrame  # category, youth, adults, mixed, unknown
    involved_by_group: pd.DataFrame  # area_group_id, youth, adults, mixed, unknown
    weekday_hour: pd.DataFrame  # weekday (1-7), hour, n: events with an exact time
    busiest: list[tuple[int, int, int]]  # (weekday, first hour of a 3-hour band, n), top 3
    places: list[Place]
    months: pd.DataFrame  # month, year, n (the seasonality), kinds summed
    peak_months: list[int]
    sources: list[SourceCoverage]
    gaps: list[Gap]
    changes: list[Figure]  # categories and area groups whose year stands out
    actions: list[ActionYear]
    texts: dict[str, Text]

    @property
    def years(self) -> tuple[int, int, int]:
        return (self.year, self.year - 1, self.year - 2)

    def text(self, section: str) -> str:
        found = self.texts.get(section)
        return found.text if found else ""


# --- the statistics ----------------------------------------------------------------------


def spans_for(year: int, today: dt.date) -> tuple[Span, Span, Span]:
    """The year (to ``today`` if it is still running) and the same dates two years back."""
    if year > today.year:
        raise UsageError(f"The year {year} has not begun (today is {today.isoformat()}).")
    end = dt.date(year, 12, 31) if year < today.year else today

    def back(n: int) -> Span:
        start = dt.date(year - n, 1, 1)
        try:
            last = end.replace(year=year - n)
        except ValueError:  # 29 February
            last = end.replace(year=year - n, day=28)
        return Span(year - n, start, last)

    return back(0), back(1), back(2)


def poisson_quantile(p: float, mu: float) -> int:
    """The smallest k with P(X <= k) >= p for X ~ Poisson(mu): the probabilities summed from
    twelve standard deviations below the mean (the mass further down is below 1e-30)."""
    if mu <= 0:
        return 0
    sd = math.sqrt(mu)
    k = max(0, int(mu - 12 * sd - 10))
    term = math.exp(k * math.log(mu) - mu - math.lgamma(k + 1))
    total = 0.0
    top = int(mu + 12 * sd + 10)
    while k < top:
        total += term
        if total >= p:
            return k
        k += 1
        term *= mu / k
    return top


def judge(
    count: int, previous: list[int], min_expected: float = 5.0
) -> tuple[float | None, int | None, int | None, str]:
    """The year's count against the mean of the years before: the expectation, the range it
    makes likely (99 %, so that among some twenty categories a chance excursion is rare) and
    whether the count lies above it, below it or in it (too_small on a thin baseline). When
    the two years disagree more than chance would, the range widens with them
    (quasi-Poisson: the variance is the mean times the dispersion)."""
    if not previous:
        return None, None, None, "too_small"
    mu = sum(previous) / len(previous)
    if mu < min_expected:
        return mu, None, None, "too_small"
    spread = pd.Series(previous, dtype=float).var(ddof=1) if len(previous) > 1 else 0.0
    phi = max(1.0, float(spread) / mu) if spread == spread else 1.0
    low = int(round(poisson_quantile(RANGE_TAIL, mu / phi) * phi))
    high = int(round(poisson_quantile(1 - RANGE_TAIL, mu / phi) * phi))
    change = "up" if count > high else "down" if count < low else "normal"
    return mu, low, high, change


def _suppress(n: int | None, k: int, internal: bool) -> int | None:
    if n is None:
        return None
    return int(n) if internal or n >= k or n == 0 else None


def _figure(
    key: str,
    kind: str | None,
    counts: dict[int, int],
    costs: dict[int, float],
    n_cost: int,
    years: tuple[int, int, int],
    population: int | None,
    k: int,
    internal: bool,
    name: str | None = None,
) -> Figure:
    year, y1, y2 = years
    n0 = int(counts.get(year, 0))
    expected, low, high, change = judge(n0, [int(counts.get(y1, 0)), int(counts.get(y2, 0))])
    shown = _suppress(n0, k, internal)
    per_1000 = rate_per_1000(n0, population) if shown is not None else None
    cost = float(costs.get(year, 0.0)) if shown is not None else None
    cost_prev = (
        float(costs.get(y1, 0.0)) if _suppress(counts.get(y1, 0), k, internal) is not None else None
    )
    return Figure(
        key=key,
        kind=kind,
        count=shown,
        previous={y: _suppress(int(counts.get(y, 0)), k, internal) for y in (y1, y2)},
        per_1000=per_1000,
        cost_sek=cost,
        cost_previous=cost_prev,
        n_cost=int(n_cost),
        expected=expected,
        expected_low=low,
        expected_high=high,
        change=change if shown is not None else "too_small",
        population=population,
        name=name,
    )


Spans = tuple[dict[int, int], dict[int, float], int]  # {year: n}, {year: cost}, n_cost


def _by_span(frame: pd.DataFrame, key: str, years: tuple[int, int, int]) -> dict[object, Spans]:
    """key -> ({year: n}, {year: cost}, n_cost of the year)."""
    out: dict[object, Spans] = {}
    frame = frame.groupby([key, "span"], dropna=False, sort=False, as_index=False)[
        ["n", "cost_sek", "n_cost"]
    ].sum()
    for value, rows in frame.groupby(key, dropna=False, sort=False):
        counts = {years[int(s)]: int(n) for s, n in zip(rows["span"], rows["n"], strict=True)}
        costs = {
            years[int(s)]: float(c) for s, c in zip(rows["span"], rows["cost_sek"], strict=True)
        }
        n_cost = int(rows.loc[rows["span"] == 0, "n_cost"].sum())
        out[None if pd.isna(value) else value] = (counts, costs, n_cost)
    return out


def _sum_spans(frame: pd.DataFrame, years) -> Spans:
    agg = frame.groupby("span")[["n", "cost_sek"]].sum()
    counts = {years[int(s)]: int(r.n) for s, r in agg.iterrows()}
    costs = {years[int(s)]: float(r.cost_sek) for s, r in agg.iterrows()}
    return counts, costs, int(frame.loc[frame["span"] == 0, "n_cost"].sum())


def _places(frame: pd.DataFrame, years, internal: bool, min_n: int, k: int) -> list[Place]:
    from safetycore.analysis import poisson_flag

    out = []
    # Every listed cell is a test: the family's error is held at ALPHA (Bonferroni), so that
    # among hundreds of quiet rural cells a chance rise is not called emerging.
    alpha = ALPHA / max(len(frame), 1)
    # Places vary from year to year more than a Poisson count would (quasi-Poisson): the
    # dispersion is read from how the two years before differ, over the busier cells.
    pairs = frame[(frame["n1"] + frame["n2"]) >= 10]
    phi = 1.0
    if len(pairs) >= 5:
        phi = max(
            1.0, float((((pairs["n1"] - pairs["n2"]) ** 2) / (pairs["n1"] + pairs["n2"])).mean())
        )
    for r in frame.itertuples(index=False):
        n0, n1, n2 = int(r.n0), int(r.n1), int(r.n2)
        before = (n1 + n2) / 2
        if min(n0, n1, n2) >= min_n:
            status = "persistent"
        else:
            status = "recurring"
        flag = poisson_flag(round(n0 / phi), max(before, 0.5) / phi, alpha=alpha, min_expected=0.0)
        # A new place needs twice the listing minimum: a handful of events in a quiet cell
        # is not yet a place the picture should name.
        if n0 >= 2 * min_n and flag.direction == "high" and n0 >= 2 * max(before, 1):
            status = "emerging"
        elif before >= min_n and flag.direction == "low" and n0 <= before / 2:
            status = "fading"
        if status == "recurring" and n0 < min_n:
            continue
        out.append(
            Place(
                cell=str(r.cell),
                area_id=r.area_id,
                area=r.area,
                area_group_id=r.area_group_id,
                place=(r.place if internal else None),
                counts={
                    y: _suppress(n, k, internal) for y, n in zip(years, (n0, n1, n2), strict=True)
                },
                status=status,
            )
        )
    return out


def _involved(frame: pd.DataFrame, k: int, internal: bool):
    this = frame[frame["span"] == 0]
    last = frame[frame["span"] == 1]

    def groups(rows: pd.DataFrame) -> dict[str, int]:
        got = rows.groupby("involved")["n"].sum()
        out = {g: int(got.get(g, 0)) for g in INVOLVED}
        out["unknown"] += int(got.get("not_recorded", 0))
        return out

    involved = {g: _suppress(n, k, internal) for g, n in groups(this).items()}
    previous = {g: _suppress(n, k, internal) for g, n in groups(last).items()}
    not_recorded = _suppress(
        int(this.loc[this["involved"] == "not_recorded", "n"].sum()), k, internal
    )
    people = {g: int(this.loc[this["involved"] == g, "people"].sum()) for g in INVOLVED}

    def table(key: str) -> pd.DataFrame:
        rows = this.assign(involved=this["involved"].replace({"not_recorded": "unknown"}))
        wide = rows.pivot_table(
            index=key, columns="involved", values="n", aggfunc="sum", fill_value=0
        )
        wide = wide.reindex(columns=list(INVOLVED), fill_value=0).reset_index()
        if not internal:
            for g in INVOLVED:
                wide[g] = wide[g].astype("Int64").mask((wide[g] > 0) & (wide[g] < k))
        return wide

    return (
        involved,
        previous,
        not_recorded,
        people,
        table("category"),
        table("area_group_id") if "area_group_id" in this else pd.DataFrame(),
    )


def _busiest(times: pd.DataFrame, top: int = 3) -> list[tuple[int, int, int]]:
    if times.empty:
        return []
    grid = times.groupby(["weekday", "hour"])["n"].sum()
    bands = []
    for day in range(1, WEEKDAYS + 1):
        for first in range(0, 24, 3):
            n = int(sum(grid.get((day, h), 0) for h in range(first, first + 3)))
            bands.append((n, day, first))
    bands.sort(key=lambda b: (-b[0], b[1], b[2]))
    return [(day, first, n) for n, day, first in bands[:top] if n > 0]


def _sources(frame: pd.DataFrame) -> list[SourceCoverage]:
    this = frame[frame["span"] == 0].set_index("source")
    last = frame[frame["span"] == 1].set_index("source")
    out = []
    for src in list(this.index) + [s for s in last.index if s not in this.index]:
        if src in this.index:
            r = this.loc[src]
            n = int(r["n"])

            def share(col, r=r, n=n) -> float:
                return float(r[col]) / n if n else 0.0

            out.append(
                SourceCoverage(
                    source=src,
                    count=n,
                    previous=int(last["n"].get(src, 0)),
                    exact_time=share("n_exact_time"),
                    located=share("n_located"),
                    placed=share("n_placed"),
                    with_cost=share("n_cost"),
                    with_involved=share("n_involved"),
                    months=int(r["months"]),
                    last_event=pd.Timestamp(r["last_event"]).to_pydatetime(),
                )
            )
        else:
            out.append(
                SourceCoverage(
                    source=src,
                    count=0,
                    previous=int(last.loc[src, "n"]),
                    exact_time=0,
                    located=0,
                    placed=0,
                    with_cost=0,
                    with_involved=0,
                    months=0,
                    last_event=None,
                )
            )
    return out


def _action_rows(
    run: Runner,
    actions: pd.DataFrame,
    today: dt.date,
    sensitive_codes: set[str],
    internal: bool,
    neighbours: dict,
) -> list[ActionYear]:
    out = []
    for a in actions.to_dict("records"):
        cats = tuple(a["target_categories"] if a["target_categories"] is not None else ())
        if not internal:
            cats = tuple(c for c in cats if c not in sensitive_codes)
            if a["target_categories"] is not None and len(a["target_categories"]) and not cats:
                continue  # an action about sensitive categories only: not in the shared report
        start = pd.Timestamp(a["start_date"]).date()
        done = pd.Timestamp(a["done_on"]).date() if pd.notna(a["done_on"]) else None
        action = {**a, "target_categories": list(cats), "start_date": start}
        verdict, est, win = "not_evaluable", None, None
        tb = ta = None
        cost_before = cost_after = None
        if effect.evaluable(action):
            win = effect.window(start, EFFECT_WEEKS, today)
            nbrs = neighbours.get(a["area_id"], ()) if a["area_id"] else ()
            params = effect.query_params(action, win, neighbour_ids=nbrs, comparison_area=None)
            params["sensitive"] = internal
            # The verdict is effect.summarise's own (seasonally matched "before", exact test);
            # the problems' cost is summed over the weeks just before and after the start.
            weekly = run("actions_effect_weekly", **params)
            evaluated = effect.summarise(weekly, win, has_neighbours=bool(nbrs))
            verdict, est = evaluated.verdict, evaluated.estimate
            tb, ta = evaluated.target_before, evaluated.target_after
            target = weekly[weekly["zone"] == "target"]
            before = target["week"].between(-win.weeks_before, -1)
            after = target["week"].between(0, win.weeks_after - 1)
            cost_before = float(target.loc[before, "cost_sek"].sum())
            cost_after = float(target.loc[after, "cost_sek"].sum()) if win.weeks_after else None
        out.append(
            ActionYear(
                id=int(a["id"]),
                title=str(a["title"]),
                area_group_id=a["area_group_id"],
                area_id=a["area_id"],
                categories=cats,
                owner_org=a["owner_org"],
                status=a["status"],
                start_date=start,
                done_on=done,
                cost_sek=None if pd.isna(a["cost_sek"]) else float(a["cost_sek"]),
                verdict=verdict,
                ratio=est.ratio if est else None,
                low=est.low if est else None,
                high=est.high if est else None,
                weeks_before=win.weeks_before if win else 0,
                weeks_after=win.weeks_after if win else 0,
                events_before=tb,
                events_after=ta,
                problem_cost_before=cost_before,
                problem_cost_after=cost_after,
            )
        )
    return out


def yearly_picture(
    run: Runner,
    year: int,
    *,
    today: dt.date,
    internal: bool = False,
    min_count: int = DEFAULT_MIN_CELL,
) -> YearlyPicture:
    """The yearly situation picture for ``year`` from the ``yearly_*`` aggregates."""
    span, last, before = spans_for(year, today)
    years = (span.year, last.year, before.year)
    (s0, e0), (s1, e1), (s2, e2) = span.bounds, last.bounds, before.bounds
    bounds = {"s0": s0, "e0": e0, "s1": s1, "e1": e1, "s2": s2, "e2": e2, "sensitive": internal}
    k = int(min_count)

    groups = run("area_groups")
    names = dict(zip(groups["id"], groups["name"], strict=True))
    pops = {
        g: (None if pd.isna(p) else int(p))
        for g, p in zip(groups["id"], groups["population"], strict=True)
    }
    population = sum(p for p in pops.values() if p) or None

    cats = run("yearly_categories", **bounds)
    catalogue = run("categories")
    sensitive_codes = set(catalogue.loc[catalogue["sensitive"].astype(bool), "code"])
    per_cat = _by_span(cats, "category", years)
    kinds_of = dict(zip(cats["category"], cats["kind"], strict=False))
    categories = [
        _figure(code, kinds_of[code], *per_cat[code], years, population, k, internal)
        for code in dict.fromkeys(cats["category"])
    ]
    # A category with no event in any of the three years says nothing; it is left out.
    categories = [
        f
        for f in categories
        if (f.count or 0) or any(v for v in f.previous.values()) or f.count is None
    ]
    total = _figure("total", None, *_sum_spans(cats, years), years, population, k, internal)
    kinds = [
        _figure(
            kind,
            kind,
            *_sum_spans(cats[cats["kind"] == kind], years),
            years,
            population,
            k,
            internal,
        )
        for kind in ("incident", "qol")
    ]

    grp = run("yearly_groups", **bounds)
    per_group = _by_span(grp, "area_group_id", years)
    area_groups = [
        _figure(
            g,
            None,
            *per_group.get(g, ({}, {}, 0)),
            years,
            pops.get(g),
            k,
            internal,
            name=names.get(g, g),
        )
        for g in groups["id"]
    ]
    unplaced = _figure(
        "unplaced", None, *per_group.get(None, ({}, {}, 0)), years, None, k, internal
    )

    inv = run("yearly_involved", **bounds)
    involved, involved_prev, not_recorded, people, by_cat, by_group = _involved(inv, k, internal)

    times = run("yearly_times", **{**bounds})
    weekday_hour = (
        times.groupby(["weekday", "hour"], as_index=False)["n"].sum()
        if not times.empty
        else pd.DataFrame(columns=["weekday", "hour", "n"])
    )

    min_place = max(k, 10)
    places = _places(
        run("yearly_places", **bounds, res=PLACE_RESOLUTION, min_n=min_place, limit=PLACE_LIMIT),
        years,
        internal,
        min_place,
        k,
    )

    months = run("yearly_months", **bounds)
    months = (
        months.groupby(["span", "month"], as_index=False)["n"]
        .sum()
        .assign(year=lambda f: f["span"].map(dict(enumerate(years))))[["month", "year", "n"]]
    )
    this_months = months[months["year"] == year].set_index("month")["n"]
    peak_months = [int(m) for m in this_months.sort_values(ascending=False).index[:3]]

    months_in_period = span.end.month
    sources = _sources(run("yearly_sources", **bounds))
    coverage = run("yearly_coverage", **bounds).iloc[0]

    gaps = _gaps(
        span,
        before,
        coverage,
        categories,
        sources,
        inv,
        cats,
        pops,
        internal,
        k,
        months_in_period,
        today,
    )

    changes = sorted(
        [f for f in [*categories, *area_groups] if f.change in ("up", "down")],
        key=lambda f: -abs((f.count or 0) - (f.expected or 0)),
    )

    actions = run("yearly_actions", **bounds)
    neighbours = effect.neighbours(run("area_boundaries")) if len(actions) else {}
    action_rows = _action_rows(run, actions, today, sensitive_codes, internal, neighbours)

    texts = {}
    for r in run("yearly_texts", year=year).itertuples(index=False):
        texts[r.section] = Text(
            r.section,
            r.text,
            r.written_by if internal else "",
            pd.Timestamp(r.written_at).to_pydatetime(),
        )

    return YearlyPicture(
        year=year,
        span=span,
        previous_spans=(last, before),
        complete=span.end == dt.date(year, 12, 31),
        internal=internal,
        min_count=k,
        population=population,
        total=total,
        kinds=kinds,
        categories=categories,
        area_groups=area_groups,
        unplaced=unplaced,
        involved=involved,
        involved_previous=involved_prev,
        not_recorded=not_recorded,
        people=people,
        involved_by_category=by_cat,
        involved_by_group=by_group,
        weekday_hour=weekday_hour,
        busiest=_busiest(times),
        places=places,
        months=months,
        peak_months=peak_months,
        sources=sources,
        gaps=gaps,
        changes=changes,
        actions=action_rows,
        texts=texts,
    )


def _gaps(
    span: Span,
    before: Span,
    coverage,
    categories: list[Figure],
    sources: list[SourceCoverage],
    inv: pd.DataFrame,
    cats: pd.DataFrame,
    pops: dict,
    internal: bool,
    k: int,
    months_in_period: int,
    today: dt.date,
) -> list[Gap]:
    gaps: list[Gap] = []
    if span.end < dt.date(span.year, 12, 31):
        gaps.append(Gap("partial_year", {"end": span.end.isoformat()}))
    first = coverage["first_event"]
    if pd.isna(first) or pd.Timestamp(first).date() > before.start:
        gaps.append(
            Gap(
                "short_history",
                {
                    "first": "–" if pd.isna(first) else pd.Timestamp(first).date().isoformat(),
                    "needed": before.start.isoformat(),
                },
            )
        )
    n_year = int(coverage["n_year"])
    if n_year == 0:
        gaps.append(Gap("no_events", {}))
        return gaps
    unplaced = int(coverage["n_unplaced"])
    if unplaced:
        gaps.append(Gap("unplaced", {"n": unplaced, "pct": round(100 * unplaced / n_year)}))
    this = inv[inv["span"] == 0]
    missing = int(this.loc[this["involved"] == "not_recorded", "n"].sum())
    if missing:
        gaps.append(Gap("involved_missing", {"n": missing, "pct": round(100 * missing / n_year)}))
    damage = cats[(cats["span"] == 0) & cats["category"].isin(COSTED_CATEGORIES)]
    n_damage, n_costed = int(damage["n"].sum()), int(damage["n_cost"].sum())
    if n_damage:
        gaps.append(
            Gap(
                "cost_partial",
                {"n": n_costed, "of": n_damage, "pct": round(100 * n_costed / n_damage)},
            )
        )
    for s in sources:
        if s.count == 0 and s.previous:
            gaps.append(Gap("source_silent", {"source": s.source, "previous": s.previous}))
        elif s.previous and s.months < months_in_period - 1:
            gaps.append(
                Gap(
                    "source_months",
                    {"source": s.source, "months": s.months, "of": months_in_period},
                )
            )
    no_population = [g for g, p in pops.items() if not p]
    if no_population:
        gaps.append(Gap("no_population", {"n": len(no_population)}))
    if not internal:
        if int(coverage["n_sensitive"]):
            gaps.append(Gap("sensitive_left_out", {}))
        gaps.append(Gap("small_counts", {"k": k}))
    return gaps


# --- the analyst's texts -----------------------------------------------------------------


def save_text(
    con, actor: Actor, year: int, section: str, text: str, *, now: dt.datetime | None = None
) -> Text:
    """Store the analyst's text for one section of the year's picture (personal identity
    numbers, phone numbers and names masked), replacing the one before; one transaction."""
    require(actor, "write_yearly")
    if section not in SECTIONS:
        raise UsageError(f"Unknown section {section!r}; use one of {', '.join(SECTIONS)}.")
    if not 1990 <= int(year) <= 2200:
        raise UsageError(f"{year} is not a year of the situation picture.")
    clean = (text or "").strip()
    if len(clean) > MAX_TEXT:
        raise UsageError(f"Keep the text to {MAX_TEXT:,} characters (it has {len(clean):,}).")
    masked = privacy.mask(clean) or ""
    at = (now or clock.now_for(con)).replace(microsecond=0)
    with db.transaction(con) as cur:
        queries.execute(
            cur,
            "yearly_text_upsert",
            year=int(year),
            section=section,
            text=masked,
            by=actor.identity,
            at=at,
        )
    return Text(section, masked, actor.identity, at)


# --- the figures behind it, as JSON --------------------------------------------------------


def _num(value):
    if value is None:
        return None
    if isinstance(value, float):
        return round(value, 2)
    return value


def _records(frame: pd.DataFrame, key: str) -> list[dict]:
    if frame is None or frame.empty:
        return []
    return [
        {
            key: None if pd.isna(r[key]) else r[key],
            **{g: None if pd.isna(r[g]) else int(r[g]) for g in INVOLVED},
        }
        for _, r in frame.iterrows()
    ]


def as_json(p: YearlyPicture) -> dict:
    """The figures behind the picture: ``year``, ``categories``, ``area_groups``, ``involved``
    and ``actions`` as documented (README), plus the rest of the four parts. ``null`` stands
    for a count below k (meeting mode)."""
    y1, y2 = str(p.year - 1), str(p.year - 2)

    def figure(f: Figure, key: str) -> dict:
        out: dict[str, Any] = {key: f.key}
        if f.name is not None:
            out["name"] = f.name
        if key == "category":
            out["kind"] = f.kind
        out.update(
            {
                "count": f.count,
                "per_1000": _num(f.per_1000),
                "cost_sek": _num(f.cost_sek),
                "previous_years": {y1: f.previous[p.year - 1], y2: f.previous[p.year - 2]},
                "cost_sek_previous_year": _num(f.cost_previous),
                "expected": _num(f.expected),
                "expected_range": [f.expected_low, f.expected_high],
                "change": f.change,
            }
        )
        if key == "area_group":
            out["population"] = f.population
        return out

    return {
        "year": p.year,
        "period": {
            "start": p.span.start.isoformat(),
            "end": p.span.end.isoformat(),
            "complete": p.complete,
        },
        "compared_with": [
            {"year": s.year, "start": s.start.isoformat(), "end": s.end.isoformat()}
            for s in p.previous_spans
        ],
        "internal": p.internal,
        "min_count": p.min_count,
        "population": p.population,
        "total": figure(p.total, "category") | {"category": "total", "kind": None},
        "categories": [figure(f, "category") for f in p.categories],
        "area_groups": [figure(f, "area_group") for f in p.area_groups],
        "unplaced": figure(p.unplaced, "area_group"),
        "involved": dict(p.involved),
        "involved_not_recorded": p.not_recorded,
        "involved_previous_year": dict(p.involved_previous),
        "involved_by_category": _records(p.involved_by_category, "category"),
        "involved_by_area_group": _records(p.involved_by_group, "area_group_id"),
        "people": dict(p.people),
        "time": {
            "weekday_hour": [
                [int(r.weekday), int(r.hour), int(r.n)]
                for r in p.weekday_hour.itertuples(index=False)
            ],
            "busiest": [{"weekday": d, "hours": [h, h + 3], "count": n} for d, h, n in p.busiest],
        },
        "places": [
            {
                "cell": pl.cell,
                "area": pl.area,
                "area_group": pl.area_group_id,
                "status": pl.status,
                "counts": {str(y): n for y, n in pl.counts.items()},
                **({"place": pl.place} if p.internal else {}),
            }
            for pl in p.places
        ],
        "months": [
            {"year": int(r.year), "month": int(r.month), "count": int(r.n)}
            for r in p.months.itertuples(index=False)
        ],
        "sources": [
            {
                "source": s.source,
                "count": s.count,
                "previous_year": s.previous,
                "months": s.months,
                "exact_time": round(s.exact_time, 3),
                "located": round(s.located, 3),
                "placed": round(s.placed, 3),
                "with_cost": round(s.with_cost, 3),
                "with_involved": round(s.with_involved, 3),
            }
            for s in p.sources
        ],
        "gaps": [{"code": g.code, **g.values} for g in p.gaps],
        "changes": [
            {"key": f.key, "change": f.change, "count": f.count, "expected": _num(f.expected)}
            for f in p.changes
        ],
        "actions": [
            {
                "id": a.id,
                "title": a.title,
                "area_group": a.area_group_id,
                "area": a.area_id,
                "categories": list(a.categories),
                "owner": a.owner_org,
                "status": a.status,
                "start_date": a.start_date.isoformat(),
                "done_on": a.done_on.isoformat() if a.done_on else None,
                "cost_sek": _num(a.cost_sek),
                "effect": {
                    "verdict": a.verdict,
                    "ratio": _num(a.ratio),
                    "low": _num(a.low),
                    "high": _num(a.high),
                    "weeks_before": a.weeks_before,
                    "weeks_after": a.weeks_after,
                    "events_before": a.events_before,
                    "events_after": a.events_after,
                },
                "problem_cost_before": _num(a.problem_cost_before),
                "problem_cost_after": _num(a.problem_cost_after),
            }
            for a in p.actions
        ],
        "texts": {
            s: {
                "text": t.text,
                **({"written_by": t.written_by} if p.internal else {}),
                "written_at": t.written_at.isoformat(sep=" "),
            }
            for s, t in p.texts.items()
        },
    }


# --- cost and involved for any period (Trender, Lägesbild) ---------------------------------


@dataclass(frozen=True)
class PeriodCosts:
    """``yearly_cost_filter.sql`` as tables: the period (``n``, ``cost``) beside the same
    period a year earlier (``n_ly``, ``cost_ly``)."""

    total: dict  # n, n_ly, cost, cost_ly, n_cost
    by_category: pd.DataFrame  # key, n, n_ly, cost, cost_ly, n_cost
    by_group: pd.DataFrame
    by_month: pd.DataFrame  # key (first day of the month), cost, cost_ly
    involved: pd.DataFrame  # key (youth .. unknown, not_recorded), n, n_ly, people
    involved_by_category: pd.DataFrame  # category, youth, adults, mixed, unknown, not_recorded


def cost_view(
    query: Callable[..., pd.DataFrame],
    flt: Filter,
    *,
    min_count: int = 0,
    grain: str = "month",
    involved: str | None = None,
) -> PeriodCosts:
    """The cost section's figures for ``flt`` (Trender by month, Lägesbild's week by week): the
    period beside the same span a year before, only events ``involved`` names when given."""
    ly_start, ly_end = last_year_span(flt.start, flt.end, grain)
    frame = query(
        "yearly_cost_filter",
        flt,
        involved=involved,
        ly_start=dt.datetime.combine(ly_start, dt.time()),
        ly_end=dt.datetime.combine(ly_end + dt.timedelta(days=1), dt.time()),
    )
    return period_costs(frame, min_count=min_count)


def period_costs(frame: pd.DataFrame, *, min_count: int = 0) -> PeriodCosts:
    """Pivot the period and the year before side by side; with ``min_count`` (meeting mode)
    involved counts below it are left out (NA)."""

    def side(dimension: str) -> pd.DataFrame:
        rows = frame[frame["dimension"] == dimension]
        now = rows[rows["span"] == 0].set_index("key")
        before = rows[rows["span"] == 1].set_index("key")
        keys = list(dict.fromkeys([*now.index, *before.index]))

        def column(part: pd.DataFrame, name: str, dtype: type) -> np.ndarray:
            return part[name].reindex(keys).fillna(0).to_numpy(dtype=dtype)

        return pd.DataFrame(
            {
                "key": keys,
                "n": column(now, "n", int),
                "n_ly": column(before, "n", int),
                "cost": column(now, "cost_sek", float),
                "cost_ly": column(before, "cost_sek", float),
                "n_cost": column(now, "n_cost", int),
                "people": column(now, "people", int),
            }
        )

    total = side("total")
    total_row = (
        total.iloc[0].to_dict()
        if len(total)
        else {"n": 0, "n_ly": 0, "cost": 0.0, "cost_ly": 0.0, "n_cost": 0, "people": 0}
    )
    involved = (
        side("involved")
        .set_index("key")
        .reindex([*INVOLVED, "not_recorded"], fill_value=0)
        .reset_index()
    )
    pairs = frame[(frame["dimension"] == "involved_category") & (frame["span"] == 0)]
    wide = (
        pairs.pivot_table(index="sub", columns="key", values="n", aggfunc="sum", fill_value=0)
        .reindex(columns=[*INVOLVED, "not_recorded"], fill_value=0)
        .rename_axis(columns=None)
        .reset_index()
        .rename(columns={"sub": "category"})
    )
    if min_count:
        for col in ("n", "n_ly"):
            involved[col] = (
                involved[col]
                .astype("Int64")
                .mask((involved[col] > 0) & (involved[col] < min_count))
            )
        for g in [*INVOLVED, "not_recorded"]:
            wide[g] = wide[g].astype("Int64").mask((wide[g] > 0) & (wide[g] < min_count))
    months = side("month").sort_values("key")[["key", "cost", "cost_ly", "n", "n_ly"]]
    return PeriodCosts(
        total=total_row,
        by_category=side("category").sort_values("cost", ascending=False, kind="stable"),
        by_group=side("group").sort_values("cost", ascending=False, kind="stable"),
        by_month=months.reset_index(drop=True),
        involved=involved,
        involved_by_category=wide,
    )
