"""Did an action work? Before/after counts against a comparison, as a ratio of ratios.

For an action with an area (or a point and radius), target categories and a start date:

    a = target after,  b = target before,  c = comparison after,  d = comparison before
    ratio of ratios  RR = (a / b) / (c / d)

RR below 1 means the target fell more than the comparison (which absorbs the general trend).
"Before" is the same calendar weeks as "after", a year earlier, when the data reach back that
far (seasonally matched), else the weeks just before the start. The interval comes from the
exact conditional test (the target's share of its events that fall after the start is
binomial: Clopper–Pearson, so 40 → 0 is a clear drop), with the counts divided by their
overdispersion and widened by the comparison's own uncertainty. A start right after a peak is
warned about (regression to the mean). The same against the neighbouring areas (those whose
polygons touch the target area) checks for displacement: did the problem just move?

With small counts nothing can be concluded, and the result says so instead of giving a number.
Pure functions: the counts come from ``queries/actions_effect_weekly.sql``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from safetycore.formats import is_missing

Z95 = 1.959963984540054
# Fewer events than this before the start in the target, fewer than MIN_EXPECTED expected after
# it (the before count times the comparison's change), or any zero count: the result is "too
# small to conclude anything".
MIN_BEFORE = 10
MIN_EXPECTED = 5
DEFAULT_WEEKS = 26
DISPERSION_WEEKS = 8


@dataclass(frozen=True)
class RatioOfRatios:
    ratio: float
    low: float
    high: float

    @property
    def clear_drop(self) -> bool:
        return self.high < 1.0

    @property
    def clear_rise(self) -> bool:
        return self.low > 1.0


def ratio_of_ratios(a: int, b: int, c: int, d: int, z: float = Z95) -> RatioOfRatios | None:
    """(a/b)/(c/d) with its log-scale Poisson confidence interval; None if any count is 0."""
    if min(a, b, c, d) <= 0:
        return None
    ratio = (a / b) / (c / d)
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return RatioOfRatios(
        ratio, math.exp(math.log(ratio) - z * se), math.exp(math.log(ratio) + z * se)
    )


def dispersion(weekly_counts) -> float:
    """Variance over mean of weekly counts (at least 1): how much more than a Poisson count the
    weeks vary, which widens the interval. Fewer than ``DISPERSION_WEEKS`` weeks cannot tell:
    then 1."""
    values = pd.Series(weekly_counts, dtype=float)
    if len(values) < DISPERSION_WEEKS or values.mean() <= 0:
        return 1.0
    return max(1.0, float(values.var(ddof=1) / values.mean()))


def exact_ratio(
    a: int,
    b: int,
    c: int,
    d: int,
    *,
    phi: float = 1.0,
    phi_comparison: float = 1.0,
    level: float = 0.95,
) -> RatioOfRatios | None:
    """(a/b)/(c/d) with an interval from the exact conditional test, zeros included.

    Given the target's events before and after (a + b), the share after is binomial: its exact
    (Clopper–Pearson) interval holds for any count, 0 included, so 40 → 0 gives an interval well
    below 1. Overdispersion divides the counts by ``phi`` (quasi-likelihood), and the
    comparison's own uncertainty (1/c + 1/d on the log scale) widens both ends. None when the
    target had nothing before or the comparison has a zero.
    """
    from scipy.special import betaincinv

    if b <= 0 or c <= 0 or d <= 0:
        return None
    alpha = (1 - level) / 2
    a_eff, b_eff = a / phi, b / phi
    lo_p = 0.0 if a == 0 else float(betaincinv(a_eff, b_eff + 1, alpha))
    hi_p = 1.0 if b == 0 else float(betaincinv(a_eff + 1, b_eff, 1 - alpha))
    log_r = math.log(c / d)
    spread = Z95 * math.sqrt(phi_comparison * (1 / c + 1 / d))

    def to_ratio(p: float, widen: float) -> float:
        if p <= 0:
            return 0.0
        if p >= 1:
            return math.inf
        return math.exp(math.log(p / (1 - p)) - log_r + widen)

    p_hat = a / (a + b)
    # The comparison's part combines with the target's on the log scale (root of squares).
    ratio = (a / b) / (c / d)
    low = to_ratio(lo_p, 0.0)
    high = to_ratio(hi_p, 0.0)
    if low > 0:
        low = (
            math.exp(math.log(ratio) - math.hypot(math.log(ratio) - math.log(low), spread))
            if ratio > 0
            else low
        )
    if math.isfinite(high):
        base = math.log(ratio) if ratio > 0 else math.log(to_ratio(max(p_hat, 1e-12), 0.0))
        high = math.exp(base + math.hypot(math.log(high) - base, spread))
    return RatioOfRatios(ratio, low, high)


@dataclass(frozen=True)
class Window:
    """The days counted: ``weeks_before`` full weeks before the start, ``weeks_after`` after."""

    start: dt.date
    weeks_before: int
    weeks_after: int

    @property
    def first(self) -> dt.datetime:
        return dt.datetime.combine(self.start - dt.timedelta(weeks=self.weeks_before), dt.time())

    @property
    def end(self) -> dt.datetime:  # exclusive
        return dt.datetime.combine(self.start + dt.timedelta(weeks=self.weeks_after), dt.time())


def window(start: dt.date, weeks: int, data_end: dt.date) -> Window:
    """N weeks either side of the start; the after part is cut to the full weeks with data."""
    available = ((data_end - start).days + 1) // 7
    return Window(start, weeks, max(0, min(weeks, available)))


@dataclass(frozen=True)
class Effect:
    window: Window
    target_before: int
    target_after: int
    comparison_before: int
    comparison_after: int
    neighbours_before: int
    neighbours_after: int
    estimate: RatioOfRatios | None
    displacement: RatioOfRatios | None
    verdict: str  # drop | rise | unclear | too_small | not_started
    displacement_verdict: str  # rise | no_rise | too_small | none
    min_count: int = MIN_BEFORE
    matched: bool = False  # True: "before" is the same calendar weeks a year earlier
    after_peak: bool = False  # started right after a peak: part of a fall is regression to the mean
    phi: float = 1.0  # overdispersion of the target's weekly counts (widens the interval)

    @property
    def truncated(self) -> bool:
        return 0 < self.window.weeks_after < self.window.weeks_before


def _sum(weekly: pd.DataFrame, zone: str, after: bool, window: Window) -> int:
    rows = weekly[weekly["zone"] == zone]
    if after:
        rows = rows[(rows["week"] >= 0) & (rows["week"] < window.weeks_after)]
    else:
        rows = rows[(rows["week"] < 0) & (rows["week"] >= -window.weeks_before)]
    return int(rows["n"].sum())


def _weeks(weekly: pd.DataFrame, zone: str, first: int, stop: int) -> np.ndarray:
    """Counts per week first..stop-1 for a zone, zero where none."""
    rows = weekly[(weekly["zone"] == zone) & (weekly["week"] >= first) & (weekly["week"] < stop)]
    out = np.zeros(max(0, stop - first))
    for w, n in zip(rows["week"], rows["n"], strict=True):
        out[int(w) - first] += n
    return out


def _enough(before: int, after: int, comp_before: int, comp_after: int, min_count: int) -> bool:
    """Enough to judge: ``min_count`` target events before, an expectation of ``MIN_EXPECTED``
    after, and a comparison with events in both periods. A target with no events after is
    judged (40 → 0 is a clear drop): the exact test handles zeros."""
    if before < min_count or min(comp_before, comp_after) <= 0:
        return False
    return before * comp_after / comp_before >= MIN_EXPECTED


SEASON_WEEKS = 52  # the seasonally matched "before": the same calendar weeks a year earlier
PEAK_WEEKS = 4  # the weeks just before the start that a regression-to-the-mean check looks at
PEAK_RATIO = 1.3


def after_a_peak(weekly: pd.DataFrame, window: Window) -> bool:
    """True when the action started right after a peak: the target's last ``PEAK_WEEKS`` weeks
    before the start were clearly above its level in the weeks before them (exact Poisson tail,
    5 %, and at least 30 % above), so a fall afterwards is expected even without the action."""
    from scipy.special import gammainc

    recent = _weeks(weekly, "target", -PEAK_WEEKS, 0).sum()
    earlier = _weeks(weekly, "target", -window.weeks_before, -PEAK_WEEKS)
    if len(earlier) < PEAK_WEEKS or earlier.sum() <= 0:
        return False
    level = earlier.mean() * PEAK_WEEKS
    # P(X >= recent) for X ~ Poisson(level): the regularised lower incomplete gamma function.
    return bool(recent >= PEAK_RATIO * level and gammainc(recent, level) < 0.05)


def summarise(
    weekly: pd.DataFrame, window: Window, *, has_neighbours: bool, min_count: int = MIN_BEFORE
) -> Effect:
    """Turn weekly counts (zone, week, n) into the before/after comparison and its verdict.

    The "before" is seasonally matched when the data allow: the same calendar weeks as the
    after period, a year earlier (weeks -52 ..), so a summer action is compared with last
    summer; otherwise the weeks just before the start. The ratio of ratios against the
    comparison absorbs the general trend. The interval is exact (zeros allowed), widened for
    overdispersion (the weekly counts' variance over mean) and the comparison's uncertainty.
    """
    tb, ta = _sum(weekly, "target", False, window), _sum(weekly, "target", True, window)
    cb, ca = _sum(weekly, "comparison", False, window), _sum(weekly, "comparison", True, window)
    nb, na = _sum(weekly, "neighbours", False, window), _sum(weekly, "neighbours", True, window)
    matched = False
    if window.weeks_after:
        lo, hi = -SEASON_WEEKS, -SEASON_WEEKS + window.weeks_after
        year_ago = weekly[(weekly["week"] >= lo) & (weekly["week"] < hi)]
        if hi <= 0 and (year_ago["zone"] == "comparison").any():
            matched = True
            tb = int(year_ago.loc[year_ago["zone"] == "target", "n"].sum())
            cb = int(year_ago.loc[year_ago["zone"] == "comparison", "n"].sum())
            nb = int(year_ago.loc[year_ago["zone"] == "neighbours", "n"].sum())
    before_weeks = (
        (-SEASON_WEEKS, -SEASON_WEEKS + window.weeks_after)
        if matched
        else (-window.weeks_before, 0)
    )
    phi = dispersion(_weeks(weekly, "target", *before_weeks))
    phi_c = dispersion(_weeks(weekly, "comparison", *before_weeks))
    estimate = displacement = None
    if window.weeks_after == 0:
        verdict = "not_started"
    elif not _enough(tb, ta, cb, ca, min_count):
        verdict = "too_small"
    else:
        estimate = exact_ratio(ta, tb, ca, cb, phi=phi, phi_comparison=phi_c)
        verdict = (
            "too_small"
            if estimate is None
            else "drop"
            if estimate.clear_drop
            else "rise"
            if estimate.clear_rise
            else "unclear"
        )
    if not has_neighbours:
        d_verdict = "none"
    elif window.weeks_after == 0 or not _enough(nb, na, cb, ca, min_count) or na <= 0:
        d_verdict = "too_small"
    else:
        phi_n = dispersion(_weeks(weekly, "neighbours", *before_weeks))
        displacement = exact_ratio(na, nb, ca, cb, phi=phi_n, phi_comparison=phi_c)
        d_verdict = (
            "too_small"
            if displacement is None
            else "rise"
            if displacement.clear_rise
            else "no_rise"
        )
    return Effect(
        window,
        tb,
        ta,
        cb,
        ca,
        nb,
        na,
        estimate,
        displacement,
        verdict,
        d_verdict,
        min_count,
        matched=matched,
        after_peak=after_a_peak(weekly, window),
        phi=phi,
    )


def weekly_index(weekly: pd.DataFrame, window: Window, zones: dict[str, str]) -> pd.DataFrame:
    """Per zone and week, the count as an index (mean weekly count before the start = 100).

    ``zones`` maps zone -> the label to show; zones without events before get no index.
    Returns columns week (weeks from the start), series (label), n and index.
    """
    weeks = range(-window.weeks_before, window.weeks_after)
    frames = []
    for zone, label in zones.items():
        counts = weekly[weekly["zone"] == zone].set_index("week")["n"]
        series = pd.Series([int(counts.get(w, 0)) for w in weeks], index=list(weeks))
        base = series[series.index < 0].mean() if window.weeks_before else 0
        if not base:
            continue
        frames.append(
            pd.DataFrame(
                {
                    "week": list(weeks),
                    "series": label,
                    "n": series.to_numpy(),
                    "index": (100.0 * series / base).round(1).to_numpy(),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["week", "series", "n", "index"])
    return pd.concat(frames, ignore_index=True)


def smooth(index: pd.DataFrame, weeks: int = 4) -> pd.DataFrame:
    """A centred moving mean of the index per series, so weekly noise does not hide the level;
    never across the start: the weeks before and after it are smoothed apart, so a drop at the
    start is not smeared into the weeks before it."""
    out = index.copy()
    side = np.where(out["week"] < 0, "before", "after")
    out["index"] = (
        out.groupby([out["series"], side], sort=False)["index"]
        .transform(lambda s: s.rolling(weeks, min_periods=1, center=True).mean())
        .round(1)
    )
    return out


def effect_chart(
    index: pd.DataFrame,
    *,
    week_title: str,
    index_title: str,
    series_title: str,
    colours: dict[str, str],
    height: int = 320,
) -> alt.Chart:
    """Index lines per series with a rule at the start (week 0) and at 100."""
    lines = (
        alt.Chart(index)
        .mark_line(strokeWidth=3)
        .encode(
            x=alt.X("week:Q", title=week_title),
            y=alt.Y("index:Q", title=index_title),
            color=alt.Color(
                "series:N",
                title=series_title,
                scale=alt.Scale(domain=list(colours), range=list(colours.values())),
            ),
            tooltip=[
                alt.Tooltip("series:N", title=series_title),
                alt.Tooltip("week:Q", title=week_title),
                alt.Tooltip("index:Q", title=index_title),
            ],
        )
    )
    start = (
        alt.Chart(pd.DataFrame({"week": [0]}))
        .mark_rule(strokeDash=[6, 4], size=2, color="#333")
        .encode(x="week:Q")
    )
    level = alt.Chart(pd.DataFrame({"index": [100]})).mark_rule(color="#999").encode(y="index:Q")
    return (
        alt.layer(level, lines, start)
        .properties(height=height, width="container")
        .configure_axis(labelFontSize=14, titleFontSize=14)
        .configure_legend(labelFontSize=14, titleFontSize=14, orient="top", labelLimit=400)
    )


def neighbours(boundaries: pd.DataFrame, tolerance_deg: float = 1e-4) -> dict[str, tuple[str, ...]]:
    """Area id -> the ids of the areas whose polygons touch it (within about 10 m)."""
    import shapely

    shapes = {
        row.id: shapely.geometry.shape(json.loads(row.boundary_geojson))
        for row in boundaries.itertuples(index=False)
    }
    grown = {k: v.buffer(tolerance_deg) for k, v in shapes.items()}
    out: dict[str, list[str]] = {k: [] for k in shapes}
    ids = list(shapes)
    tree = shapely.STRtree([shapes[k] for k in ids])
    for k in ids:
        for j in tree.query(grown[k], predicate="intersects"):
            other = ids[int(j)]
            if other != k:
                out[k].append(other)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def query_params(
    action: dict,
    win: Window,
    *,
    neighbour_ids: tuple[str, ...],
    comparison_area: str | None,
    include_sensitive: bool = False,
) -> dict:
    """The bound parameters of ``actions_effect_weekly.sql`` for one action (the window reaches
    back a year as well, for the seasonally matched "before").

    Sensitive categories are counted only with ``include_sensitive``, which the caller takes
    from ``safetycore.disclosure.effect_scope`` (the viewer's role and the zone's size)."""
    has_point = action.get("lat") is not None and not pd.isna(action.get("lat"))
    year_ago = dt.datetime.combine(win.start - dt.timedelta(weeks=SEASON_WEEKS), dt.time())
    return {
        "start_ts": dt.datetime.combine(win.start, dt.time()),
        "win_start": min(win.first, year_ago),
        "win_end": win.end,
        "categories": list(action["target_categories"]),
        "sensitive": bool(include_sensitive),
        "target_area": action.get("area_id"),
        "lat": float(action["lat"]) if has_point else None,
        "lon": float(action["lon"]) if has_point else None,
        "radius_m": float(action.get("radius_m") or 300) if has_point else None,
        "neighbours": [n for n in neighbour_ids if n != comparison_area] or None,
        "comparison_area": comparison_area,
    }


def evaluable(action: dict) -> bool:
    """An action can be evaluated with target categories, a start and an area or a point."""
    has_place = bool(action.get("area_id")) or (
        action.get("lat") is not None and not pd.isna(action.get("lat"))
    )
    categories = action.get("target_categories")
    return (
        has_place
        and categories is not None
        and len(categories) > 0
        and bool(action.get("start_date"))
    )


# ---------------------------------------------------------------------------------------------
# The evaluation view's choices: which actions can be picked, what is counted for the chosen
# one, and which verdict text (with which numbers) it reads. Layout stays in ui/action_effect.py.

ZONES = ("target", "comparison", "neighbours")
DEFAULT_RADIUS_M = 300  # the radius counted around a point when an action names none


def as_date(value: object) -> dt.date | None:
    """A stored start date (timestamp, date or missing) as a date."""
    return None if is_missing(value) else pd.Timestamp(value).date()


def candidates(frame: pd.DataFrame) -> list[dict]:
    """The actions that can be evaluated, each as a record with ``area_id`` None when missing
    and ``start_date`` a date. Place-bound actions (a point and radius: the hotspot measures)
    first, then oldest start first: they have the longest after period and the most to say."""
    rows = []
    for record in frame.to_dict("records"):
        row = {
            **record,
            "area_id": None if is_missing(record["area_id"]) else record["area_id"],
            "start_date": as_date(record["start_date"]),
        }
        if evaluable(row):
            rows.append(row)
    rows.sort(key=lambda r: (is_missing(r.get("lat")), r["start_date"], r["id"]))
    return rows


def comparison_options(area_ids: Iterable[str], target_area: str | None) -> list[str]:
    """The comparison's choices: "" (the rest of the municipality) first, then every other
    area than the target's own."""
    return ["", *[a for a in area_ids if a != target_area]]


@dataclass(frozen=True)
class Setup:
    """What is counted for one action: its window, comparison, neighbours and zones."""

    action: dict  # the candidate record, its categories narrowed to what may be counted
    weeks: int
    window: Window
    comparison: str | None  # an area id, or None for the rest of the municipality
    neighbour_ids: tuple[str, ...]  # the touching areas, the comparison area left out
    has_point: bool
    radius_m: int | None  # the radius counted around the point; None without a point
    params: dict  # the bound parameters of actions_effect_weekly.sql

    @property
    def zones(self) -> tuple[str, ...]:
        """The zones shown: target and comparison, and the neighbours when there are any."""
        return ZONES if self.neighbour_ids else ZONES[:2]


def setup(
    action: dict,
    *,
    weeks: int,
    today: dt.date,
    comparison: str | None,
    neighbour_map: dict[str, tuple[str, ...]],
    categories: tuple[str, ...],
    include_sensitive: bool,
) -> Setup:
    """The evaluation of ``action`` (a record from ``candidates``) over ``weeks`` weeks either
    side of its start, against ``comparison``, counting ``categories`` (what
    ``safetycore.disclosure.effect_scope`` allows the viewer)."""
    chosen = {**action, "target_categories": list(categories)}
    area = chosen.get("area_id")
    nbrs = tuple(n for n in (neighbour_map.get(area, ()) if area else ()) if n != comparison)
    win = window(chosen["start_date"], int(weeks), today)
    params = query_params(
        chosen,
        win,
        neighbour_ids=nbrs,
        comparison_area=comparison,
        include_sensitive=include_sensitive,
    )
    has_point = not is_missing(chosen.get("lat"))
    return Setup(
        action=chosen,
        weeks=int(weeks),
        window=win,
        comparison=comparison,
        neighbour_ids=nbrs,
        has_point=has_point,
        # Read only with a point: without one the stored radius is a missing value.
        radius_m=int(chosen.get("radius_m") or DEFAULT_RADIUS_M) if has_point else None,
        params=params,
    )


def zone_counts(result: Effect, zones: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """(zone, before, after) for each zone shown, in the order given."""
    counts = {
        "target": (result.target_before, result.target_after),
        "comparison": (result.comparison_before, result.comparison_after),
        "neighbours": (result.neighbours_before, result.neighbours_after),
    }
    return [(zone, *counts[zone]) for zone in zones]


def shows_chart(index: pd.DataFrame, win: Window) -> bool:
    """The index chart needs an index to draw and weeks after the start."""
    return not index.empty and win.weeks_after > 0


def percent_change(ratio: float) -> float:
    """A ratio as the size of its change in per cent (0.6 and 1.4 are both 40)."""
    return abs(100.0 * (ratio - 1.0))


@dataclass(frozen=True)
class Statement:
    """A verdict as the view says it: the box it goes in, the text's key under
    ``actions.effect`` and the numbers it names (counts as they are, percents as whole
    numbers, ratios with two decimals)."""

    kind: str  # success | warning | info | caption
    key: str
    counts: tuple[tuple[str, int], ...] = ()
    percents: tuple[tuple[str, float], ...] = ()
    ratios: tuple[tuple[str, float], ...] = ()


def statement(result: Effect) -> Statement:
    """The verdict on the target: a clear drop in a success box, a clear rise as a warning,
    anything else as information."""
    est = result.estimate
    if result.verdict == "not_started":
        return Statement("info", "not_started")
    if result.verdict == "too_small":
        counts = (
            ("before", result.target_before),
            ("after", result.target_after),
            ("min", result.min_count),
            ("expected", MIN_EXPECTED),
        )
        return Statement("info", "too_small", counts=counts)
    assert est is not None  # a drop, rise or unclear verdict always has its estimate
    if result.verdict == "drop":
        # A fall of 40 % whose interval reaches 20–60 %: the interval's high end is the
        # smaller fall, so the ends swap when read as percents.
        percents = (
            ("pct", percent_change(est.ratio)),
            ("low_pct", percent_change(est.high)),
            ("high_pct", percent_change(est.low)),
        )
        return Statement("success", "drop", percents=percents)
    if result.verdict == "rise":
        percents = (
            ("pct", percent_change(est.ratio)),
            ("low_pct", percent_change(est.low)),
            ("high_pct", percent_change(est.high)),
        )
        return Statement("warning", "rise", percents=percents)
    return Statement("info", "unclear", ratios=(("low", est.low), ("high", est.high)))


def displacement_statement(result: Effect) -> Statement:
    """The verdict on the neighbours: only a clear rise is a warning; the text also names the
    neighbouring areas, which the view adds."""
    disp = result.displacement
    if result.displacement_verdict == "none":
        return Statement("caption", "displacement_none")
    if result.displacement_verdict == "too_small":
        return Statement("caption", "displacement_small")
    assert disp is not None  # a rise or no-rise verdict always has its estimate
    ratios = (("ratio", disp.ratio), ("low", disp.low), ("high", disp.high))
    if result.displacement_verdict == "rise":
        return Statement("warning", "displacement_yes", ratios=ratios)
    return Statement("caption", "displacement_no", ratios=ratios)


def area_neighbours(run: Callable[..., pd.DataFrame]) -> dict[str, tuple[str, ...]]:
    """``neighbours`` of every area, read through ``run`` (a query runner)."""
    return neighbours(run("area_boundaries"))
