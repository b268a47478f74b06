"""Emerging hotspots: where events cluster now, and whether the cluster is new, growing,
steady or fading.

The method follows the emerging hot spot analysis of GIS tools (Getis-Ord Gi* per time step,
then a Mann–Kendall trend of the Gi* scores over the steps), on the H3 cells the events are
stored in:

* **Gi\\* per week.** For every cell with events in the last ``WEEKS`` weeks (and the cells
  around them, which count as zeros), the week's count in the cell and its ring of six
  neighbours is compared with what that neighbourhood would hold if the week's events were
  spread evenly over the study area. The score is a z-score; since counts of a few events are
  far from normal, its significance is the exact Poisson tail of the neighbourhood's count. A
  cell is hot in a week when that is significant after a Benjamini–Hochberg control over every
  cell of the study area that week (5 %), and its own count reaches ``MIN_EVENTS``. A cell with
  one event is never a hotspot.
* **Mann–Kendall** on the cell's weekly scores gives the falling trend of a fading place
  (ties corrected: many weeks have the same score of a quiet neighbourhood, and counting
  those as a trend would be wrong); growth is tested on the counts (below).
* **Status** for a cell hot this week: ``new`` (not hot in any earlier week of the window),
  ``emerging`` (hot before and growing), ``persistent`` (hot, not clearly growing), ``fading``
  (hot with a falling trend, or hot in at least two of the last four weeks but not this one).
  ``since`` is the first week of the current run of hot weeks (fading: the first hot week in
  the window).
* **A claim of growth is tested on the counts.** "New" and "emerging" say the place has risen,
  and a place can be hot for a reason that recurs (a beach in summer, a school at term start).
  So the rise is tested against both the place's own earlier weeks and the same weeks a year
  before (the intersection of two tests: both must show it, the larger p-value counts; a year
  before, the busier of the four weeks ending and the four starting with the same week). For
  "new", this week's count against the higher of those two levels (exact Poisson tail; a quiet
  place is taken to have one event a week). For "emerging", a rising trend over the window's
  counts (the Poisson score test for a log-linear trend) and more events in the last
  ``GROWTH_WEEKS`` weeks than in that season a year before (the exact conditional test of two
  Poisson counts: given their sum, the recent count is binomial). The claims of the week are
  controlled together (Benjamini–Hochberg at ``RISE_Q``) and need a rise of at least half
  again (``RISE_RATIO``). A new place that fails is not listed; a place hot before that fails
  is persistent.

Only events precise enough to place (exact or street), known to the day, never sensitive.
Pure functions: the counts come from ``queries/hotspot_cells.sql``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

import h3
import numpy as np
import pandas as pd
from scipy import special

from safetycore.filters import iso_week_label
from safetycore.signals import FDR, benjamini_hochberg

WEEKS = 12  # the window: the week and the eleven before it
RESOLUTION = 8  # H3 resolution (about 0.7 km² a cell)
MIN_EVENTS = 3  # a cell needs this many events of its own in the week to be hot
TREND_ALPHA = 0.05
GROWTH_WEEKS = 4  # the recent weeks whose growth "emerging" claims (against the window's others)
YEAR_WEEKS = 52  # the same weeks a year before: one year of ISO weeks back (364 days)
SEASON_AHEAD = GROWTH_WEEKS - 1  # a year before, the weeks after this one are read as well
RISE_Q = 0.05  # the level for "new" and "emerging": a claim that a place has risen
RISE_RATIO = 1.5  # ... and by at least half again its own level (a busy cell's few percent is
# significant in a big database, and no news)
STATUSES = ("new", "emerging", "persistent", "fading")


@dataclass(frozen=True)
class Hotspot:
    cell: str
    lat: float
    lon: float
    area_group: str | None
    area: str | None
    observed: int  # the cell's events this week
    expected: float  # the cell's weekly mean over the window's earlier weeks
    status: str
    since: str  # ISO week

    def as_dict(self) -> dict:
        return {
            "lat": round(self.lat, 5),
            "lon": round(self.lon, 5),
            "area_group": self.area_group,
            "area": self.area,
            "observed": self.observed,
            "expected": round(self.expected, 2),
            "status": self.status,
            "since": self.since,
            "cell": self.cell,
        }


def counts_matrix(
    frame: pd.DataFrame, weeks: int = WEEKS, *, ring: bool = True
) -> tuple[list[str], np.ndarray, pd.DataFrame]:
    """Cells and a (cells x weeks) count matrix from ``hotspot_cells.sql`` rows (cell, weeks,
    counts, area_id, area_group_id). With ``ring``, the ring-1 neighbours of every cell are
    added as rows of zeros so the study area includes the quiet ground around each cluster
    (the year-before counts, only looked up by cell, need none)."""
    cells = list(frame["cell"]) if len(frame) else []
    index = {c: i for i, c in enumerate(cells)}
    if ring:
        for c in list(cells):
            for n in h3.grid_disk(c, 1):
                if n not in index:
                    index[n] = len(cells)
                    cells.append(n)
    matrix = np.zeros((len(cells), weeks))
    if len(frame):
        lengths = frame["weeks"].map(len).to_numpy()
        rows = np.repeat(np.arange(len(frame)), lengths)  # the frame's cells come first
        cols = np.concatenate([np.asarray(w, dtype=np.int64) for w in frame["weeks"]])
        values = np.concatenate([np.asarray(n, dtype=float) for n in frame["counts"]])
        inside = (cols >= 0) & (cols < weeks)
        np.add.at(matrix, (rows[inside], cols[inside]), values[inside])
    places = (
        frame[["cell", "area_id", "area_group_id"]].set_index("cell")
        if len(frame)
        else (pd.DataFrame(columns=["area_id", "area_group_id"]))
    )
    return cells, matrix, places


@dataclass(frozen=True)
class Rings:
    """Each cell with itself and its six neighbours, as (row, col) index pairs (binary weights)."""

    rows: np.ndarray
    cols: np.ndarray
    size: np.ndarray  # cells in each neighbourhood (7 inside the study area, fewer at its edge)

    def sum(self, values: np.ndarray) -> np.ndarray:
        """The neighbourhood sum of per-cell values (cells x weeks or cells)."""
        out = np.zeros_like(values, dtype=float)
        np.add.at(out, self.rows, values[self.cols])
        return out

    def max(self, values: np.ndarray) -> np.ndarray:
        out = values.astype(float).copy()
        np.maximum.at(out, self.rows, values[self.cols])
        return out


def neighbourhoods(cells: list[str]) -> Rings:
    """Each cell with itself and its six neighbours."""
    index = {c: i for i, c in enumerate(cells)}
    rows, cols = [], []
    for i, c in enumerate(cells):
        for n in h3.grid_disk(c, 1):
            j = index.get(n)
            if j is not None:
                rows.append(i)
                cols.append(j)
    rows_a, cols_a = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)
    return Rings(rows_a, cols_a, np.bincount(rows_a, minlength=len(cells)).astype(float))


def _poisson_sf(k: np.ndarray, mu: np.ndarray | float) -> np.ndarray:
    """P(X >= k) for X ~ Poisson(mu) (1 for k <= 0)."""
    k = np.asarray(k, dtype=float)
    mu = np.broadcast_to(np.asarray(mu, dtype=float), k.shape)
    out = np.ones(k.shape)
    ok = (k > 0) & (mu > 0)
    out[ok] = special.gammainc(k[ok], mu[ok])
    out[(k > 0) & (mu <= 0)] = 0.0
    return out


def gi_star(matrix: np.ndarray, weights: Rings) -> np.ndarray:
    """Getis-Ord Gi* z-scores per cell and week (binary weights, the cell included)."""
    n = matrix.shape[0]
    if n < 2:
        return np.zeros_like(matrix)
    local = weights.sum(matrix)
    w_sum = weights.size[:, None]
    w_sq = w_sum  # binary weights: the sum of squares is the count
    mean = matrix.mean(axis=0, keepdims=True)
    s = np.sqrt(np.maximum((matrix**2).mean(axis=0, keepdims=True) - mean**2, 0.0))
    denom = s * np.sqrt(np.maximum(n * w_sq - w_sum**2, 0.0) / (n - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(denom > 0, (local - mean * w_sum) / denom, 0.0)
    return z


def rise(
    counts: np.ndarray, began: int, year_before: np.ndarray | None = None
) -> tuple[float, float]:
    """(p, ratio) for the claim that a new place has risen: how improbable this week's count is
    for the place's usual level (``usual_level``; the exact Poisson tail, a quiet place taken to
    have one event a week, so three or four events in a quiet cell are not called a new
    hotspot), and this week's count over that level."""
    level = usual_level(counts, began, year_before)
    return float(_poisson_sf(np.array([counts[-1]]), level)[0]), float(counts[-1]) / level


