"""Åtgärder: open tasks per area group, follow-up, history, effect and the inventory."""

import pandas as pd
import streamlit as st

from safetycore import disclosure
from safetycore.actions import CLOSED_STATUSES
from ui import action_form as af
from ui import data, entry
from ui.auth import ask_name
from ui.filters import current_filter, hidden_categories, label_maps
from ui.format import number
from ui.i18n import current_language, t
from ui.text import md

entry.ensure()  # the first run after a server start: see ui/entry.py

flt = current_filter()
today = data.reference_date()
lang = current_language()
labels = label_maps(lang)
orgs = labels["sources"]
groups = list(flt.area_groups) or None
st.title(t("actions.title"))

actor = ask_name()
owner = st.selectbox(
    t("actions.our_tasks"),
    ["", *orgs],
    key="owner",
    bind="query-params",
    format_func=lambda o: orgs.get(o, t("actions.all_orgs")),
)
owner = owner or None

counts = data.query("action_counts_by_group", groups=groups, today=today, owner=owner)
m1, m2, m3 = st.columns(3)
m1.metric(t("actions.open"), number(int(counts["open"].sum())))
m2.metric(t("actions.overdue"), number(int(counts["overdue"].sum())))
m3.metric(t("actions.due_week"), number(int(counts["due_week"].sum())))

tab_board, tab_new, tab_follow, tab_effect, tab_inventory = st.tabs(
    [
        t("actions.tab_board"),
        t("actions.tab_new"),
        t("actions.tab_follow"),
        t("actions.tab_effect"),
        t("actions.tab_inventory"),
    ]
)


hidden = hidden_categories()  # sensitive categories, for a role that may not see them


def category_text(codes) -> str:
    # A list of codes, or a missing value (NULL / NA) when an action names no category.
    return ", ".join(
        labels["categories"].get(c, c) for c in disclosure.visible_codes(codes, hidden)
    )


# A board row's state as a coloured tag: read across the room on the shared screen, and
# cheap to draw (a styled table costs Streamlit a formatted copy of every cell on each rerun).
STATE_TAGS = {"overdue": "#e8594a", "week": "#f3a43b", "later": "#8fd19e", "nodue": "#c9cdd3"}


def state_tag(state: str, status: str) -> str:
    return t(f"actions.state_{state}") if state != "closed" else af.status_label(status)


