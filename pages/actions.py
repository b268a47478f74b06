"""Åtgärder: open tasks per area group."""

import streamlit as st

from ui import data
from ui.filters import current_filter
from ui.format import number
from ui.i18n import t

flt = current_filter()
today = data.reference_date()
groups = list(flt.area_groups) or None
st.title(t("actions.title"))

counts = data.query("action_counts_by_group", groups=groups, today=today)
left, right = st.columns(2)
left.metric(t("actions.open"), number(int(counts["open"].sum())))
right.metric(t("actions.overdue"), number(int(counts["overdue"].sum())))

st.subheader(t("actions.per_group"))
st.dataframe(
    counts[["area_group", "open", "overdue", "done"]], hide_index=True, width="stretch",
    column_config={"area_group": t("word.area_group"), "open": t("actions.open"),
                   "overdue": t("actions.overdue"), "done": t("actions.done")},
)
st.subheader(t("actions.list"))
actions = data.query("open_actions", groups=groups, today=today)
st.dataframe(
    actions[["title", "area_group", "area", "status", "priority", "owner_org", "due_date", "overdue"]],
    hide_index=True, width="stretch",
    column_config={"title": t("actions.title_col"), "area_group": t("word.area_group"),
                   "area": t("word.area"), "status": t("actions.status"),
                   "priority": t("actions.priority"), "owner_org": t("actions.owner"),
                   "due_date": t("actions.due"), "overdue": t("actions.overdue")},
)
