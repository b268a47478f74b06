"""Trender's view: the chart-row budget, the whole ISO weeks judged for unusual weeks, the
area groups' order, and the view's figures against the queries it reads."""

import datetime as dt
import itertools

import pandas as pd

from safetycore import queries, signals
from safetycore import trends as tr
from safetycore.filters import Filter
from tests.conftest import DEMO_END


def test_series_at_most_per_split():
    counts = {"categories": 20, "groups": 5, "sources": 3}
    assert tr.series_at_most("total", **counts) == 1
    assert tr.series_at_most("kind", **counts) == 2
    assert tr.series_at_most("category", **counts) == 20
    assert tr.series_at_most("area_group", **counts) == 6  # one more: no area group
    assert tr.series_at_most("source", **counts) == 3


def test_chart_grain_falls_back_to_months_when_weeks_are_too_many():
    three_years = Filter(start=dt.date(2023, 1, 1), end=dt.date(2025, 12, 31))
    assert tr.chart_grain(three_years, "week", 2) == ("week", False)
    assert tr.chart_grain(three_years, "week", 40) == ("month", True)
    assert tr.chart_grain(three_years, "month", 40) == ("month", False)


def test_unusual_span_judges_whole_weeks_only():
    # A Wednesday to a Friday: the first whole week starts the Monday after, the last whole
    # week ends the Sunday before the Friday.
    span = tr.unusual_span(dt.date(2026, 1, 7), dt.date(2026, 6, 5))
    assert span.weeks[0] == dt.date(2026, 1, 12)
    assert span.weeks[-1] == dt.date(2026, 5, 25)
    assert span.history_end == dt.date(2026, 6, 1)
    assert all(b - a == dt.timedelta(weeks=1) for a, b in itertools.pairwise(span.weeks))
    weeks_back = 52 * signals.YEARS + signals.WINDOW + 1
    assert span.history_start == span.weeks[0] - dt.timedelta(weeks=weeks_back)
    # Ending on a Sunday, that week is whole and judged.
    assert tr.unusual_span(dt.date(2026, 1, 5), dt.date(2026, 6, 7)).weeks[-1] == dt.date(
        2026, 6, 1
    )


def test_unusual_span_judges_at_least_eight_weeks():
    span = tr.unusual_span(dt.date(2026, 5, 25), dt.date(2026, 6, 7))
    assert len(span.weeks) == tr.FLAG_WEEKS_AT_LEAST
    assert span.weeks[-1] == dt.date(2026, 6, 1)


def test_ordered_groups_follow_the_municipality_then_unknown_then_total():
    compared = pd.DataFrame(
        {
            "dimension": ["total", "group", "group", "category", "group"],
            "key": ["total", "syd", "", "vandalism", "norr"],
        }
    )
    ordered = tr.ordered_groups(compared, ("norr", "syd"))
    assert list(ordered["key"]) == ["norr", "syd", "", "total"]


def test_group_keys_in_the_municipalitys_order():
    series = pd.Series(["syd", "", "norr", "syd"])
    assert tr.group_keys(series, ("norr", "mitt", "syd")) == ["norr", "syd", ""]


def run_on(con):
    return lambda name, flt=None, **extra: queries.run(con, name, flt, **extra)


def test_trends_view_against_its_queries(demo_con):
    flt = Filter(start=DEMO_END - dt.timedelta(days=27), end=DEMO_END)
    groups = tuple(queries.run(demo_con, "area_groups")["id"])
    v = tr.trends_view(
        run_on(demo_con), flt, "week", "kind", group_ids=groups, categories=20, sources=5
    )
    assert (v.grain, v.too_many_weeks) == ("week", False)
    assert v.total == int(v.series["n"].sum()) > 0
    assert v.change.current == v.total and v.change.previous == v.total_ly
    assert list(v.series["partial"].groupby(v.series["bucket"]).first()) == [
        True,
        False,
        False,
        False,
        True,
    ]
    assert len(v.flags) >= tr.FLAG_WEEKS_AT_LEAST
    assert list(v.by_group["dimension"])[-1] == "total"
    assert v.multiples is not None
    assert list(dict.fromkeys(v.multiples["series"]))[: len(groups)] == [
        g for g in groups if g in set(v.multiples["series"])
    ]
