"""The Lägesbild page's rules outside the week's figures: the week picker's offer, silent
sources, merged hotspot lines, rating chips, task lists, tab names and meeting steps."""

import datetime as dt

import pandas as pd

from safetycore import queries
from safetycore import situation as sit
from safetycore import situation_view as view
from safetycore.analysis import rate_per_1000
from safetycore.filters import Filter
from tests.conftest import DEMO_END


def group(**kw) -> sit.GroupWeek:
    values = {
        "id": "g1",
        "name": "Centrum",
        "population": None,
        "headline": [],
        "categories": [],
        "standouts": [],
        "cells": pd.DataFrame(),
        "ratings": pd.DataFrame({"iso_week": [], "rating": []}),
        "tasks": pd.DataFrame(),
    }
    values.update(kw)
    return sit.GroupWeek(**values)


def data_weeks(*labels_and_counts: tuple[str, int]) -> pd.DataFrame:
    labels = [label for label, _ in labels_and_counts]
    return pd.DataFrame(
        {
            "iso_week": labels,
            "monday": [pd.Timestamp(sit.Week.parse(label).monday) for label in labels],
            "n": [n for _, n in labels_and_counts],
        }
    )


TODAY = dt.date(2026, 11, 20)  # a Friday in 2026-W47


def test_week_pick_offers_the_weeks_with_data_and_names_the_first_and_last():
    pick = view.week_pick(
        data_weeks(("2026-W47", 3), ("2026-W46", 5), ("2026-W40", 2)), TODAY, False, None
    )
    assert pick.default == "2026-W46"  # never a running week by default
    assert "2026-W47" not in pick.choices and "2026-W40" in pick.choices
    assert (pick.first, pick.last, pick.latest_listed) == ("2026-W40", "2026-W47", "2026-W46")
    assert pick.has_data("2026-W46") and not pick.has_data("2026-W44")
    assert pick.bad_week is None


def test_week_pick_keeps_a_linked_week_and_reports_a_bad_one():
    linked = view.week_pick(data_weeks(("2026-W46", 5)), TODAY, False, "2019-W12")
    assert "2019-W12" in linked.choices and not linked.has_data("2019-W12")
    bad = view.week_pick(data_weeks(("2026-W46", 5)), TODAY, False, "v12")
    assert bad.bad_week == "v12" and bad.default in bad.choices


def test_week_pick_without_data():
    empty = pd.DataFrame({"iso_week": [], "monday": [], "n": []})
    pick = view.week_pick(empty, TODAY, False, None)
    assert (pick.first, pick.last, pick.latest_listed) == (None, None, None)
    assert pick.default in pick.choices


def test_source_states():
    sources = pd.DataFrame({"week": [0, 2, 30], "usual": [10.0, 40.0, 30.0]})
    assert view.source_states(sources) == ["none", "low", "ok"]


def test_standout_lines_merge_hotspots_of_one_area_where_it_first_appears():
    standouts = [
        sit.Standout("hotspot", "c1", 6, 1.0, area_id="a1", status="new", since="2026-W46"),
        sit.Standout("category_up", "vandalism", 9, 3.0),
        sit.Standout("hotspot", "c2", 4, 0.5, area_id="a1", status="emerging", since="2026-W45"),
        sit.Standout("hotspot", "c3", 3, 0.2, area_id=None, status="new", since="2026-W46"),
        sit.Standout("kind_down", "incident", 1, 8.0),
    ]
    lines = view.standout_lines(
        group(standouts=standouts), {"a1": "Torget"}, "okänt område", limit=6
    )
    assert lines[0] == view.HotspotLine("Torget", 10, 1.5, "new", "2026-W46")
    assert lines[1] is standouts[1]
    assert lines[2] == view.HotspotLine("Centrum", 3, 0.2, "new", "2026-W46")  # the group's own
    assert lines[3] is standouts[4]
    assert len(view.standout_lines(group(standouts=standouts), {}, "?", limit=3)) == 3
    unknown = view.standout_lines(group(standouts=standouts[:1]), {}, "okänt område", limit=3)
    assert unknown[0].area == "okänt område"


def test_rating_chips_show_a_gap_as_none():
    ratings = pd.DataFrame({"iso_week": ["2026-W45"], "rating": [4]})
    chips = view.rating_chips(group(ratings=ratings), ["2026-W44", "2026-W45"])
    assert chips == [("2026-W44", None), ("2026-W45", 4)]


def test_tasks_are_counted_and_dated_by_their_list():
    due, done = dt.date(2026, 11, 1), dt.date(2026, 11, 3)
    tasks = pd.DataFrame(
        {
            "bucket": ["overdue", "done", "due", "overdue"],
            "due_date": [due, due, due, due],
            "done_on": [None, done, None, None],
        }
    )
    assert view.task_counts(tasks) == {"overdue": 2, "due": 1, "done": 1}
    assert view.task_days(tasks) == [due, done, due, due]


def test_tab_names_are_unique_and_a_link_opens_by_id_or_name():
    names = view.tab_names(["Norr", "Syd", "Norr"], ["n1", "s", "n2"])
    assert names == ["Norr (n1)", "Syd", "Norr (n2)"]
    name_of = dict(zip(["n1", "s", "n2"], names, strict=True))
    assert view.opened_group("s", name_of) == "s"
    assert view.opened_group("Norr (n2)", name_of) == "n2"
    assert view.opened_group("nowhere", name_of) is None


def test_neighbours_stay_inside_the_steps():
    assert view.neighbours(["overview", "a", "b"], "overview") == (0, "overview", "a")
    assert view.neighbours(["overview", "a", "b"], "b") == (2, "a", "b")


def test_group_rate_per_1000_residents(demo_con):
    week = sit.Week.parse("2026-W46")
    ws = sit.week_situation(
        lambda name, flt=None, **extra: queries.run(demo_con, name, flt, **extra),
        week,
        Filter(start=week.monday, end=week.sunday),
        today=DEMO_END,
    )
    for g in ws.groups:
        assert view.group_rate(g) == rate_per_1000(g.total.week, g.population)
    assert view.group_rate(group(headline=[ws.groups[0].total])) is None  # no population
