"""The week's charts and maps, for the Lägesbild and the report: pure functions over the
figures of ``safetycore.situation`` (texts passed in). Kept apart from the figures so that the
command line and e-mails, which draw nothing, do not load the chart libraries.
"""

from __future__ import annotations

import json

import altair as alt
import h3
import pandas as pd

from safetycore import maps, palette
from safetycore.situation import Week


def trend_chart(
    weekly: pd.DataFrame,
    week: Week,
    *,
    kind_labels: dict[str, str],
    week_title: str,
    count_title: str,
    kind_title: str,
    height: int = 260,
    font_size: int = 14,
) -> alt.Chart:
    """Stacked bars per ISO week and kind for the last weeks; the selected week stands out."""
    data = weekly.assign(
        kind_label=weekly["kind"].map(kind_labels),
        week_no=weekly["iso_week"].str[-3:],
        selected=weekly["iso_week"] == week.label,
    )[["iso_week", "week_no", "kind", "kind_label", "n", "selected"]]
    colours = palette.KIND
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "iso_week:O",
                title=week_title,
                sort="ascending",
                axis=alt.Axis(labelAngle=0, labelExpr="slice(datum.value, 5)"),
            ),
            y=alt.Y("n:Q", title=count_title, stack="zero"),
            color=alt.Color(
                "kind_label:N",
                title=kind_title,
                scale=alt.Scale(
                    domain=[kind_labels[k] for k in colours], range=list(colours.values())
                ),
            ),
            opacity=alt.condition("datum.selected", alt.value(1.0), alt.value(0.45)),
            tooltip=[
                alt.Tooltip("iso_week:O", title=week_title),
                alt.Tooltip("kind_label:N", title=kind_title),
                alt.Tooltip("n:Q", title=count_title),
            ],
        )
    )
    return (
        chart.properties(height=height, width="container")
        .configure_axis(labelFontSize=font_size, titleFontSize=font_size)
        .configure_legend(labelFontSize=font_size, titleFontSize=font_size, orient="top")
    )


def category_chart(
    frame: pd.DataFrame,
    *,
    week_title: str,
    usual_title: str,
    category_title: str,
    height: int | None = None,
    font_size: int = 14,
) -> alt.Chart:
    """Horizontal bars of the week's count per category with a tick at the usual level."""
    height = height or max(120, int(font_size * 2.4) * len(frame))
    order = list(frame["label"])
    base = alt.Chart(frame).encode(y=alt.Y("label:N", title=category_title, sort=order))
    bars = base.mark_bar(color=palette.DOWN).encode(
        x=alt.X("week:Q", title=week_title, axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.condition("datum.flag == 'up'", alt.value(palette.UP), alt.value(palette.DOWN)),
        tooltip=[
            alt.Tooltip("label:N", title=category_title),
            alt.Tooltip("week:Q", title=week_title),
            alt.Tooltip("usual:Q", title=usual_title, format=".1f"),
        ],
    )
    ticks = base.mark_tick(color="#222", thickness=3, size=24).encode(x="usual:Q")
    return (
        (bars + ticks)
        .properties(height=height, width="container")
        .configure_axis(labelFontSize=font_size, titleFontSize=font_size, labelLimit=320)
    )


def group_deck(
    boundaries: pd.DataFrame, group_id: str, cells: pd.DataFrame, *, tooltip_text: str | None = None
):
    """A small map of one area group: its areas as the reference, the week's cells on top."""
    mine = boundaries[boundaries["area_group_id"] == group_id]
    layers = [maps.boundary_layer(mine)]
    view = maps.view_for(mine if len(mine) else boundaries)
    if len(cells):
        layers.append(maps.hex_layer(cells[["cell", "n", "incidents", "qol"]]))
        view = _view_of_cells(cells, fallback=view)
    tooltip = {"text": tooltip_text} if tooltip_text else None
    return maps.deck(layers, view, tooltip=tooltip)


def cells_box(cells: pd.DataFrame, *, pad: float = 0.6, min_span: float = 0.05) -> dict | None:
    """A GeoJSON polygon around the cells' centres with a margin (at least ``min_span``)."""
    if cells.empty:
        return None
    points = [h3.cell_to_latlng(c) for c in cells["cell"]]
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    lat_pad = max((max(lats) - min(lats)) * pad, min_span)
    lon_pad = max((max(lons) - min(lons)) * pad, min_span * 2)
    south, north = min(lats) - lat_pad, max(lats) + lat_pad
    west, east = min(lons) - lon_pad, max(lons) + lon_pad
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [west, north], [east, north], [east, south], [west, south]]
        ],
    }


def _view_of_cells(cells: pd.DataFrame, *, fallback, max_zoom: float = 11.5):
    """Frame the week's cells (with a margin) rather than the whole area group."""
    box = cells_box(cells)
    view = maps.view_for(pd.DataFrame({"boundary_geojson": [json.dumps(box)]}))
    if view.zoom < fallback.zoom:
        return fallback
    view.zoom = min(view.zoom, max_zoom)
    return view
