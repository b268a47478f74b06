"""pydeck Decks built from small aggregate DataFrames. Pure functions: no Streamlit, no I/O.

Maps work without internet: ``map_provider=None`` and the municipality's own area boundaries
as the reference layer. A basemap is opt-in (``basemap=True``).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pydeck as pdk

from safetycore import palette

BOUNDARY_LINE = [60, 60, 60, 200]
BOUNDARY_FILL = [235, 235, 230, 90]


def boundary_layer(
    boundaries: pd.DataFrame,
    *,
    fill_values: pd.Series | None = None,
    layer_id: str = "areas",
    pickable: bool = False,
    tips: pd.Series | None = None,
) -> pdk.Layer:
    """Area polygons; with ``fill_values`` (indexed by area id) a choropleth from white to red.

    ``tips`` (indexed by area id) gives each area's tooltip text (property ``tip``).
    """
    features = []
    peak = float(fill_values.max()) if fill_values is not None and len(fill_values) else 0.0
    for row in boundaries.itertuples(index=False):
        props = {"id": row.id, "name": row.name, "area_group": row.area_group_name}
        fill = BOUNDARY_FILL
        if fill_values is not None:
            value = float(fill_values.get(row.id, 0.0))
            share = value / peak if peak > 0 else 0.0
            fill = [255, int(245 - 190 * share), int(235 - 200 * share), 170]
            props["value"] = round(value, 2)
        props["fill"] = fill
        if tips is not None:
            props["tip"] = str(tips.get(row.id, row.name))
        features.append(
            {"type": "Feature", "properties": props, "geometry": json.loads(row.boundary_geojson)}
        )
    return pdk.Layer(
        "GeoJsonLayer",
        {"type": "FeatureCollection", "features": features},
        id=layer_id,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=BOUNDARY_LINE,
        line_width_min_pixels=1,
        pickable=pickable,
    )


def hex_layer(
    cells: pd.DataFrame,
    *,
    layer_id: str = "cells",
    pickable: bool = True,
    colours: pd.Series | None = None,
) -> pdk.Layer:
    """H3 cells coloured by count. ``cells`` has columns cell (H3 hex string) and n.

    With ``colours`` (one RGB list per row, e.g. from ``kind_colours``/``category_colours``)
    the hue comes from there and the opacity from the count.
    """
    data = cells.rename(columns={"cell": "hex"})
    peak = float(data["n"].max()) if len(data) else 1.0
    share = np.sqrt(data["n"] / peak)  # square root: small counts stay visible
    if colours is None:
        data["fill"] = [
            [255, int(220 - 200 * s), int(60 - 50 * s), int(110 + 120 * s)] for s in share
        ]
    else:
        data["fill"] = [
            list(rgb[:3]) + [int(150 + 105 * s)] for rgb, s in zip(colours, share, strict=True)
        ]
    return pdk.Layer(
        "H3HexagonLayer",
        data,
        id=layer_id,
        get_hexagon="hex",
        get_fill_color="fill",
        extruded=False,
        stroked=True,
        get_line_color=[255, 255, 255, 120],
        line_width_min_pixels=0.5,
        pickable=pickable,
        auto_highlight=True,
    )


def view_for(boundaries: pd.DataFrame, *, zoom: float | None = None) -> pdk.ViewState:
    """A view that frames all areas."""
    lats, lons = [], []
    for text in boundaries["boundary_geojson"]:
        coords = np.array(_all_coordinates(json.loads(text)))
        lons.extend([coords[:, 0].min(), coords[:, 0].max()])
        lats.extend([coords[:, 1].min(), coords[:, 1].max()])
    lat_span = max(lats) - min(lats)
    lon_span = max(lons) - min(lons)
    if zoom is None:
        span = max(lat_span * 2, lon_span)
        zoom = float(np.clip(np.log2(360 / max(span, 1e-3)) - 0.6, 3, 15))
    return pdk.ViewState(
        latitude=(max(lats) + min(lats)) / 2, longitude=(max(lons) + min(lons)) / 2, zoom=zoom
    )


def _all_coordinates(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [pt for ring in geometry["coordinates"] for pt in ring]
    return [pt for poly in geometry["coordinates"] for ring in poly for pt in ring]


def deck(
    layers: list[pdk.Layer],
    view: pdk.ViewState,
    *,
    tooltip: dict | None = None,
    basemap: bool = False,
) -> pdk.Deck:
    if basemap:
        return pdk.Deck(
            layers=layers,
            initial_view_state=view,
            map_provider="carto",
            map_style="light",
            tooltip=tooltip,
        )
    # map_provider=None with pydeck's default style sentinel: Streamlit then draws no basemap
    # and fetches nothing (an explicit map_style=None makes it fall back to a web basemap).
    return pdk.Deck(layers=layers, initial_view_state=view, map_provider=None, tooltip=tooltip)


# --- Colours, points and markers ------------------------------------------------------------

KIND_RGB = {kind: palette.rgb(colour) for kind, colour in palette.KIND.items()}
CATEGORY_PALETTE = palette.CATEGORY_RGB
ACTION_RGB = palette.ACTION_RGB


def category_colour_map(codes: list[str]) -> dict[str, list[int]]:
    """A stable colour per category code (in the order given, e.g. the taxonomy's order)."""
    return {code: CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)] for i, code in enumerate(codes)}


