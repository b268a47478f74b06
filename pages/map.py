"""Karta: where events happen, as H3 cells over the area boundaries."""

import streamlit as st

from safetycore import maps
from ui import data
from ui.filters import current_filter
from ui.format import number
from ui.i18n import t

flt = current_filter()
st.title(t("map.title"))

coverage = data.query("map_coverage", flt).iloc[0]
cells = data.query("map_cells", flt, resolution=8)
boundaries = data.query("area_boundaries")

st.metric(t("map.drawn"), f"{number(int(coverage['drawable']))} / {number(int(coverage['total']))}")
st.caption(t("map.not_drawn", coarse=number(int(coverage["coarse"])),
             sensitive=number(int(coverage["sensitive"]))))

layers = [maps.boundary_layer(boundaries)]
if not cells.empty:
    layers.append(maps.hex_layer(cells))
tooltip = {"text": t("map.tooltip", n="{n}", incidents="{incidents}", qol="{qol}")}
st.pydeck_chart(maps.deck(layers, maps.view_for(boundaries), tooltip=tooltip), height=640)
