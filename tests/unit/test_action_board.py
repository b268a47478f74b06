"""The Actions page's view on the demo: totals, the board per area group, every action for
the follow-up, the inventory and the area group a new action starts in."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from safetycore import queries
from safetycore.action_board import action_board
from safetycore.filters import Filter
from tests.conftest import DEMO_END


def period(**changes) -> Filter:
    """The demo's last year (the board does not read the period; the view takes a Filter)."""
    return Filter(DEMO_END - dt.timedelta(days=365), DEMO_END, **changes)


def runner(con):
    return lambda name, flt=None, **extra: queries.run(con, name, flt, **extra)


def test_the_view_sums_the_counts_and_splits_the_board_by_area_group(demo_con):
    view = action_board(runner(demo_con), period(), today=DEMO_END, owner=None)
    assert view.open == int(view.counts["open"].sum()) and view.open > 0
    assert view.overdue == int(view.counts["overdue"].sum())
    assert [g.area_group_id for g in view.open_groups] == [
        g for g in view.counts["area_group_id"] if g in {p.area_group_id for p in view.open_groups}
    ]
    for part in view.open_groups:
        assert not part.rows.empty
        assert set(part.rows["area_group_id"]) == {part.area_group_id}
        assert set(part.rows["status"]) <= {"open", "in_progress"}
    assert sum(len(g.rows) for g in view.open_groups) == view.open_count
    assert sum(len(g.rows) for g in view.all_groups) == len(view.everything)
    assert view.groups(include_closed=True) is view.all_groups
    assert view.inventory_total == int(view.inventory["total"].sum())
    assert view.preset_group is None


def test_one_selected_group_narrows_everything_and_presets_the_form(demo_con):
    group = str(queries.run(demo_con, "area_groups")["id"].iloc[0])
    view = action_board(runner(demo_con), period(area_groups=(group,)), today=DEMO_END, owner=None)
    assert view.preset_group == group
    assert set(view.everything["area_group_id"]) <= {group}
    assert set(view.counts["area_group_id"]) == {group}


def test_our_tasks_keeps_one_owner_organisation(demo_con):
    everything = action_board(runner(demo_con), period(), today=DEMO_END, owner=None).everything
    owner = str(everything["owner_org"].iloc[0])
    view = action_board(runner(demo_con), period(), today=DEMO_END, owner=owner)
    assert set(view.everything["owner_org"]) == {owner}
    assert view.board_empty(False) == (view.open_count == 0)
    assert isinstance(view.everything, pd.DataFrame)
