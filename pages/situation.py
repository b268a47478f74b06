"""Lägesbild: the week at a glance for the situation meeting."""

import streamlit as st

from safetycore import charts
from safetycore.analysis import MIN_COUNT_FOR_PERCENT, compare, rate_per_1000
from safetycore.taxonomy import KINDS, kind_label
from ui import data
from ui.filters import current_filter
from ui.format import number
from ui.i18n import current_language, t

flt = current_filter()
lang = current_language()
st.title(t("situation.title"))
st.caption(t("situation.intro"))

now = data.query("kpi_by_kind", flt).set_index("kind")["n"]
before = data.query("kpi_by_kind", flt.previous_period()).set_index("kind")["n"]


def delta_text(current: int, previous: int) -> str:
    cmp = compare(current, previous)
    if cmp.too_small:
        return t("situation.vs_previous", diff=cmp.difference)
    return t("situation.vs_previous_pct", diff=cmp.difference, pct=cmp.percent)


columns = st.columns(3)
figures = [("total", int(now.sum()), int(before.sum()))] + [
    (kind, int(now.get(kind, 0)), int(before.get(kind, 0))) for kind in KINDS
]
for column, (key, current, previous) in zip(columns, figures, strict=True):
    label = t("situation.total") if key == "total" else kind_label(key, lang)
    column.metric(label, number(current), delta_text(current, previous), delta_color="inverse")
st.caption(t("situation.small_counts", n=MIN_COUNT_FOR_PERCENT))

weekly = data.query("weekly_by_kind", flt)
st.subheader(t("situation.weekly"))
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

st.subheader(t("situation.by_group"))
groups = data.query("counts_by_group", flt)
groups["rate"] = [rate_per_1000(n, p) for n, p in zip(groups["total"], groups["population"], strict=True)]
st.dataframe(
    groups[["area_group", "incidents", "qol", "total", "population", "rate"]],
    hide_index=True,
    width="stretch",
    column_config={
        "area_group": t("word.area_group"),
        "incidents": st.column_config.NumberColumn(kind_label("incident", lang)),
        "qol": st.column_config.NumberColumn(kind_label("qol", lang)),
        "total": st.column_config.NumberColumn(t("word.total")),
        "population": st.column_config.NumberColumn(t("word.population")),
        "rate": st.column_config.NumberColumn(t("situation.rate"), format="%.1f"),
    },
)
