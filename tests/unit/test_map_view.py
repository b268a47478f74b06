"""Karta's view without Streamlit: framing, what is drawn and counted, the legend, the hotspot
table's names and the events behind a chosen cell or area."""

import datetime as dt

import pandas as pd
import pytest

from safetycore import hotspots, maps, queries
from safetycore import map_view as mv
from safetycore.filters import Filter
from tests.conftest import DEMO_END

LAST_28 = Filter(start=DEMO_END - dt.timedelta(days=27), end=DEMO_END)
LAST_365 = Filter(start=DEMO_END - dt.timedelta(days=364), end=DEMO_END)


@pytest.fixture(scope="module")
def run(demo_con):
    def run(name, flt=None, **extra):
        return queries.run(demo_con, name, flt, **extra)

    return run


def test_framing_frames_the_filters_areas_and_picks_a_readable_cell_size(run):
    everything = mv.map_framing(run, LAST_28)
    one_area = mv.map_framing(run, Filter(LAST_28.start, LAST_28.end, areas=("centrum",)))
    assert everything.default_resolution in mv.RESOLUTIONS
    assert one_area.zoom > everything.zoom  # one area is framed closer than the municipality
    assert one_area.default_resolution >= everything.default_resolution
    unknown = mv.map_framing(run, Filter(LAST_28.start, LAST_28.end, areas=("nowhere",)))
    assert unknown == everything  # an area not found frames them all


def test_cells_are_drawn_and_counted_as_the_coverage_query_says(run):
    view = mv.map_view(run, LAST_28, today=DEMO_END)
    coverage = run("map_coverage", LAST_28).iloc[0]
    assert (view.total, view.drawable) == (int(coverage["total"]), int(coverage["drawable"]))
    assert view.not_drawn == view.total - view.drawable
    assert view.draw_cells and not view.too_many_points and view.points.empty
    assert view.shown == ("cells", len(view.cells)) and view.fill is None
    assert sum(view.cells["n"]) == view.drawable
    kinds = [i.code for i in view.legend if i.what == "kind"]
    assert kinds == ["incident", "qol"] and any(i.what == "mix" for i in view.legend)


def test_points_above_the_cap_fall_back_to_cells(run, monkeypatch):
    view = mv.map_view(run, LAST_365, layer="points", today=DEMO_END)
    assert 0 < len(view.points) == view.drawable <= mv.POINT_CAP
    assert not view.draw_cells and view.shown == ("points", view.drawable)
    monkeypatch.setattr(mv, "POINT_CAP", 100)
    capped = mv.map_view(run, LAST_365, layer="points", today=DEMO_END)
    assert capped.too_many_points and capped.draw_cells and capped.points.empty


def test_areas_layer_fills_by_the_chosen_measure(run):
    view = mv.map_view(run, LAST_28, layer="areas", measure="rate", today=DEMO_END)
    counts = run("map_areas", LAST_28).set_index("area_id")
    assert view.fill.to_dict() == counts["rate"].fillna(0.0).to_dict()
    assert view.shown == ("areas", int((counts["n"] > 0).sum()))
    assert view.legend[0] == mv.LegendItem("scale", peak=float(view.fill.max()))
    assert view.legend[1] == mv.LegendItem("measure", code="rate")
    assert view.pick_options[-len(counts) :] == tuple(f"area:{a}" for a in counts.index)


def test_category_legend_lists_the_drawn_categories_commonest_first(run):
    view = mv.map_view(run, LAST_28, colour_by="category", today=DEMO_END)
    codes = [i.code for i in view.legend if i.what == "category"]
    assert codes == list(view.cells["top_category"].value_counts().index)
    palette = maps.category_colour_map(list(run("categories")["code"]))
    assert all(i.rgb == tuple(palette[i.code]) for i in view.legend if i.what == "category")


def test_actions_are_shown_only_when_asked(run):
    shown = mv.map_view(run, LAST_365, today=DEMO_END)
    hidden = mv.map_view(run, LAST_365, show_actions=False, today=DEMO_END)
    assert hidden.actions.empty and not any(i.what == "actions" for i in hidden.legend)
    assert not shown.actions.empty and shown.legend[-1].what == "actions"


def test_hotspot_rows_are_one_a_place_with_the_space_time_status(run):
    found = tuple(hotspots.for_filter(run, LAST_28))
    view = mv.map_view(run, LAST_28, found, resolution=8, today=DEMO_END)
    rows = view.hotspot_rows
    assert rows["label"].is_unique and rows["n"].sum() == view.hotspots["n"].sum()
    status = hotspots.status_by_cell(list(found), 8)
    for cell, state, since in zip(rows["cell"], rows["status"], rows["since"], strict=True):
        assert (state, since) == status.get(cell, ("", ""))
    assert set(view.hot_names) == set(view.hotspots["cell"])


def test_hotspot_names_number_a_second_cell_of_one_place():
    frame = pd.DataFrame(
        {"cell": ["a", "b", "c"], "place": ["Busstation", "Busstation", ""], "area": ["X"] * 3}
    )
    assert mv.hotspot_names(frame) == {"a": "Busstation", "b": "Busstation (2)", "c": "X"}


def test_selecting_an_area_or_a_cell_lists_its_events(run):
    area = mv.selection(run, LAST_28, ("area", "centrum", None), {})
    assert area.target_area == "centrum" and area.place == ""
    assert not area.events.empty and set(area.events["area_id"]) == {"centrum"}
    view = mv.map_view(run, LAST_28, resolution=8, today=DEMO_END)
    cell = view.hotspots["cell"][0]
    chosen = mv.selection(run, LAST_28, ("cell", cell, 8), view.hot_names)
    assert chosen.place == view.hot_names[cell]
    assert len(chosen.events) == view.hotspots["n"][0]
    assert chosen.target_area == chosen.events["area_id"].mode().iloc[0]
    assert not chosen.capped
