"""Did an action work? Before/after counts against a comparison, as a ratio of ratios.

For an action with an area (or a point and radius), target categories and a start date:

    a = target after,  b = target before,  c = comparison after,  d = comparison before
    ratio of ratios  RR = (a / b) / (c / d)

RR below 1 means the target fell more than the comparison (which absorbs seasonality and the
general trend). With Poisson counts the standard error of log RR is sqrt(1/a + 1/b + 1/c + 1/d),
so the 95 % interval is exp(log RR ± 1.96 · se). The same against the neighbouring areas (those
whose polygons touch the target area) checks for displacement: did the problem just move?

With small counts nothing can be concluded, and the result says so instead of giving a number.
Pure functions: the counts come from ``queries/actions_effect_weekly.sql``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass

import altair as alt
import pandas as pd

Z95 = 1.959963984540054
# Fewer events than this before the start in the target, fewer than MIN_EXPECTED expected after
# it (the before count times the comparison's change), or any zero count: the result is "too
# small to conclude anything".
MIN_BEFORE = 10
MIN_EXPECTED = 5
DEFAULT_WEEKS = 26


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
    return RatioOfRatios(ratio, math.exp(math.log(ratio) - z * se),
                         math.exp(math.log(ratio) + z * se))


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


def _enough(before: int, after: int, comp_before: int, comp_after: int, min_count: int) -> bool:
    if before < min_count or min(before, after, comp_before, comp_after) <= 0:
        return False
    return before * comp_after / comp_before >= MIN_EXPECTED


def summarise(weekly: pd.DataFrame, window: Window, *, has_neighbours: bool,
              min_count: int = MIN_BEFORE) -> Effect:
    """Turn weekly counts (zone, week, n) into the before/after comparison and its verdict.

    The after period may be shorter than the before period (data ends): the ratio of ratios
    needs no scaling for that, since the period lengths cancel out between target and
    comparison.
    """
    tb, ta = _sum(weekly, "target", False, window), _sum(weekly, "target", True, window)
    cb, ca = _sum(weekly, "comparison", False, window), _sum(weekly, "comparison", True, window)
    nb, na = _sum(weekly, "neighbours", False, window), _sum(weekly, "neighbours", True, window)
    estimate = displacement = None
    if window.weeks_after == 0:
        verdict = "not_started"
    elif not _enough(tb, ta, cb, ca, min_count):
        verdict = "too_small"
    else:
        estimate = ratio_of_ratios(ta, tb, ca, cb)
        verdict = "drop" if estimate.clear_drop else "rise" if estimate.clear_rise else "unclear"
    if not has_neighbours:
        d_verdict = "none"
    elif window.weeks_after == 0 or not _enough(nb, na, cb, ca, min_count):
        d_verdict = "too_small"
    else:
        displacement = ratio_of_ratios(na, nb, ca, cb)
        d_verdict = "rise" if displacement.clear_rise else "no_rise"
    return Effect(window, tb, ta, cb, ca, nb, na, estimate, displacement, verdict, d_verdict,
                  min_count)


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
        frames.append(pd.DataFrame({"week": list(weeks), "series": label,
                                    "n": series.to_numpy(),
                                    "index": (100.0 * series / base).round(1).to_numpy()}))
    if not frames:
        return pd.DataFrame(columns=["week", "series", "n", "index"])
    return pd.concat(frames, ignore_index=True)


def smooth(index: pd.DataFrame, weeks: int = 4) -> pd.DataFrame:
    """A centred moving mean of the index per series, so weekly noise does not hide the level."""
    out = index.copy()
    out["index"] = (
        out.groupby("series", sort=False)["index"]
        .transform(lambda s: s.rolling(weeks, min_periods=1, center=True).mean())
        .round(1)
    )
    return out


def effect_chart(index: pd.DataFrame, *, week_title: str, index_title: str, series_title: str,
                 colours: dict[str, str], height: int = 320) -> alt.Chart:
    """Index lines per series with a rule at the start (week 0) and at 100."""
    lines = (
        alt.Chart(index)
        .mark_line(strokeWidth=3)
        .encode(
            x=alt.X("week:Q", title=week_title),
            y=alt.Y("index:Q", title=index_title),
            color=alt.Color("series:N", title=series_title,
                            scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
            tooltip=[alt.Tooltip("series:N", title=series_title),
                     alt.Tooltip("week:Q", title=week_title),
                     alt.Tooltip("index:Q", title=index_title)],
        )
    )
    start = alt.Chart(pd.DataFrame({"week": [0]})).mark_rule(strokeDash=[6, 4], size=2,
                                                            color="#333").encode(x="week:Q")
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


def query_params(action: dict, win: Window, *, neighbour_ids: tuple[str, ...],
                 comparison_area: str | None, include_sensitive: bool = False) -> dict:
    """The bound parameters of ``actions_effect_weekly.sql`` for one action.

    Sensitive categories are counted only with ``include_sensitive``, which the caller takes
    from ``safetycore.disclosure.effect_scope`` (the viewer's role and the zone's size)."""
    has_point = action.get("lat") is not None and not pd.isna(action.get("lat"))
    return {
        "start_ts": dt.datetime.combine(win.start, dt.time()),
        "win_start": win.first,
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
    return has_place and categories is not None and len(categories) > 0 and bool(
        action.get("start_date")
    )
