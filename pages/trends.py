"""Trender: how counts develop over weeks and months."""

import streamlit as st

from safetycore import charts
from safetycore.taxonomy import KINDS, kind_label
from ui import data
from ui.filters import current_filter
from ui.format import number
from ui.i18n import current_language, t

flt = current_filter()
lang = current_language()
st.title(t("trends.title"))

weekly = data.query("weekly_by_kind", flt)
st.metric(t("word.events"), number(int(weekly["n"].sum()) if not weekly.empty else 0))
st.subheader(t("trends.weekly"))
if weekly.empty:
    st.info(t("word.no_data"))
else:
    st.altair_chart(
        charts.weekly_by_kind(
            weekly, kind_labels={k: kind_label(k, lang) for k in KINDS},
            week_title=t("word.week"), count_title=t("word.count"), kind_title=t("word.kind"),
        ),
        width="stretch",
    )
