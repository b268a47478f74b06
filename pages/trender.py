"""Trender: how counts develop — series with last year, the comparison table, unusual weeks,
weekday × hour, seasonality and one small chart per area group.

The figures come from ``safetycore.trends.trends_view``; the sections are in
``ui/trends_sections.py``."""

import streamlit as st

from safetycore import trends
from ui import cache, entry
from ui import trends_sections as sections
from ui.cost_sections import render as render_costs
from ui.filters import current_filter, label_maps
from ui.i18n import t

entry.ensure()  # the first run after a server start: see ui/entry.py

flt = current_filter()
labels = label_maps()
st.title(t("trends.title"))

grain, split, show_last_year = sections.controls()
view = cache.derived(
    trends.trends_view,
    flt,
    grain,
    split,
    group_ids=tuple(labels["groups"]),
    categories=len(labels["categories"]),
    sources=len(labels["sources"]),
)
if view.too_many_weeks:
    st.info(t("trends.too_many_weeks"))
series = sections.labelled_series(view, split)

sections.headline(view)
sections.over_time(view, series, split, show_last_year)
sections.unusual_weeks(view.flags)
group_view, category_view = sections.comparison(view, flt)
sections.time_and_season(view)
render_costs(flt)  # what the problems cost and who is involved (ui/cost_sections.py)
sections.small_multiples(view)
sections.exports(view, flt, series, group_view, category_view)
