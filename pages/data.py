"""Data: what is in the database, the events behind the current view, imports."""

import streamlit as st

from ui import data
from ui.filters import current_filter
from ui.format import number
from ui.i18n import t

flt = current_filter()
st.title(t("data.title"))

in_filter = int(data.query("kpi_by_kind", flt)["n"].sum())
st.metric(t("data.events_in_filter"), number(in_filter))

st.subheader(t("data.latest"))
events = data.query("events_list", flt, limit=1000)
st.dataframe(events, hide_index=True, width="stretch")

st.subheader(t("data.tables"))
st.dataframe(data.query("table_counts"), hide_index=True)
st.subheader(t("data.imports"))
batches = data.query("import_batches")
if batches.empty:
    st.caption(t("data.no_imports"))
else:
    st.dataframe(batches, hide_index=True, width="stretch")
