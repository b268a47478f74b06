"""The Actions page's view: the board of tasks per area group, the totals read at the top,
every action for the follow-up and the effect views, and the inventory of measures.

``action_board(run, flt, today=..., owner=...)`` is pure: ``run`` runs a named query (the
dashboard passes its cached ``ui.cache.query``), and the view is built from the filter's area
groups, the reference day and "our tasks" (one owner organisation, or None for all).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from safetycore.filters import Filter

Runner = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class GroupBoard:
    """One area group's part of the board, with its counts for the badges."""

    area_group_id: str
    name: str
    open: int
    overdue: int
    due_week: int
    rows: pd.DataFrame  # the group's actions, as ``actions_board.sql`` returns them


@dataclass(frozen=True)
class ActionBoard:
    today: dt.date
    open: int  # open actions over the selected area groups
    overdue: int
    due_week: int  # open and due within seven days
    counts: pd.DataFrame  # per area group: open, overdue, due_week, done
    open_groups: tuple[GroupBoard, ...]  # the board of open actions, groups with any
    all_groups: tuple[GroupBoard, ...]  # the same with closed actions as well
    open_count: int  # actions on the board of open actions
    everything: pd.DataFrame  # every action, closed ones too (follow-up and effect)
    inventory: pd.DataFrame  # per area group and owner: counts, cost and categories
    inventory_total: int
    inventory_cost: float
    preset_group: str | None  # the area group a new action starts in: the only one selected

    def groups(self, include_closed: bool) -> tuple[GroupBoard, ...]:
        return self.all_groups if include_closed else self.open_groups

    def board_empty(self, include_closed: bool) -> bool:
        return (len(self.everything) if include_closed else self.open_count) == 0


def _per_group(counts: pd.DataFrame, board: pd.DataFrame) -> tuple[GroupBoard, ...]:
    """The board split by area group in the counts' order (the groups' own), empty ones left
    out."""
    out = []
    for row in counts.itertuples(index=False):
        part = board[board["area_group_id"] == row.area_group_id]
        if part.empty:
            continue
        out.append(
            GroupBoard(
                area_group_id=row.area_group_id,
                name=row.area_group,
                open=int(row.open),
                overdue=int(row.overdue),
                due_week=int(row.due_week),
                rows=part.reset_index(drop=True),
            )
        )
    return tuple(out)


def action_board(run: Runner, flt: Filter, *, today: dt.date, owner: str | None) -> ActionBoard:
    """The Actions page's view for the filter's area groups as of ``today``."""
    groups = list(flt.area_groups) or None
    counts = run("action_counts_by_group", None, area_groups=groups, today=today, owner=owner)
    open_board = run(
        "actions_board", None, area_groups=groups, today=today, owner=owner, include_closed=False
    )
    everything = run(
        "actions_board", None, area_groups=groups, today=today, owner=owner, include_closed=True
    )
    inventory = run("actions_inventory", None, area_groups=groups)
    return ActionBoard(
        today=today,
        open=int(counts["open"].sum()),
        overdue=int(counts["overdue"].sum()),
        due_week=int(counts["due_week"].sum()),
        counts=counts,
        open_groups=_per_group(counts, open_board),
        all_groups=_per_group(counts, everything),
        open_count=len(open_board),
        everything=everything,
        inventory=inventory,
        inventory_total=int(inventory["total"].sum()),
        inventory_cost=float(inventory["cost_sek"].sum()),
        preset_group=flt.area_groups[0] if len(flt.area_groups) == 1 else None,
    )
