"""Rapportera's view on the demo: the areas named with their group, the pick map's grid and
its part for one area group, and the entry's checks before a save."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from safetycore import geo, queries
from safetycore.ingest import observation as obs_mod
from safetycore.observation_view import Entry, observation_form, pick_grid, pick_map
from tests.conftest import DEMO_END


def runner(con):
    return lambda name, flt=None, **extra: queries.run(con, name, flt, **extra)


def entry(**changes) -> Entry:
    values = dict(
        category="graffiti",
        area_id="centrum",
        cell=None,
        place="",
        day=DEMO_END,
        part="evening",
        time=None,
        org="schools",
        text="",
        cost=None,
        involved=None,
        people=None,
        named=True,
    )
    values.update(changes)
    return Entry(**values)


def test_areas_are_named_with_their_group_unless_it_has_the_same_name(demo_con):
    form = observation_form(runner(demo_con))
    areas = queries.run(demo_con, "areas")
    assert list(form.areas) == list(areas["id"])
    for area_id, name in form.areas.items():
        group = form.groups[form.area_group_of[area_id]]
        label = form.area_label(area_id)
        assert label == (name if group == name else f"{name} ({group})")
    assert form.area_label("no-such-area") == "no-such-area"
    first_id, first_name = next(iter(form.areas.items()))
    assert form.area_named(f"  {first_name.upper()} ") == first_id
    assert form.area_named("Ingenstans") is None


def test_the_pick_grid_is_every_areas_cells_and_the_map_shows_one_group(demo_con):
    grid = pick_grid(runner(demo_con))
    expected = pd.DataFrame(obs_mod.pick_cells(geo.load_areas(demo_con)))
    assert grid.cells.equals(expected)
    assert grid.area_of[grid.cells["hex"].iloc[0]] == grid.cells["area_id"].iloc[0]
    form = observation_form(runner(demo_con))
    group = next(iter(form.groups))
    shown = pick_map(grid, form, group)
    in_group = {a for a, g in form.area_group_of.items() if g == group}
    assert shown.cells and {grid.area_of[c] for c in shown.cells} <= in_group
    assert len(shown.boundaries) == len(grid.boundaries)  # every boundary is drawn
    assert shown.view.zoom > pick_map(grid, form, "no-such-group").view.zoom


def test_missing_lists_the_unanswered_questions_in_the_forms_order():
    assert entry().missing() == ()
    blank = entry(category=None, area_id=None, part="exact", org=None, named=False)
    assert blank.missing() == (
        "observation.what",
        "observation.where",
        "observation.time",
        "observation.org",
        "auth.your_name",
    )
    assert entry(area_id=None, cell="8808866f63fffff").missing() == ()
    assert entry(part="exact", time=dt.time(21, 5)).missing() == ()


def test_personal_data_is_named_in_a_fixed_order_and_shown_masked():
    found = entry(text="Ring 070-123 45 67", place="kim.kanarie@example.se")
    assert found.personal_data() == ("phone", "email")
    assert found.masked_text() == "Ring [telefonnummer]"
    assert entry().personal_data() == () and entry().masked_text() == ""


def test_the_observation_prefers_a_picked_cell_and_a_time():
    saved = entry(cell="8808866f63fffff", part="exact", time=dt.time(21, 5)).observation()
    assert saved.area_id is None and saved.cell == "8808866f63fffff"
    assert saved.day_part is None and saved.time == dt.time(21, 5)
    by_part = entry().observation()
    assert by_part.area_id == "centrum" and by_part.day_part == "evening"
    assert not entry().has_consequences() and entry(people=2).has_consequences()
    with pytest.raises(ValueError):
        entry(category=None).observation()