def board_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Codes to labels, in the columns the meeting reads."""
    return pd.DataFrame(
        {
            "state": [
                [state_tag(s, status)]
                for s, status in zip(frame["state"], frame["status"], strict=True)
            ],
            "title": frame["title"],
            "status": frame["status"].map(af.status_label),
            "owner_org": frame["owner_org"].map(lambda o: orgs.get(o, o)),
            "assignee": frame["assignee"],
            "due_date": frame["due_date"],
            # Text, so a task that is not late shows an empty cell rather than a grey "None".
            "days_late": frame["days_late"].map(lambda d: "" if pd.isna(d) else str(int(d))),
            "priority": frame["priority"].map(af.priority_label),
            "origin": frame["origin"].map(af.origin_label),
            "area": frame["area"].fillna(t("actions.whole_group")),
            "categories": frame["target_categories"].map(category_text),
        }
    )


TAGS = {state_tag(state, ""): colour for state, colour in STATE_TAGS.items()}
TAGS.update({af.status_label(status): "#9bb8e0" for status in CLOSED_STATUSES})
BOARD_COLUMNS = {
    "state": st.column_config.MultiselectColumn(
        t("actions.state"), options=list(TAGS), color=list(TAGS.values())
    ),
    "title": t("actions.title_col"),
    "status": t("actions.status"),
    "owner_org": t("actions.owner"),
    "assignee": t("actions.assignee"),
    "due_date": st.column_config.DateColumn(t("actions.due"), format="YYYY-MM-DD"),
    "days_late": st.column_config.TextColumn(t("actions.days_late"), alignment="right"),
    "priority": t("actions.priority"),
    "origin": t("actions.origin"),
    "area": t("word.area"),
    "categories": t("actions.categories"),
}

# --- The board: per area group ----------------------------------------------------------------
with tab_board:
    st.caption(t("actions.group_filter_note"))
    st.dataframe(
        counts[["area_group", "open", "overdue", "due_week", "done"]],
        hide_index=True,
        width="stretch",
        column_config={
            "area_group": t("word.area_group"),
            "open": t("actions.open"),
            "overdue": t("actions.overdue"),
            "due_week": t("actions.due_week"),
            "done": t("actions.done"),
        },
    )
    include_closed = st.checkbox(t("actions.show_closed"), key="actions_show_closed")
    board = data.query(
        "actions_board", groups=groups, today=today, owner=owner, include_closed=include_closed
    )
    if board.empty:
        st.info(t("actions.no_open"))
    shown = board_frame(board)
    for row in counts.itertuples(index=False):
        part = shown[(board["area_group_id"] == row.area_group_id).to_numpy()]
        if part.empty:
            continue
        st.subheader(md(row.area_group))
        badges = [f":blue-badge[{t('actions.badge_open', n=int(row.open))}]"]
        if row.overdue:
            badges.append(f":red-badge[{t('actions.badge_overdue', n=int(row.overdue))}]")
        if row.due_week:
            badges.append(f":orange-badge[{t('actions.badge_week', n=int(row.due_week))}]")
        st.markdown(" ".join(badges) + " " + t("actions.as_of", today=today.isoformat()))
        st.dataframe(
            part,
            hide_index=True,
            width="stretch",
            height="content",
            column_config=BOARD_COLUMNS,
            key=f"board_{row.area_group_id}",
        )

# --- Create ---------------------------------------------------------------------------------
with tab_new:
    preset_group = flt.area_groups[0] if len(flt.area_groups) == 1 else None
    af.render_action_form(actor, key="new_action", area_group_id=preset_group)

# --- Follow up: status, reassign, note, close, history ----------------------------------------
everything = data.query(
    "actions_board", groups=groups, today=today, owner=owner, include_closed=True
)
with tab_follow:
    if everything.empty:
        st.info(t("actions.no_actions"))
    else:
        titles = dict(zip(everything["id"], everything["title"], strict=True))
        # The option text must not change when the action does (a save would otherwise reset
        # the choice), so it holds only the number and the title.
        chosen = st.selectbox(
            t("actions.edit.pick"),
            list(titles),
            key="follow_action",
            format_func=lambda i: f"{i} · {titles[i]}",
        )
        af.render_follow_up(actor, int(chosen), orgs=orgs, labels=labels)

# --- Effect -----------------------------------------------------------------------------------
with tab_effect:
    af.render_effect(everything, labels=labels, today=today)

# --- Inventory --------------------------------------------------------------------------------
with tab_inventory:
    st.subheader(t("actions.inventory.heading"))
    st.caption(t("actions.inventory.intro"))
    inventory = data.query("actions_inventory", groups=groups)
    c1, c2 = st.columns(2)
    c1.metric(t("actions.inventory.all_actions"), number(int(inventory["total"].sum())))
    c2.metric(t("actions.inventory.total_cost"), f"{number(float(inventory['cost_sek'].sum()))} kr")
    shown = pd.DataFrame(
        {
            "area_group": inventory["area_group"],
            "owner_org": inventory["owner_org"].map(lambda o: orgs.get(o, o)),
            "total": inventory["total"],
            "open": inventory["open"],
            "done": inventory["done"],
            "cancelled": inventory["cancelled"],
            "cost_sek": inventory["cost_sek"],
            "categories": inventory["categories"].map(category_text),
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height="content",
        column_config={
            "area_group": t("word.area_group"),
            "owner_org": t("actions.owner"),
            "total": t("actions.inventory.total"),
            "open": t("actions.inventory.open"),
            "done": t("actions.inventory.done"),
            "cancelled": t("actions.inventory.cancelled"),
            "cost_sek": st.column_config.NumberColumn(
                t("actions.inventory.cost"), format="localized"
            ),
            "categories": t("actions.inventory.kinds"),
        },
    )
