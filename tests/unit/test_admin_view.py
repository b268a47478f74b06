"""The Administration page's view: the roles and the area configuration from the database,
the editor's lookups by id, the log, and how populations and names are shown."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from safetycore import queries
from safetycore.admin_view import admin_view, area_log, population_text, tidy_name


def runner(con):
    return lambda name, flt=None, **extra: queries.run(con, name, flt, **extra)


def test_the_view_holds_the_area_configuration(demo_con):
    view = admin_view(runner(demo_con))
    groups = queries.run(demo_con, "area_groups")
    assert list(view.group_names) == list(groups["id"])
    assert view.group_names == dict(zip(groups["id"], groups["name"], strict=True))
    assert list(view.groups.index) == list(groups["id"])
    assert view.editable
    assert view.area_edit.index.name == "area_id"
    assert set(view.area_edit.index) == set(view.areas["area_id"])
    assert set(view.area_edit["area_group_id"]) <= set(view.group_names)
    assert list(view.roles.columns) == ["email", "role", "set_by", "set_at"]


def test_no_areas_no_editor():
    empty = {
        "area_groups": pd.DataFrame({"id": [], "name": [], "population": []}),
        "admin_user_roles": pd.DataFrame(),
        "admin_areas": pd.DataFrame(),
        "admin_area_edit": pd.DataFrame({"area_id": []}),
    }
    view = admin_view(lambda name, flt=None, **extra: empty[name])
    assert not view.editable
    assert view.group_names == {}


def test_the_log_is_the_log_query(demo_con):
    log = area_log(runner(demo_con))
    assert list(log.columns) == [
        "changed_at",
        "changed_by",
        "entity",
        "entity_id",
        "field",
        "old_value",
        "new_value",
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (math.nan, ""), (pd.NA, ""), (2450.0, "2450"), (12, "12")],
)
def test_a_population_shows_as_whole_people_or_nothing(value, text):
    assert population_text(value) == text


def test_a_name_is_tidied_as_saved():
    assert tidy_name("  Rimbo \t torg ") == "Rimbo torg"