def kind_mix_colours(incidents: pd.Series, qol: pd.Series) -> list[list[int]]:
    """Per cell, a blend from the incident colour to the quality-of-life colour by share."""
    out = []
    for inc, q in zip(incidents, qol, strict=True):
        total = inc + q
        w = q / total if total else 0.5
        out.append(
            [
                int(a * (1 - w) + b * w)
                for a, b in zip(KIND_RGB["incident"], KIND_RGB["qol"], strict=True)
            ]
        )
    return out


def point_layer(
    points: pd.DataFrame, colours: list[list[int]], *, layer_id: str = "points"
) -> pdk.Layer:
    """Events as dots. ``points`` has lat, lon and tip (tooltip text), nothing free-text."""
    data = points[["id", "lat", "lon", "tip"]].copy()
    data["lat"] = data["lat"].round(5)
    data["lon"] = data["lon"].round(5)
    data["fill"] = [list(c[:3]) + [235] for c in colours]
    return pdk.Layer(
        "ScatterplotLayer",
        data,
        id=layer_id,
        get_position=["lon", "lat"],
        get_fill_color="fill",
        get_radius=25,
        radius_min_pixels=4,
        radius_max_pixels=9,
        stroked=True,
        get_line_color=[40, 40, 40, 160],
        line_width_min_pixels=0.5,
        opacity=1.0,
        pickable=True,
        auto_highlight=True,
    )


def action_layer(actions: pd.DataFrame, *, layer_id: str = "actions") -> pdk.Layer:
    """Open actions as rings (yellow with a dark edge, hollow): the cell under a ring keeps its
    colour, so a marker never hides the busiest cells. Columns lat, lon, tip."""
    data = actions[["id", "lat", "lon", "tip"]].copy()
    return pdk.Layer(
        "ScatterplotLayer",
        data,
        id=layer_id,
        get_position=["lon", "lat"],
        filled=False,
        stroked=True,
        get_line_color=ACTION_RGB + [255],
        line_width_min_pixels=3,
        line_width_max_pixels=3,
        get_radius=60,
        radius_min_pixels=9,
        radius_max_pixels=14,
        pickable=True,
    )


# Average H3 hexagon edge length in metres per resolution (h3 v4's tables).
HEX_EDGE_M = {6: 3_724.5, 7: 1_406.5, 8: 531.4, 9: 200.8, 10: 75.9}
READABLE_HEX_PX = 12


def hex_pixels(resolution: int, zoom: float, latitude: float) -> float:
    """How many screen pixels across a hexagon of ``resolution`` is in a view at ``zoom``
    (deck.gl's Web Mercator: the world is 512 px wide at zoom 0)."""
    metres_per_pixel = 40_075_016.7 * np.cos(np.radians(latitude)) / (512 * 2**zoom)
    return 2 * HEX_EDGE_M[resolution] / metres_per_pixel


def readable_resolution(
    zoom: float, latitude: float, choices=(7, 8, 9), min_px: float = READABLE_HEX_PX
) -> int:
    """The finest of ``choices`` whose hexagons are at least ``min_px`` across in the view,
    else the coarsest: the default hexagon size of a map, readable whatever the area spans."""
    readable = [r for r in choices if hex_pixels(r, zoom, latitude) >= min_px]
    return max(readable) if readable else min(choices)


def merge_hotspots_by_place(hotspots: pd.DataFrame, label: pd.Series) -> pd.DataFrame:
    """One row per place label: cells that carry the same label (two neighbouring cells of one
    bus station) are summed into one row (count and share added, recurrence the highest, the
    most common category of the busiest). ``label`` is each row's shown place."""
    frame = hotspots.assign(label=label.to_numpy())
    merged = (
        frame.sort_values("n", ascending=False, kind="stable")
        .groupby("label", sort=False)
        .agg(
            n=("n", "sum"),
            share=("share", "sum"),
            persistence=("persistence", "max"),
            top_category=("top_category", "first"),
            cell=("cell", "first"),
            cells=("cell", "count"),
        )
        .reset_index()
    )
    return merged.sort_values(
        ["n", "label"], ascending=[False, True], kind="stable", ignore_index=True
    )


def payload_bytes(deck_obj: pdk.Deck) -> int:
    """Size of the JSON Streamlit sends to the browser for this deck."""
    return len(deck_obj.to_json().encode("utf-8"))