def usual_level(counts: np.ndarray, began: int, year_before: np.ndarray | None = None) -> float:
    """The place's usual weekly count before ``began`` (floor: one), a year before included."""
    earlier = counts[:began] if began else counts[:-1]
    levels = [float(earlier.mean()) if len(earlier) else 0.0, 1.0]
    if year_before is not None:
        levels.append(season_a_year_before(year_before))
    return max(levels)


def season_a_year_before(year_before: np.ndarray) -> float:
    """The weekly level of the same season a year before: the busier of the ``GROWTH_WEEKS``
    weeks ending with this week then and those starting with it. ``year_before``: the window a
    year earlier and ``SEASON_AHEAD`` weeks after it. Both sides, since a season that starts
    with a step (beaches in June) may fall a few days earlier or later in the year."""
    g = GROWTH_WEEKS
    week = len(year_before) - 1 - SEASON_AHEAD
    ending = float(year_before[week - g + 1 : week + 1].sum())
    starting = float(year_before[week : week + g].sum())
    return max(ending, starting) / g


def binomial_rise_p(recent: float, other: float, share: float) -> float:
    """P(at least ``recent`` of the ``recent + other`` events fall in the recent part) when the
    rate never changed and the recent part is ``share`` of the time: the exact conditional test
    of two Poisson counts, valid for zeros and small counts alike."""
    if recent <= 0:
        return 1.0
    return float(special.bdtrc(int(recent) - 1, int(recent + other), share))  # P(X > recent - 1)


