"""pydeck Decks built from small aggregate DataFrames. Pure functions: no Streamlit, no I/O.

Maps work without internet: ``map_provider=None`` and the municipality's own area boundaries
as the reference layer. A basemap is opt-in (``basemap=True``).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pydeck as pdk

BOUNDARY_LINE = [60, 60, 60, 200]
BOUNDARY_FILL = [235, 235, 230, 90]


def boundary_layer(boundaries: pd.DataFrame, *, fill_values: pd.Series | None = None,
                   layer_id: str = "areas", pickable: bool = False) -> pdk.Layer:
    """Area polygons; with ``fill_values`` (indexed by area id) a choropleth from white to red."""
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
        features.append({"type": "Feature", "properties": props,
                         "geometry": json.loads(row.boundary_geojson)})
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


def hex_layer(cells: pd.DataFrame, *, layer_id: str = "cells", pickable: bool = True) -> pdk.Layer:
    """H3 cells coloured by count. ``cells`` has columns cell (H3 hex string) and n."""
    data = cells.rename(columns={"cell": "hex"})
    peak = float(data["n"].max()) if len(data) else 1.0
    share = np.sqrt(data["n"] / peak)  # square root: small counts stay visible
    data["fill"] = [
        [255, int(220 - 200 * s), int(60 - 50 * s), int(110 + 120 * s)] for s in share
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
    return pdk.ViewState(latitude=(max(lats) + min(lats)) / 2,
                         longitude=(max(lons) + min(lons)) / 2, zoom=zoom)


def _all_coordinates(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [pt for ring in geometry["coordinates"] for pt in ring]
    return [pt for poly in geometry["coordinates"] for ring in poly for pt in ring]


def deck(layers: list[pdk.Layer], view: pdk.ViewState, *, tooltip: dict | None = None,
         basemap: bool = False) -> pdk.Deck:
    if basemap:
        return pdk.Deck(layers=layers, initial_view_state=view, map_provider="carto",
                        map_style="light", tooltip=tooltip)
    # map_provider=None with pydeck's default style sentinel: Streamlit then draws no basemap
    # and fetches nothing (an explicit map_style=None makes it fall back to a web basemap).
    return pdk.Deck(layers=layers, initial_view_state=view, map_provider=None, tooltip=tooltip)
