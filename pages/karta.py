"""Karta: where events happen — cells, points, areas and open actions — and the hotspots.

The view is ``safetycore.map_view.map_view``; the sections are in ``ui/map_sections.py``.
"""

import streamlit as st

from safetycore import map_view
from ui import cache, entry
from ui import map_sections as sections
from ui.filters import current_filter, label_maps
from ui.i18n import current_language, t

entry.ensure()  # the first run after a server start: see ui/entry.py

flt = current_filter()
lang = current_language()
labels = label_maps()
st.title(t("map.title"))

# The default hexagon size is the finest readable in the filter's areas, so a large
# municipality opens on large hexagons: the framing comes before the controls.
framing = cache.derived(map_view.map_framing, flt)
chosen = sections.controls(framing.default_resolution)
view, key = sections.view_for(flt, chosen, cache.reference_date())
sections.figures(view)

left, right = st.columns([1, 1.1])  # the hotspot table's seven columns whole at 1920 px
with left:
    sections.map_section(
        view, key, basemap=chosen.basemap, lang=lang, cat_labels=labels["categories"]
    )
with right:
    sections.hotspot_section(view, labels)

selected = sections.selection_section(flt, view, labels, lang)
sections.export_section(flt, view, selected)