def trend_p(counts: np.ndarray) -> float:
    """One-sided p-value of a rising log-linear trend in weekly Poisson counts: the score test
    (given the total, each event's week is uniform when nothing changes, so the sum of the
    events' week numbers is compared with its mean; normal, with a continuity correction)."""
    t = np.arange(len(counts), dtype=float)
    total = float(counts.sum())
    if total <= 0:
        return 1.0
    spread = math.sqrt(total * t.var())
    score = float((t * counts).sum()) - total * t.mean()
    return float(special.ndtr(-(score - 0.5) / spread)) if spread > 0 else 1.0


def growth(counts: np.ndarray, year_before: np.ndarray | None = None) -> tuple[float, float]:
    """(p, ratio) for the claim that the place is growing: a rising trend over the window
    (``trend_p``) and, when the same weeks a year before are known, more events in the last
    ``GROWTH_WEEKS`` weeks than in those weeks then (both must show it: the larger p). The ratio
    is the last weeks' mean over the higher of the window's earlier weeks' and last year's."""
    g = GROWTH_WEEKS
    recent = float(counts[-g:].sum())
    p = trend_p(counts)
    level = max(float(counts[:-g].mean()), 1.0)
    if year_before is not None:
        before = season_a_year_before(year_before) * g
        p = max(p, binomial_rise_p(recent, before, 0.5))
        level = max(level, before / g)
    return p, (recent / g) / level


