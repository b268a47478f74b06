"""The unusual-week model on constructed series whose answer is known."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from safetycore import signals

MONDAYS = pd.date_range("2021-01-04", "2026-11-16", freq="7D")
ISO = MONDAYS.isocalendar().week.to_numpy()


def series(mean: np.ndarray, seed: int = 3) -> pd.Series:
    rng = np.random.default_rng(seed)
    return pd.Series(rng.poisson(mean), index=MONDAYS)


def judge(s: pd.Series, monday: str, observed: int | None = None, **kw) -> signals.Signal:
    stamp = pd.Timestamp(monday)
    value = int(s[stamp]) if observed is None else observed
    return signals.assess(s[s.index < stamp], stamp.date(), value, **kw)


def test_a_recurring_holiday_week_is_expected():
    # Week 44 (the autumn break) doubles every year: this year's double is no surprise.
    mean = np.where(ISO == 44, 40.0, 20.0)
    s = series(mean)
    holiday = judge(s, "2026-10-26", 40)
    assert holiday.low <= 40 <= holiday.high and holiday.expected > 30
    assert not signals.control([holiday])[0].unusual
    # ... and the ordinary weeks around it are not raised by it.
    after = judge(s, "2026-11-09", 20)
    assert after.expected < 26 and not signals.control([after])[0].unusual


def test_a_planted_spike_is_found_and_said_in_words():
    s = series(np.full(len(MONDAYS), 12.0))
    spike = judge(s, "2026-11-16", 31)
    assert spike.high < 31 and spike.low >= 3
    (flag,) = signals.control([spike])
    assert flag.direction == "high"
    text = signals.words(flag, lambda key, **v: f"väntat {v['low']}–{v['high']}, i år {v['n']}")
    assert text == f"väntat {spike.low}–{spike.high}, i år 31"


def test_an_earlier_spike_and_the_recent_weeks_do_not_feed_the_baseline():
    mean = np.full(len(MONDAYS), 20.0)
    s = series(mean)
    s[pd.Timestamp("2025-11-17")] = 90  # last year's same week was an outbreak
    s.iloc[-8:-1] = 60  # and the last weeks are a run-up
    usual = judge(s, "2026-11-16", 21)
    assert usual.expected < 26 and usual.low <= 21 <= usual.high


def test_the_interval_covers_ordinary_weeks_about_as_promised():
    s = series(np.where(ISO >= 26, 30.0, 18.0) * (1 + 0.1 * np.sin(ISO / 8)), seed=11)
    outside = 0
    weeks = MONDAYS[-60:]
    for monday in weeks:
        sig = judge(s, str(monday.date()))
        outside += not sig.low <= sig.observed <= sig.high
    assert outside / len(weeks) <= 0.1  # a 95 % interval, with the baseline's own uncertainty
    flags = signals.flag_weeks(
        pd.DataFrame({"week": s.index, "n": s.to_numpy()}), [m.date() for m in weeks]
    )
    assert (flags["direction"] != "normal").sum() <= 1  # no control: about 3 false alarms


def test_a_high_flag_needs_five_events():
    s = series(np.full(len(MONDAYS), 0.3))
    rare = judge(s, "2026-11-16", 4)
    assert rare.p_value < 0.01
    assert not signals.control([rare])[0].unusual
    five = judge(s, "2026-11-16", 7)
    assert signals.control([five])[0].direction == "high"


def test_a_running_week_is_compared_with_its_elapsed_days_and_never_flagged():
    s = series(np.full(len(MONDAYS), 70.0))
    monday = pd.Timestamp("2026-11-16")
    # Monday evening: 9 events so far. Against a full week's 70 it would be "unusually low".
    whole = judge(s, "2026-11-16", 9)
    assert signals.control([whole])[0].direction == "low"
    running = signals.assess(s[s.index < monday], monday.date(), 9, elapsed=1 / 7)
    assert running.status == "partial" and running.low <= 9 <= running.high
    assert running.expected == pytest.approx(whole.expected / 7, rel=0.01)
    assert not signals.control([running])[0].unusual
    so_far = s.copy()
    so_far[monday] = 9
    flags = signals.flag_weeks(
        pd.DataFrame({"week": so_far.index, "n": so_far.to_numpy()}),
        [monday.date()],
        today=dt.date(2026, 11, 16),
    )
    assert flags.iloc[0]["status"] == "partial" and flags.iloc[0]["direction"] == "normal"


def test_before_the_data_begins_there_is_no_expectation():
    s = series(np.full(len(MONDAYS), 10.0))
    early = signals.assess(s.iloc[0:0], dt.date(2020, 6, 1), 0, first=dt.date(2021, 1, 4))
    assert early.status == "no_data" and early.low is None and not early.known
    assert signals.words(early, lambda key, **v: key) == "signals.no_data"
    thin = signals.assess(s.iloc[:3], dt.date(2021, 1, 25), 10, first=dt.date(2021, 1, 4))
    assert thin.status == "thin" and not signals.control([thin])[0].unusual


def test_a_category_leans_on_its_kinds_season_when_thin():
    # The kind rises in summer; a rare category with the same season has too little data to
    # see it, and borrows it: its summer expectation is above its winter one.
    summer = (ISO >= 24) & (ISO <= 33)
    kind = series(np.where(summer, 60.0, 30.0), seed=5)
    rare = series(np.where(summer, 1.0, 0.5), seed=6)
    monday = pd.Timestamp("2026-07-06")
    kind_pred, _ = signals.baseline(kind[kind.index < monday], monday.date())
    shaped = signals.assess(
        rare[rare.index < monday], monday.date(), 1, shape=(kind[kind.index < monday], kind_pred)
    )
    winter = pd.Timestamp("2026-02-02")
    kind_w, _ = signals.baseline(kind[kind.index < winter], winter.date())
    shaped_w = signals.assess(
        rare[rare.index < winter], winter.date(), 1, shape=(kind[kind.index < winter], kind_w)
    )
    assert shaped.expected > shaped_w.expected * 1.3


def test_benjamini_hochberg():
    p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216]
    assert signals.benjamini_hochberg(p, 0.05).tolist() == [True, True] + [False] * 8
    assert signals.benjamini_hochberg([0.01] * 5, 0.05).all()
    assert signals.benjamini_hochberg([], 0.05).size == 0


def test_weights_give_the_headline_figures_more_of_the_power():
    # 0.02 among ten figures: not rejected at 5 % on equal terms (0.02 > 0.05 / 10) ...
    p = [0.02] + [0.5] * 9
    assert not signals.benjamini_hochberg(p, 0.05).any()
    # ... but it is when that figure carries half the family's weight (0.02 / 5 <= 0.05 / 10)
    weights = [9.0] + [1.0] * 9
    assert signals.benjamini_hochberg(p, 0.05, weights).tolist() == [True] + [False] * 9
    # equal weights are the plain procedure, whatever their scale
    p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216]
    assert (
        signals.benjamini_hochberg(p, 0.05, [3.0] * 10).tolist()
        == signals.benjamini_hochberg(p, 0.05).tolist()
    )


def test_a_few_uneven_weeks_give_an_answer_not_an_error():
    # A new database: a handful of weeks, one of them an import of a whole backlog.
    weeks = pd.date_range("2026-09-07", periods=10, freq="7D")
    s = pd.Series([0, 0, 0, 0, 0, 0, 0, 0, 405, 0], index=weeks)
    sig = signals.assess(s, dt.date(2026, 11, 16), 3)
    assert sig.status in ("ok", "thin")
    assert not signals.control([sig])[0].unusual or sig.known
    for observed in (0, 3, 400):
        signals.control([signals.assess(s.iloc[:9], dt.date(2026, 11, 9), observed)])


def test_a_gap_in_the_data_is_not_a_run_of_zeros():
    # a sample imported years ago, then data again from last week: nothing to expect yet
    mondays = pd.date_range("2023-03-20", "2026-08-17", freq="7D")
    counts = pd.Series(0, index=mondays)
    counts[pd.Timestamp("2023-03-20")] = 15
    counts[pd.Timestamp("2026-08-10")] = 8
    week = dt.date(2026, 8, 17)
    first = signals.first_after_gaps(counts.index[counts > 0], week)
    assert first == dt.date(2026, 8, 10)
    judged = signals.assess(counts[counts.index < pd.Timestamp(week)], week, 5, first=first)
    assert judged.status == "thin" and not judged.unusual
    # a quiet stretch shorter than the gap is data: the first week stays the first
    assert signals.first_after_gaps([dt.date(2026, 1, 5), dt.date(2026, 4, 6)], week) == dt.date(
        2026, 1, 5
    )
    # Trender's weeks follow the same rule, with the gap taken from the whole database's weeks
    frame = pd.DataFrame({"week": counts.index, "n": counts.to_numpy()})
    flags = signals.flag_weeks(frame, [week], data_weeks=counts.index[counts > 0])
    assert flags["direction"].tolist() == ["normal"]
    assert flags["status"].tolist() == ["thin"]
    # one quiet category in a database with data every week has no gap: its zeros are data
    every_week = pd.date_range("2023-01-02", "2026-08-10", freq="7D")
    assert signals.first_after_gaps(every_week, week) == dt.date(2023, 1, 2)


def test_an_ordinary_week_shares_its_neighbours_level():
    # Three years of a flat 200 a week: the week's level is told by the weeks around it too,
    # not by its own three earlier weeks alone (which would leave about ±4 % of doubt).
    mondays = pd.date_range("2023-01-02", "2026-11-09", freq="7D")
    s = pd.Series(np.random.default_rng(4).poisson(200.0, len(mondays)), index=mondays)
    pred, status = signals.baseline(s, dt.date(2026, 11, 16))
    assert status == "ok"
    assert math.sqrt(pred.var) < 0.025
    assert 188 < pred.mean < 212
    # A +30 % week is flagged on its own
    (flag,) = signals.control([signals.predict(pred, 260)])
    assert flag.direction == "high"


def test_a_season_tied_to_the_calendar_is_followed_across_iso_weeks():
    # Summer residents leave on 20 August every year: 60 a week before, 20 after. ISO week 34
    # holds a different share of the summer each year (it starts on 21 August in 2023, on
    # 17 August in 2026); its expectation follows the calendar, not last years' week 34.
    days = pd.date_range("2021-01-04", "2026-08-16", freq="D")
    per_day = np.where((days.month < 8) | ((days.month == 8) & (days.day < 20)), 60.0, 20.0) / 7
    per_day = np.where(days.month < 6, 20.0 / 7, per_day)
    mondays = days - pd.to_timedelta(days.day_of_week, unit="D")
    mean = pd.Series(per_day).groupby(mondays).sum()
    s = pd.Series(np.random.default_rng(8).poisson(mean.to_numpy()), index=mean.index)
    week = dt.date(2026, 8, 17)  # three days of summer, four after it: a true mean of about 37
    sig = signals.assess(s, week, 37)
    assert 31 < sig.expected < 43 and sig.low <= 37 <= sig.high


def test_a_growing_series_may_be_expected_above_anything_seen():
    # 6 % more a year, busiest in July: this July's expected count is above every week of the
    # baseline (which ends half a year back), as the trend says, not held down to last July's.
    mondays = pd.date_range("2022-01-03", "2026-07-13", freq="7D")
    years = (mondays - mondays[0]).days.to_numpy() / 365.25
    iso = mondays.isocalendar().week.to_numpy()
    mean = 400.0 * np.exp(0.06 * years) * np.where((iso >= 26) & (iso <= 32), 1.5, 1.0)
    s = pd.Series(np.random.default_rng(2).poisson(mean), index=mondays)
    week = dt.date(2026, 7, 20)
    truth = 400.0 * math.exp(0.06 * (week - mondays[0].date()).days / 365.25) * 1.5
    sig = signals.assess(s, week, round(truth))
    assert sig.expected > s[s.index < pd.Timestamp(week) - pd.Timedelta(weeks=26)].max()
    assert abs(sig.expected / truth - 1) < 0.04 and not signals.control([sig])[0].unusual
