"""The Actions page's sections: "our tasks", the totals, the board per area group, the
follow-up picker and the inventory. Each takes the page's view
(``safetycore.action_board.ActionBoard``) and lays it out.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
import streamlit as st

from safetycore import disclosure, palette
from safetycore.access import Actor
from safetycore.action_board import ActionBoard, GroupBoard
from safetycore.actions import CLOSED_STATUSES
from ui.action_followup import render_follow_up
from ui.action_shared import origin_label, priority_label, status_label
from ui.filters import hidden_categories
from ui.format import number
from ui.i18n import t
from ui.text import md

# A board row's state as a coloured tag: read across the room on the shared screen, and
# cheap to draw (a styled table costs Streamlit a formatted copy of every cell on each rerun).
STATE_TAGS = palette.STATE_TAG
CLOSED_TAG = palette.CLOSED_TAG


def owner_picker(orgs: dict[str, str]) -> str | None:
    """ "Our tasks": one owner organisation (kept in the URL), or None for all."""
    owner = st.selectbox(
        t("actions.our_tasks"),
        ["", *orgs],
        key="owner",
        bind="query-params",
        format_func=lambda o: orgs.get(o, t("actions.all_orgs")),
    )
    return owner or None


def totals(view: ActionBoard) -> None:
    m1, m2, m3 = st.columns(3)
    m1.metric(t("actions.open"), number(view.open))
    m2.metric(t("actions.overdue"), number(view.overdue))
    m3.metric(t("actions.due_week"), number(view.due_week))


def category_text(codes: object, labels: dict, hidden: Collection[str]) -> str:
    """A list of codes, or a missing value (NULL / NA) when an action names no category."""
    return ", ".join(
        labels["categories"].get(c, c) for c in disclosure.visible_codes(codes, hidden)
    )


def state_tag(state: str, status: str) -> str:
    return t(f"actions.state_{state}") if state != "closed" else status_label(status)


def board_frame(
    frame: pd.DataFrame, *, orgs: dict, labels: dict, hidden: Collection[str]
) -> pd.DataFrame:
    """Codes to labels, in the columns the meeting reads."""
    return pd.DataFrame(
        {
            "state": [
                [state_tag(s, status)]
                for s, status in zip(frame["state"], frame["status"], strict=True)
            ],
            "title": frame["title"],
            "status": frame["status"].map(status_label),
            "owner_org": frame["owner_org"].map(lambda o: orgs.get(o, o)),
            "assignee": frame["assignee"],
            "due_date": frame["due_date"],
            # Text, so a task that is not late shows an empty cell rather than a grey "None".
            "days_late": frame["days_late"].map(lambda d: "" if pd.isna(d) else str(int(d))),
            "priority": frame["priority"].map(priority_label),
            "origin": frame["origin"].map(origin_label),
            "area": frame["area"].fillna(t("actions.whole_group")),
            "categories": frame["target_categories"].map(
                lambda codes: category_text(codes, labels, hidden)
            ),
        }
    )


def board_columns() -> dict:
    """The board's column headings, and the state column's tags with their colours."""
    tags = {state_tag(state, ""): colour for state, colour in STATE_TAGS.items()}
    tags.update({status_label(status): CLOSED_TAG for status in CLOSED_STATUSES})
    return {
        "state": st.column_config.MultiselectColumn(
            t("actions.state"), options=list(tags), color=list(tags.values())
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


def _group_section(part: GroupBoard, view: ActionBoard, shown: pd.DataFrame, columns: dict) -> None:
    st.subheader(md(part.name))
    badges = [f":blue-badge[{t('actions.badge_open', n=part.open)}]"]
    if part.overdue:
        badges.append(f":red-badge[{t('actions.badge_overdue', n=part.overdue)}]")
    if part.due_week:
        badges.append(f":orange-badge[{t('actions.badge_week', n=part.due_week)}]")
    st.markdown(" ".join(badges) + " " + t("actions.as_of", today=view.today.isoformat()))
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height="content",
        column_config=columns,
        key=f"board_{part.area_group_id}",
    )


def board(view: ActionBoard, *, orgs: dict, labels: dict) -> None:
    """The counts per area group, then each group's tasks (open ones, or all on request)."""
    st.caption(t("actions.group_filter_note"))
    st.dataframe(
        view.counts[["area_group", "open", "overdue", "due_week", "done"]],
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
    if view.board_empty(include_closed):
        st.info(t("actions.no_open"))
    hidden = hidden_categories()  # sensitive categories, for a role that may not see them
    columns = board_columns()
    for part in view.groups(include_closed):
        shown = board_frame(part.rows, orgs=orgs, labels=labels, hidden=hidden)
        _group_section(part, view, shown, columns)


def follow_up(actor: Actor | None, view: ActionBoard, *, orgs: dict, labels: dict) -> None:
    """Pick an action (closed ones too) and follow it up."""
    everything = view.everything
    if everything.empty:
        st.info(t("actions.no_actions"))
        return
    titles = dict(zip(everything["id"], everything["title"], strict=True))
    # The option text must not change when the action does (a save would otherwise reset the
    # choice), so it holds only the number and the title.
    chosen = st.selectbox(
        t("actions.edit.pick"),
        list(titles),
        key="follow_action",
        format_func=lambda i: f"{i} · {titles[i]}",
    )
    render_follow_up(actor, int(chosen), orgs=orgs, labels=labels)


def inventory(view: ActionBoard, *, orgs: dict, labels: dict) -> None:
    """Every measure per area group and owner: how many, open or closed, cost and kinds."""
    st.subheader(t("actions.inventory.heading"))
    st.caption(t("actions.inventory.intro"))
    c1, c2 = st.columns(2)
    c1.metric(t("actions.inventory.all_actions"), number(view.inventory_total))
    c2.metric(t("actions.inventory.total_cost"), f"{number(view.inventory_cost)} kr")
    frame, hidden = view.inventory, hidden_categories()
    shown = pd.DataFrame(
        {
            "area_group": frame["area_group"],
            "owner_org": frame["owner_org"].map(lambda o: orgs.get(o, o)),
            "total": frame["total"],
            "open": frame["open"],
            "done": frame["done"],
            "cancelled": frame["cancelled"],
            "cost_sek": frame["cost_sek"],
            "categories": frame["categories"].map(
                lambda codes: category_text(codes, labels, hidden)
            ),
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