def mann_kendall(values: np.ndarray) -> tuple[float, float]:
    """Mann–Kendall trend test with the tie correction: (z, two-sided p)."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < 3:
        return 0.0, 1.0
    diff = np.sign(x[None, :] - x[:, None])
    s = float(np.triu(diff, 1).sum())
    _, counts = np.unique(np.round(x, 9), return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - float(np.sum(counts * (counts - 1) * (2 * counts + 5)))) / 18
    if var <= 0:
        return 0.0, 1.0
    z = (s - math.copysign(1, s)) / math.sqrt(var) if s else 0.0
    return z, float(special.erfc(abs(z) / math.sqrt(2)))


def hot_weeks(matrix: np.ndarray, weights: Rings, q: float = FDR) -> tuple[np.ndarray, np.ndarray]:
    """(z-scores, hot) per cell and week: hot when the Gi* score is significant after
    Benjamini–Hochberg over the week's cells and the cell has ``MIN_EVENTS`` of its own."""
    z = gi_star(matrix, weights)
    hot = np.zeros_like(z, dtype=bool)
    local = weights.sum(matrix)
    size = weights.size
    for w in range(matrix.shape[1]):
        candidates = np.flatnonzero(matrix[:, w] >= MIN_EVENTS)
        if not len(candidates):
            continue
        # Counts of a few events are far from normal, so the score's significance is the exact
        # Poisson tail of the neighbourhood's count around its share of the week's events
        # (one-sided: clusters, not gaps); the z-score itself feeds the trend.
        p = _poisson_sf(local[:, w], matrix[:, w].mean() * size)
        # The family is every cell of the study area that week; cells that cannot be hot
        # (fewer than MIN_EVENTS) still count in it.
        reject = benjamini_hochberg(p, q)
        # Gi* marks a cluster's neighbours as well: only the busiest cell of its own ring is
        # the hotspot (ties: every tied cell), so a place is listed once, not with its ring.
        ring_max = weights.max(matrix[:, w])
        peak = matrix[:, w] >= ring_max
        hot[candidates, w] = (reject & peak)[candidates]
    return z, hot


def classify(z: np.ndarray, hot: np.ndarray) -> tuple[str | None, int | None]:
    """(status, index of the week it began) for one cell's weekly scores and hot flags."""
    last = len(hot) - 1
    trend_z, trend_p = mann_kendall(z)
    rising = trend_p < TREND_ALPHA and trend_z > 0
    falling = trend_p < TREND_ALPHA and trend_z < 0
    if hot[last]:
        run_start = last
        while run_start > 0 and hot[run_start - 1]:
            run_start -= 1
        if not hot[:last].any():
            return "new", last
        if rising:
            return "emerging", run_start
        if falling:
            return "fading", int(np.flatnonzero(hot)[0])
        return "persistent", run_start if run_start < last else int(np.flatnonzero(hot)[0])
    if hot[max(0, last - 4) : last].sum() >= 2:
        return "fading", int(np.flatnonzero(hot)[0])
    return None, None


