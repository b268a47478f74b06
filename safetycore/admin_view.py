"""The Administration page's view: the roles given, the area configuration as a table and
as the editor's choices (areas with their group, population and aliases; the groups by id),
and the log of changes to areas and groups.

Pure: both functions read through a query runner (``run(name, flt, **extra)``; the dashboard
passes its cached ``ui.cache.query``) and hold no Streamlit. The log is its own function
because the page reads it after the editor's forms: a change saved in this run is in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

Runner = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class AdminView:
    """What the Administration page shows of the database. Shared through the cache: read
    it, never change it."""

    roles: pd.DataFrame  # email, role, set_by, set_at
    areas: pd.DataFrame  # area_group, group_population, area, area_id, population
    area_edit: pd.DataFrame  # by area_id: area, area_group_id, area_group, population, aliases
    groups: pd.DataFrame  # by id: name, population, in the groups' own order
    group_names: dict[str, str]  # id -> name, in the groups' own order

    @property
    def editable(self) -> bool:
        """The editor is offered once there is an area to edit."""
        return not self.area_edit.empty


def admin_view(run: Runner) -> AdminView:
    """The roles and the area configuration as they stand."""
    groups = run("area_groups")
    return AdminView(
        roles=run("admin_user_roles"),
        areas=run("admin_areas"),
        area_edit=run("admin_area_edit").set_index("area_id"),
        groups=groups.set_index("id"),
        group_names=dict(zip(groups["id"], groups["name"], strict=True)),
    )


def area_log(run: Runner) -> pd.DataFrame:
    """The latest changes to areas and area groups, newest first."""
    return run("admin_area_log")


def population_text(value: float | None) -> str:
    """A population as the editor's text field shows it: whole people, empty when unknown."""
    if value is None or pd.isna(value):
        return ""
    return str(int(value))


def tidy_name(name: str) -> str:
    """A name as the confirmation shows it: runs of white space as one space, none at the
    ends (as it is saved, before masking)."""
    return " ".join(name.split())
