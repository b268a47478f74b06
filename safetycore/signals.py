"""Is this week unusual? One model for every weekly count the dashboard judges.

The Lägesbild, the Trends page, the weekly report and the ``situation`` command all ask the
same question of a weekly count: given the same series in earlier weeks, is this week's count
outside what usually happens? They all answer it here, with the method public-health agencies
use for weekly counts of infections (the quasi-Poisson "improved Farrington" method of Noufaily
et al., 2013), adapted to a safety unit's series:

* **Season from the same weeks in earlier years.** The baseline is the series' weeks in up to
  ``YEARS`` earlier years. A log-linear model has one level for the weeks within ±``WINDOW``
  of this ISO week number, with the season's slope through them (in calendar days: an ISO
  week drifts by up to six days from year to year), nine more levels for the rest of the year,
  and a term for each ISO week of the window, as large as the data show such weeks to stray
  from the line (empirical Bayes). A school-holiday week that recurs every year is expected
  rather than flagged, and an ordinary week shares its neighbours' level, so three years of
  data pin it down.
* **A trend** (per year) when there are two years of baseline and the data support it (a
  significant slope that takes the expectation above anything seen by at most one year's rise).
* **Overdispersion.** Weekly counts vary more than a Poisson count: the model estimates the
  dispersion and the prediction uses a negative binomial with that variance.
* **Outbreaks do not feed the baseline.** The last ``GAP_WEEKS`` weeks are left out, and
  baseline weeks with a large residual (earlier unusual weeks) are down-weighted and the model
  refitted, so last month's spike does not hide this week's.
* **A prediction interval.** The expectation's own uncertainty (few years, a noisy season) is
  mixed into the prediction, so the interval is wider when the baseline is thin.
* **Categories** get their own season, combined with their kind's season by precision, so a
  rare category leans on its kind and a frequent one follows its own pattern.
* **High flags need at least** ``MIN_HIGH`` events; low flags need an expectation high enough
  that a low count is improbable.
* **One family per screen.** Every figure a page shows for the week is tested, and the flags
  are chosen by the Benjamini–Hochberg procedure at ``FDR``, so showing 150 figures does not
  mean 150 chances of a false alarm.

A running week is compared with the expectation for the part of it that has passed and never
flagged. A week before the series' first data has no expectation ("ingen data").

Pure numpy/scipy; no database and no widgets.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import special

YEARS = 5  # earlier years in the baseline, at most
WINDOW = 3  # weeks either side of this ISO week that share its seasonal level
PERIODS = 10  # seasonal levels over the year: the window and nine others
GAP_WEEKS = 26  # most recent weeks left out of a seasonal baseline
SHORT_GAP = 2  # ... and out of a baseline without an earlier year
SHORT_WEEKS = 26  # weeks in a baseline without an earlier year
MIN_WEEKS = 8  # fewer weeks of data than this: no expectation
MIN_HIGH = 5  # a high flag needs at least this many events
LEVEL = 0.95  # the prediction interval shown ("väntat 8–19")
FDR = 0.05  # Benjamini–Hochberg level over the figures one screen shows
SAME_WEEK_SD = 0.25  # largest spread (log scale) of the window's ISO weeks' own effects
WEEK_SD_MIN = 0.01  # ... and the smallest: ordinary weeks on the season's line
KIND_SEASON_SD = 0.15  # how far a category's season may stray from its kind's, a priori
RESIDUAL_LIMIT = 2.58  # baseline weeks beyond this (Anscombe) residual are down-weighted
TREND_Z = 1.96
MODEL_SD = 0.02  # the model's own error (log scale): no seasonal model is exact, so a series
# of thousands a week is not flagged for being 2 % off; negligible for a series of tens
MAX_VAR = 4.0  # a prediction this unsure (log-scale sd above 2) is no expectation at all
DATA_GAP_WEEKS = 26  # this many weeks without a single event in the whole database is no quiet
# half-year but a gap in the data (a source that stopped, a sample imported years before the
# rest): the history starts again after it, and its empty weeks are no zeros to learn from

_GH_NODES, _GH_WEIGHTS = np.polynomial.hermite.hermgauss(20)
_GH_WEIGHTS = _GH_WEIGHTS / math.sqrt(math.pi)


@dataclass(frozen=True)
class Signal:
    """A weekly count judged against its expectation.

    ``expected`` is the predicted mean, ``low``..``high`` the ``LEVEL`` prediction interval
    (whole events). ``p_value`` is two-sided; ``direction`` is decided for a family of figures
    by ``control`` ("high", "low" or "normal"). ``status``: "ok", "partial" (a running week:
    compared with the expectation for its elapsed part, never flagged), "thin" (too little
    history for an expectation) or "no_data" (the week lies before the series' data begins).
    """

    observed: int
    expected: float
    low: int | None
    high: int | None
    p_high: float = 1.0
    p_low: float = 1.0
    direction: str = "normal"
    status: str = "ok"
    elapsed: float = 1.0

    @property
    def p_value(self) -> float:
        return min(1.0, 2.0 * min(self.p_high, self.p_low))

    @property
    def unusual(self) -> bool:
        return self.direction != "normal"

    @property
    def known(self) -> bool:
        return self.status in ("ok", "partial") and self.low is not None

    @property
    def testable(self) -> bool:
        return self.status == "ok" and self.low is not None

    def as_dict(self) -> dict:
        return {
            "observed": self.observed,
            "expected": None if not self.known else round(self.expected, 2),
            "low": self.low,
            "high": self.high,
            "p_value": self.p_value,
            "direction": self.direction,
            "status": self.status,
        }


def no_expectation(observed: int, status: str = "thin") -> Signal:
    return Signal(int(observed), float("nan"), None, None, status=status)


# ---------------------------------------------------------------------------------------------
# The baseline model


@dataclass(frozen=True)
class Prediction:
    eta: float  # log of the expected count
    var: float  # variance of eta (the baseline's own uncertainty)
    phi: float  # dispersion (variance / mean of a week's count), at least 1

    @property
    def mean(self) -> float:
        return math.exp(self.eta)


_MONDAY0 = np.datetime64("1970-01-05", "D")  # week numbers count Mondays from this one


_MONDAY0_DATE = dt.date(1970, 1, 5)


def week_number(days) -> np.ndarray:
    """Weeks since 1970-01-05 for Mondays (Timestamps, dates or datetime64)."""
    if isinstance(days, dt.date):  # Timestamps are dates too
        day = days.date() if isinstance(days, dt.datetime) else days
        return np.array([(day - _MONDAY0_DATE).days // 7])
    if isinstance(days, pd.DatetimeIndex):
        values = days.values.astype("datetime64[D]")
    else:
        values = np.asarray(pd.DatetimeIndex(np.atleast_1d(days)).to_numpy(), dtype="datetime64[D]")
    return (values - _MONDAY0).astype(np.int64) // 7


def _thursday_day_of_year(numbers: np.ndarray) -> np.ndarray:
    """Day of the year (0-based) of each week's Thursday: the day that decides its ISO year."""
    thursday = _MONDAY0 + (numbers * 7 + 3).astype("timedelta64[D]")
    return (thursday - thursday.astype("datetime64[Y]").astype("datetime64[D]")).astype(np.int64)


def _iso_slot_of(numbers: np.ndarray) -> np.ndarray:
    """Week of the year 0..51 by ISO week number (week 53 shares week 52's slot)."""
    return np.minimum(_thursday_day_of_year(numbers) // 7 + 1, 52) - 1


def _calendar_days(numbers: np.ndarray, target: int) -> np.ndarray:
    """Days from the target week's Thursday to each week's, as a date in the year (circular,
    -183..183): the same ISO week of another year is a few days off."""
    days = _thursday_day_of_year(numbers) - _thursday_day_of_year(np.array([target]))[0]
    d = days.astype(float) % 365.25
    return np.where(d > 182.625, d - 365.25, d)


def _offsets(slots: np.ndarray, target: int) -> np.ndarray:
    """Circular distance in weeks from the target's slot, -25..26."""
    d = (slots - target) % 52
    return np.where(d > 26, d - 52, d)


def _period(offset: np.ndarray) -> np.ndarray:
    """0 inside the window; 1..PERIODS-1 for equal stretches of the rest of the year."""
    outside = (offset % 52 - WINDOW - 1) % 52  # 0 .. 52 - 2*WINDOW - 2, going forward
    span = 52 - 2 * WINDOW - 1
    level = 1 + (outside * (PERIODS - 1)) // span
    return np.where(np.abs(offset) <= WINDOW, 0, np.minimum(level, PERIODS - 1))


def _irls(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    penalty: np.ndarray,
    iterations: int = 30,
    start: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Penalised Poisson regression by iteratively reweighted least squares, from ``start``
    (a refit's earlier coefficients) or the mean.

    Returns the coefficients, the fitted means and the information matrix (X'WX + P)."""
    if start is None:
        mu = np.full(len(y), max(float(np.average(y, weights=w)), 0.1))
        eta = np.log(mu)
        beta = np.zeros(X.shape[1])
    else:
        beta = start
        eta = np.clip(X @ beta, -20, 20)
        mu = np.exp(eta)
    info = np.eye(X.shape[1])
    for _ in range(iterations):
        z = eta + (y - mu) / mu
        ww = w * mu
        info = (X.T * ww) @ X + np.diag(penalty)
        new = np.linalg.solve(info, (X.T * ww) @ z)
        eta = np.clip(X @ new, -20, 20)
        mu = np.exp(eta)
        if np.max(np.abs(new - beta)) < 1e-6:
            beta = new
            break
        beta = new
    info = (X.T * (w * mu)) @ X + np.diag(penalty)
    return beta, mu, info


def _anscombe(y: np.ndarray, mu: np.ndarray, phi: float) -> np.ndarray:
    return 1.5 * (np.power(y, 2 / 3) - np.power(mu, 2 / 3)) / (np.power(mu, 1 / 6) * math.sqrt(phi))


@functools.lru_cache(maxsize=512)
def _design(target: int, start: int, stop: int, seasonal: bool, trend: bool):
    """The design matrix for baseline weeks start..stop (week numbers, inclusive) and the
    target's row: intercept, nine seasonal periods, the season's slope through the window, the
    window's ISO weeks, and the trend (per year). Columns without data are dropped. Returns
    (X, x_t, week_of_column, offsets): for each column the window week (0 .. 2 * WINDOW) whose
    own effect it is, or -1; and each row's offset in weeks from the target's ISO week."""
    weeks = np.arange(start, stop + 1)
    if not seasonal:
        # One level for every week: each is the target's own, none has an effect of its own.
        return np.ones((len(weeks), 1)), np.ones(1), np.full(1, -1), np.zeros(len(weeks), int)
    slot = int(_iso_slot_of(np.array([target]))[0])
    offsets = _offsets(_iso_slot_of(weeks), slot)
    periods = _period(offsets)
    in_window = np.abs(offsets) <= WINDOW
    columns = [np.ones(len(weeks))]
    columns += [(periods == p).astype(float) for p in range(1, PERIODS)]
    # A season that rises or falls through the window (late summer, the run-up to Christmas)
    # is a line through its weeks, not seven unrelated levels: the weeks around this one then
    # tell its level too, which is what makes a baseline of a few years precise. The line runs
    # in calendar days, not ISO weeks: an ISO week falls up to six days earlier or later in
    # the calendar from year to year, and a season tied to dates (the summer residents leaving
    # the archipelago) moves with the calendar.
    days = _calendar_days(weeks, target)
    columns.append(np.where(in_window, days / (7.0 * WINDOW), 0.0))
    # Each ISO week of the window has its own effect around that line, as large as the data
    # show it to be (_week_spread), so a holiday week that recurs every year is neither this
    # week's expectation's noise nor its neighbours' level.
    columns += [(offsets == d).astype(float) for d in range(-WINDOW, WINDOW + 1)]
    row = [1.0] + [0.0] * PERIODS + [float(d == 0) for d in range(-WINDOW, WINDOW + 1)]
    week_of_column = [-1] * (PERIODS + 1) + list(range(2 * WINDOW + 1))
    if trend:
        columns.append((weeks - target) * 7 / 365.25)
        row.append(0.0)
        week_of_column.append(-1)
    X = np.column_stack(columns)
    keep = X.any(axis=0)
    keep[0] = True
    return X[:, keep], np.array(row)[keep], np.array(week_of_column)[keep], offsets


def _week_spread(y: np.ndarray, mu: np.ndarray, w: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """How far each ISO week of the window strays from the season's line, on the log scale:
    a positive-part empirical-Bayes estimate (James–Stein) from a fit that gives the weeks no
    effects of their own. A week's squared log ratio of observed to fitted over the baseline
    years, less what its counts' own noise explains; that noise is measured within each ISO
    week, year against year, so a holiday week's own level does not pass for noise. Between
    ``WEEK_SD_MIN`` (a week like its neighbours shares their level, which the weeks around it
    then pin down) and ``SAME_WEEK_SD`` (a holiday week keeps its own)."""
    spreads = np.full(2 * WINDOW + 1, SAME_WEEK_SD)
    parts = []
    within, rows = 0.0, 0
    for i, d in enumerate(range(-WINDOW, WINDOW + 1)):
        at = offsets == d
        observed, fitted = float((w[at] * y[at]).sum()), float((w[at] * mu[at]).sum())
        if fitted <= 0:
            continue
        ratio = (observed + 0.5) / (fitted + 0.5)
        own = mu[at] * ratio
        within += float((w[at] * (y[at] - own) ** 2 / own).sum())
        rows += int(at.sum()) - 1
        parts.append((i, math.log(ratio) ** 2, fitted + 0.5))
    if rows <= 0:
        return spreads
    phi = max(1.0, within / rows)
    for i, squared, fitted in parts:
        spreads[i] = math.sqrt(max(squared - phi / fitted, 0.0))
    return np.clip(spreads, WEEK_SD_MIN, SAME_WEEK_SD)


def _fit(
    y: np.ndarray,
    target: int,
    start: int,
    *,
    seasonal: bool,
    trend: bool,
    score: list | None = None,
) -> Prediction | None:
    """Fit the baseline (weeks start.. start+len(y)-1) and predict the target week. None when
    the trend is not supported (the caller refits without it) or the fit fails."""
    X, x_t, week_of_column, offsets = _design(target, start, start + len(y) - 1, seasonal, trend)
    in_window = np.abs(offsets) <= WINDOW
    own_weeks = week_of_column >= 0
    if y.sum() == 0:
        # Nothing in the whole baseline: the expectation is small but not known to be zero.
        return Prediction(math.log(0.5 / len(y)), 1.0, 1.0)
    w = np.ones(len(y))
    # First the window's weeks share the season's line.
    penalty = np.where(own_weeks, 1.0 / WEEK_SD_MIN**2, 0.0)
    beta, mu, info = _irls(X, y, w, penalty)
    # Earlier unusual weeks are down-weighted and the model refitted from where it stood.
    dof = max(1.0, len(y) - X.shape[1])
    phi = max(1.0, float(np.sum((y - mu) ** 2 / mu)) / dof)
    s = _anscombe(y, mu, phi)
    high = s > RESIDUAL_LIMIT
    if high.any():
        w = 1.0 / np.where(high, s, 1.0) ** 2
        w = w * len(w) / w.sum()
        beta, mu, info = _irls(X, y, w, penalty, start=beta)
    # Then the window's weeks get their own effects, as large as the data show them to be
    # (holiday weeks), and the model is refitted once more.
    if own_weeks.any():
        spreads = _week_spread(y, mu, w, offsets)
        penalty = np.where(own_weeks, 1.0 / spreads[week_of_column] ** 2, 0.0)
        beta, mu, info = _irls(X, y, w, penalty, start=beta)
    # The dispersion from the weeks around this one (the rest of the year is fitted only in
    # broad periods, and its misfit is not this week's spread), when there are enough of them,
    # over the residual degrees of freedom of a penalised fit (n minus the hat matrix's trace).
    try:
        inverse = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        return None
    leverage = np.einsum("ij,jk,ik->i", X, inverse, X) * w * mu
    pearson = w * (y - mu) ** 2 / mu
    near = in_window if int(in_window.sum()) >= 10 else np.ones(len(y), bool)
    dof = max(1.0, float(w[near].sum() - leverage[near].sum()))
    phi = max(1.0, float(pearson[near].sum()) / dof)
    cov = phi * inverse
    eta = float(x_t @ beta)
    var = float(x_t @ cov @ x_t)
    if score is not None:
        # The score test for adding a trend, from this fit alone: U = sum w (y - mu) t over
        # its variance (the trend's information net of the other terms'), so a trend is fitted
        # only for the series that need one.
        t = np.arange(len(y)) + start - target
        t = t * 7 / 365.25
        ww = w * mu
        cross = (X.T * ww) @ t
        info_t = float(np.sum(ww * t * t) - cross @ inverse @ cross)
        score.append(float(np.sum(w * (y - mu) * t)) / math.sqrt(max(phi * info_t, 1e-12)))
    if trend and seasonal:
        slope, se = beta[-1], math.sqrt(max(cov[-1, -1], 1e-12))
        # Farrington's guard against a runaway extrapolation, loosened by one year's rise: a
        # growing series' busiest week this year is above anything seen before, as it should be.
        if abs(slope / se) < TREND_Z or math.exp(eta) > max(y.max(), 1.0) * math.exp(abs(slope)):
            return None
    return Prediction(eta, max(var, 0.0), phi)


def _dense(history: pd.Series, first: int, stop: int) -> np.ndarray:
    """Counts for weeks first..stop (inclusive), zero where the series has none."""
    out = np.zeros(max(0, stop - first + 1))
    if len(history) and len(out):
        numbers = week_number(history.index)
        inside = (numbers >= first) & (numbers <= stop)
        np.add.at(out, numbers[inside] - first, history.to_numpy(dtype=float)[inside])
    return out


def _usable(pred: Prediction | None) -> bool:
    return (
        pred is not None
        and math.isfinite(pred.eta)
        and math.isfinite(pred.var)
        and math.isfinite(pred.phi)
        and pred.var <= MAX_VAR
        and abs(pred.eta) < 30
    )


def baseline(
    history: pd.Series, week: dt.date, *, first: dt.date | None = None
) -> tuple[Prediction | None, str]:
    """See ``_baseline``; a degenerate fit (a few weeks of very uneven data) is no expectation."""
    pred, status = _baseline(history, week, first=first)
    if pred is not None and not _usable(pred):
        return None, "thin"
    return pred, status


def _baseline(
    history: pd.Series, week: dt.date, *, first: dt.date | None = None
) -> tuple[Prediction | None, str]:
    """The prediction for the ISO week starting ``week`` from the weeks before it.

    ``history`` is indexed by Monday (Timestamps) with weekly counts; weeks missing from it
    between ``first`` (the series' first week of data; default its first index) and the week
    count as zero. Returns (prediction or None, status).
    """
    target = int(week_number(pd.Timestamp(week))[0])
    if first is None:
        if history.empty:
            return None, "no_data"
        first = history.index.min()
    start = int(week_number(pd.Timestamp(first))[0])
    if target < start:
        return None, "no_data"
    if target - start < MIN_WEEKS:
        return None, "thin"
    years = min(YEARS, (target - start - WINDOW) // 52)
    if years >= 1:
        lo = max(start, target - 52 * years - WINDOW)
        y = _dense(history, lo, target - GAP_WEEKS)
        score: list = []
        result = _fit(
            y, target, lo, seasonal=True, trend=False, score=score if years >= 2 else None
        )
        if result is not None and score and abs(score[0]) >= TREND_Z:
            result = _fit(y, target, lo, seasonal=True, trend=True) or result
        if result is not None:
            return result, "ok"
    lo = max(start, target - SHORT_WEEKS - SHORT_GAP)
    y = _dense(history, lo, target - SHORT_GAP - 1)
    if len(y) < MIN_WEEKS - SHORT_GAP:
        return None, "thin"
    result = _fit(y, target, lo, seasonal=False, trend=False)
    return (result, "ok") if result else (None, "thin")


def combine(own: Prediction, shaped: Prediction) -> Prediction:
    """Two predictions of the same log mean, combined by precision (the category's own and the
    one shaped by its kind's season); the dispersion is the category's own."""
    w_own = 1.0 / max(own.var, 1e-9)
    w_shaped = 1.0 / max(shaped.var, 1e-9)
    eta = (own.eta * w_own + shaped.eta * w_shaped) / (w_own + w_shaped)
    return Prediction(eta, 1.0 / (w_own + w_shaped), own.phi)


def kind_shaped(
    history: pd.Series,
    kind_history: pd.Series,
    kind: Prediction,
    week: dt.date,
    *,
    first: dt.date | None = None,
) -> Prediction | None:
    """The category's recent level times its kind's seasonal rise or fall for the week."""
    target = int(week_number(pd.Timestamp(week))[0])
    hi = target - GAP_WEEKS
    lo = hi - 51
    if first is not None:
        lo = max(lo, int(week_number(pd.Timestamp(first))[0]))
    weeks = hi - lo + 1
    if weeks < MIN_WEEKS:
        return None
    own = float(_dense(history, lo, hi).sum())
    whole = float(_dense(kind_history, lo, hi).sum())
    if whole <= 0:
        return None
    eta = math.log((own + 0.5) / weeks) + kind.eta - math.log(whole / weeks)
    var = 1.0 / (own + 0.5) + kind.var + 1.0 / whole + KIND_SEASON_SD**2
    return Prediction(eta, var, 1.0)


# ---------------------------------------------------------------------------------------------
# The predictive distribution


def _cdf(k: np.ndarray, mu: np.ndarray, phi: float) -> np.ndarray:
    """P(Y <= k) for a negative binomial with mean mu and variance phi * mu (Poisson at 1)."""
    k = np.asarray(k, dtype=float)
    out = np.where(k < 0, 0.0, 0.0)
    ok = k >= 0
    if phi <= 1.0 + 1e-9:
        value = special.gammaincc(np.floor(k) + 1, mu)
    else:
        r = mu / (phi - 1.0)
        value = special.betainc(r, np.floor(np.maximum(k, 0)) + 1, 1.0 / phi)
    return np.where(ok, value, out)


def _mixture_cdf(k: np.ndarray | float, pred: Prediction, scale: float = 1.0) -> np.ndarray:
    mus = scale * np.exp(pred.eta + math.sqrt(2.0 * pred.var) * _GH_NODES)
    k = np.atleast_1d(np.asarray(k, dtype=float))
    return (_cdf(k[:, None], mus[None, :], pred.phi) * _GH_WEIGHTS[None, :]).sum(axis=1)


def _quantile(q: float, pred: Prediction, scale: float = 1.0) -> int:
    """The smallest whole k with P(Y <= k) >= q."""
    mean = scale * math.exp(pred.eta + pred.var / 2)
    hi = max(4, math.ceil(mean))
    while _mixture_cdf(hi, pred, scale)[0] < q:
        hi *= 2
    lo = -1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _mixture_cdf(mid, pred, scale)[0] >= q:
            hi = mid
        else:
            lo = mid
    return int(hi)


def predict(pred: Prediction, observed: int, *, elapsed: float = 1.0) -> Signal:
    """Judge ``observed`` against the prediction (scaled to the elapsed share of the week),
    with the model's own error (``MODEL_SD``) added to the baseline's uncertainty."""
    observed = int(observed)
    pred = Prediction(pred.eta, pred.var + MODEL_SD**2, pred.phi)
    scale = min(max(elapsed, 1e-3), 1.0)
    tails = _mixture_cdf(np.array([observed, observed - 1]), pred, scale)
    p_low = float(min(1.0, tails[0]))
    p_high = float(min(1.0, max(0.0, 1.0 - tails[1])))
    alpha = (1.0 - LEVEL) / 2
    low = _quantile(alpha, pred, scale)
    high = _quantile(1.0 - alpha, pred, scale)
    expected = scale * math.exp(pred.eta + pred.var / 2)
    return Signal(
        observed,
        expected,
        low,
        high,
        p_high,
        p_low,
        status="ok" if elapsed >= 1.0 else "partial",
        elapsed=scale,
    )


def assess(
    history: pd.Series,
    week: dt.date,
    observed: int,
    *,
    first: dt.date | None = None,
    elapsed: float = 1.0,
    shape: tuple[pd.Series, Prediction] | None = None,
    fitted: tuple[Prediction | None, str] | None = None,
) -> Signal:
    """The Signal for one weekly count (not yet controlled for its family: see ``control``).

    ``shape`` is (the kind's weekly history, the kind's prediction) for a category, so its
    season leans on its kind's when its own data is thin. ``fitted`` is this series'
    ``baseline`` when the caller has it already (a kind's, which its categories lean on).
    """
    pred, status = fitted if fitted is not None else baseline(history, week, first=first)
    if pred is None:
        return no_expectation(observed, status)
    if shape is not None:
        shaped = kind_shaped(history, shape[0], shape[1], week, first=first)
        if shaped is not None and _usable(shaped):
            pred = combine(pred, shaped)
    return predict(pred, observed, elapsed=elapsed)


# ---------------------------------------------------------------------------------------------
# The family of tests on one screen


def benjamini_hochberg(
    p_values: Sequence[float], q: float = FDR, weights: Sequence[float] | None = None
) -> np.ndarray:
    """True for the p-values the Benjamini–Hochberg step-up procedure rejects at level q.

    With ``weights`` (the weighted procedure of Genovese, Roeder and Wasserman, 2006) each
    p-value is divided by its weight, the weights scaled to average one: the false discovery
    rate stays at q while the figures given more weight get more of the power."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return np.zeros(0, dtype=bool)
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        w = w * m / w.sum()
        p = np.divide(p, w, out=np.full(m, np.inf), where=w > 0)
    order = np.argsort(p, kind="stable")
    passed = p[order] <= q * np.arange(1, m + 1) / m
    out = np.zeros(m, dtype=bool)
    if passed.any():
        out[order[: int(np.max(np.nonzero(passed)[0])) + 1]] = True
    return out


def control(
    signals: Sequence[Signal], q: float = FDR, weights: Sequence[float] | None = None
) -> list[Signal]:
    """Decide the flags of a family of figures shown together.

    Only whole weeks with an expectation are tested; the family's size is the number tested.
    ``weights`` (one per signal) give some figures more of the family's power (see
    ``benjamini_hochberg``). A high flag also needs at least ``MIN_HIGH`` events.
    """
    tested = [i for i, s in enumerate(signals) if s.testable]
    reject = benjamini_hochberg(
        [signals[i].p_value for i in tested],
        q,
        None if weights is None else [weights[i] for i in tested],
    )
    out = [replace(s, direction="normal") for s in signals]
    for i, rejected in zip(tested, reject, strict=True):
        s = signals[i]
        if not rejected:
            continue
        if s.p_high <= s.p_low and s.observed > s.expected and s.observed >= MIN_HIGH:
            out[i] = replace(s, direction="high")
        elif s.p_low < s.p_high and s.observed < s.expected:
            out[i] = replace(s, direction="low")
    return out


# ---------------------------------------------------------------------------------------------
# Series helpers


def weekly(frame: pd.DataFrame, *, week: str = "week", value: str = "n") -> pd.Series:
    """A weekly count Series indexed by Monday Timestamps (summing duplicate weeks)."""
    if frame.empty:
        return pd.Series(dtype=float)
    return frame.assign(**{week: pd.to_datetime(frame[week])}).groupby(week)[value].sum()


def first_after_gaps(weeks_with_events, before: dt.date) -> dt.date | None:
    """The first week of the last stretch of data before ``before``: the Mondays with events
    (any order), and a stretch ends where ``DATA_GAP_WEEKS`` weeks in a row had none. A gap
    reaching up to ``before`` makes ``before`` itself the first week. None: no events."""
    mondays = sorted({pd.Timestamp(w).date() for w in weeks_with_events})
    mondays = [m for m in mondays if m < before]
    if not mondays:
        return None
    first = mondays[0]
    for earlier, later in zip(mondays, [*mondays[1:], before], strict=True):
        if (later - earlier).days // 7 - 1 >= DATA_GAP_WEEKS:
            first = later
    return first


def flag_weeks(
    history: pd.DataFrame,
    weeks: list[dt.date],
    *,
    first: dt.date | None = None,
    today: dt.date | None = None,
    q: float = FDR,
    data_weeks=None,
) -> pd.DataFrame:
    """Judge each ISO week in ``weeks`` from the weeks before it, as one family.

    ``history`` has columns week (Monday), n. A week not yet over on ``today`` is compared with
    the expectation for its elapsed days and not flagged. ``data_weeks``: the Mondays with any
    event in the database (``data_weeks_all.sql``), so a gap in the data is not learnt from as
    zeros (``first_after_gaps``). Returns week, n, expected, low, high, p_value, direction,
    status.
    """
    series = weekly(history)
    signals = []
    for monday in weeks:
        start = first
        if data_weeks is not None:  # after the last gap in the data
            resumed = first_after_gaps(data_weeks, monday)
            if resumed is not None:
                start = resumed if start is None else max(start, resumed)
        observed = int(series.get(pd.Timestamp(monday), 0))
        elapsed = 1.0
        if today is not None and today < monday + dt.timedelta(days=6):
            elapsed = max(0, (today - monday).days + 1) / 7
        signals.append(
            assess(
                series[series.index < pd.Timestamp(monday)],
                monday,
                observed,
                first=start,
                elapsed=elapsed,
            )
        )
    signals = control(signals, q)
    rows = [{"week": monday, **s.as_dict()} for monday, s in zip(weeks, signals, strict=True)]
    frame = pd.DataFrame(
        rows,
        columns=["week", "observed", "expected", "low", "high", "p_value", "direction", "status"],
    )
    return frame.rename(columns={"observed": "n"})


def words(signal: Signal, t, number=str) -> str:
    """The signal in words for a meeting: "väntat 8–19, i år 31" (``t`` is the label function;
    ``number`` formats counts). Before the data begins: "ingen data"."""
    if signal.status == "no_data":
        return t("signals.no_data")
    if not signal.known:
        return t("signals.thin")
    key = "signals.range_partial" if signal.status == "partial" else "signals.range"
    return t(key, low=number(signal.low), high=number(signal.high), n=number(signal.observed))


def short_range(signal: Signal, t, number=str) -> str:
    """The expected range alone ("8–19"), for a table whose row already has the count."""
    if signal.status == "no_data":
        return t("signals.no_data")
    if not signal.known:
        return "–"
    return f"{number(signal.low)}–{number(signal.high)}"
