"""Årlig lägesbild's view: the years offered, and the figures the page reads at the top
against the yearly picture they come from."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from safetycore import queries, yearly
from safetycore.yearly_view import YearlyView, year_choices, yearly_view
from tests.conftest import DEMO_END

YEAR = 2025  # the last complete year of the demo


def runner(con):
    return lambda name, flt=None, **extra: queries.run(con, name, flt, **extra)


@pytest.fixture(scope="module")
def view(demo_con) -> YearlyView:
    return yearly_view(
        runner(demo_con),
        YEAR,
        today=DEMO_END,
        internal=False,
        min_count=0,
        lang="sv",
        municipality="Norrtälje",
    )


def test_the_years_run_from_this_year_back_with_last_year_first_shown(demo_con):
    choices = year_choices(runner(demo_con), DEMO_END)
    assert choices.years[0] == DEMO_END.year
    assert list(choices.years) == sorted(choices.years, reverse=True)
    assert choices.years[choices.default_index] == DEMO_END.year - 1


def test_a_database_without_events_still_offers_last_year():
    def run(name, flt=None, **extra):
        assert name == "yearly_coverage"
        return pd.DataFrame({"first_event": [pd.NaT]})

    choices = year_choices(run, dt.date(2026, 3, 1))
    assert choices.years == (2026, 2025)
    assert choices.default_index == 1


def test_the_view_holds_the_picture_and_its_figures(demo_con, view):
    p = yearly.yearly_picture(runner(demo_con), YEAR, today=DEMO_END, min_count=0)
    assert view.year == p.year == YEAR
    assert view.picture.total == p.total
    assert view.content.municipality == "Norrtälje"
    assert view.count_delta == p.total.count - p.total.previous[YEAR - 1]
    assert view.cost_delta == p.total.cost_sek - p.total.cost_previous
    known = sum(v or 0 for v in p.involved.values())
    assert view.youth_share == pytest.approx((p.involved["youth"] or 0) / known)
    assert view.file_stem == f"arsrapport-{YEAR}"


def test_the_internal_version_is_named_so(demo_con):
    internal = yearly_view(
        runner(demo_con),
        YEAR,
        today=DEMO_END,
        internal=True,
        min_count=0,
        lang="en",
        municipality="",
    )
    assert internal.internal and internal.picture.internal
    assert internal.file_stem == f"arsrapport-{YEAR}-intern"