def emerging_hotspots(
    frame: pd.DataFrame,
    week_monday: dt.date,
    *,
    weeks: int = WEEKS,
    q: float = FDR,
    year_before: pd.DataFrame | None = None,
) -> list[Hotspot]:
    """The hotspots of the week ending the window that starts ``weeks - 1`` weeks before
    ``week_monday``. ``frame``: rows of ``hotspot_cells.sql`` (weeks counted from the window's
    first Monday); ``year_before``: the same for the window a year earlier and the
    ``SEASON_AHEAD`` weeks after it (None: not known, the growth is judged on the window alone).
    Sorted new, emerging, persistent, fading; then by this week's count."""
    if frame.empty:
        return []
    cells, matrix, places = counts_matrix(frame, weeks)
    weights = neighbourhoods(cells)
    z, hot = hot_weeks(matrix, weights, q)
    first_monday = week_monday - dt.timedelta(weeks=weeks - 1)
    before = None
    if year_before is not None:
        before_cells, before_matrix, _ = counts_matrix(
            year_before, weeks + SEASON_AHEAD, ring=False
        )
        before_rows = {c: i for i, c in enumerate(before_cells)}
        zero = np.zeros(weeks + SEASON_AHEAD)
        before = [before_matrix[before_rows[c]] if c in before_rows else zero for c in cells]
    found = []
    for peak in np.flatnonzero(hot.any(axis=1)):
        status, began = classify(z[peak], hot[peak])
        if status is not None:
            found.append((peak, status, began))
    # "New" and "emerging" claim the place has risen above its usual level: that claim is tested
    # on the counts (see the module's notes), every cell hot this week and not fading being a
    # candidate: hot for the first time, it is new if the rise holds and not listed otherwise;
    # hot before, it is emerging if the growth holds and persistent otherwise.
    candidates = [k for k, (_, status, _) in enumerate(found) if status != "fading"]
    tests = []
    for k in candidates:
        peak, status, began = found[k]
        last_year = None if before is None else before[peak]
        if status == "new":
            tests.append(rise(matrix[peak], began, last_year))
        else:
            tests.append(growth(matrix[peak], last_year))
    passed = benjamini_hochberg([p for p, _ in tests], min(q, RISE_Q))
    passed &= np.array([ratio >= RISE_RATIO for _, ratio in tests], dtype=bool)
    for k, ok in zip(candidates, passed, strict=True):
        peak, status, began = found[k]
        if status == "new":
            found[k] = (peak, "new" if ok else None, began)
        else:
            found[k] = (peak, "emerging" if ok else "persistent", began)
    out = []
    for peak, status, began in found:
        if status is None:
            continue
        cell = cells[peak]
        lat, lon = h3.cell_to_latlng(cell)
        place = places.loc[cell] if cell in places.index else None
        earlier = matrix[peak, :began]
        expected = float(earlier.mean()) if len(earlier) else float(matrix[peak, :-1].mean())
        out.append(
            Hotspot(
                cell=cell,
                lat=lat,
                lon=lon,
                area_group=None
                if place is None or pd.isna(place["area_group_id"])
                else str(place["area_group_id"]),
                area=None if place is None or pd.isna(place["area_id"]) else str(place["area_id"]),
                observed=int(matrix[peak, -1]),
                expected=expected,
                status=status,
                since=iso_week_label(first_monday + dt.timedelta(weeks=int(began))),
            )
        )
    order = {s: k for k, s in enumerate(STATUSES)}
    return sorted(out, key=lambda h: (order[h.status], -h.observed, h.cell))


def query_params(week_monday: dt.date, weeks: int = WEEKS) -> dict:
    """Bound parameters of ``hotspot_cells.sql`` besides the filter."""
    first = week_monday - dt.timedelta(weeks=weeks - 1)
    return {"window_start": dt.datetime.combine(first, dt.time()), "resolution": RESOLUTION}


def last_whole_week(end: dt.date) -> dt.date:
    """The Monday of the last ISO week that has ended by ``end`` (inclusive)."""
    sunday = end if end.weekday() == 6 else end - dt.timedelta(days=end.weekday() + 1)
    return sunday - dt.timedelta(days=6)


def for_filter(run, flt, *, week_monday: dt.date | None = None) -> list[Hotspot]:
    """The hotspots of the week starting ``week_monday`` (default: the last whole week of the
    filter's period) for the filter's selection (``run`` runs a query). The same weeks a year
    before are read as well, for the growth claims."""
    monday = week_monday or last_whole_week(flt.end)
    window = replace(
        flt.with_period(monday - dt.timedelta(weeks=WEEKS - 1), monday + dt.timedelta(days=6)),
        include_sensitive=False,
    )
    year = dt.timedelta(weeks=YEAR_WEEKS)
    ahead = dt.timedelta(weeks=SEASON_AHEAD)
    last_year = window.with_period(window.start - year, window.end - year + ahead)
    return emerging_hotspots(
        run("hotspot_cells", window, **query_params(monday)),
        monday,
        year_before=run("hotspot_cells", last_year, **query_params(monday - year)),
    )


def status_by_cell(found: list[Hotspot], resolution: int) -> dict[str, tuple[str, str]]:
    """Cell at ``resolution`` -> (status, since) of the hotspot in it (the busiest if more)."""
    out: dict[str, tuple[str, str]] = {}
    for h in sorted(found, key=lambda h: -h.observed):
        if resolution <= RESOLUTION:
            key = h3.cell_to_parent(h.cell, resolution)
            out.setdefault(key, (h.status, h.since))
        else:
            for child in h3.cell_to_children(h.cell, resolution):
                out.setdefault(child, (h.status, h.since))
    return out
