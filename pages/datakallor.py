"""Data: the events behind the current view, imports (upload, history, undo), data quality.

The view is ``safetycore.sources_view.sources_view``; the sections are in
``ui/sources_sections.py``.
"""

import streamlit as st

from safetycore.sources_view import sources_view
from ui import cache, entry
from ui import sources_sections as sections
from ui.filters import current_filter, label_maps
from ui.i18n import current_language, t
from ui.jobs import schedule_section as jobs_section

entry.ensure()  # the first run after a server start: see ui/entry.py

flt = current_filter()
lang = current_language()
labels = label_maps()
today = cache.reference_date()
st.title(t("data.title"))

view = cache.derived(sources_view, flt, today=today)
sections.summary(view)

tab_import, tab_history, tab_events, tab_quality = st.tabs(
    [
        t("data.tab_import"),
        t("data.tab_history"),
        t("data.tab_events"),
        t("data.tab_quality"),
    ]
)
with tab_import:
    sections.import_section(view, flt, lang)
with tab_history:
    sections.history_section(view, flt, labels["sources"], lang)
with tab_events:
    sections.events_section(view, flt, labels)
with tab_quality:
    sections.quality_section(view, labels, today)

# --- The scheduled police fetch: its state, last run and switch (ui/jobs.py) ---
jobs_section()
