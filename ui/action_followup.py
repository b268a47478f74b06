"""Follow-up of one action: its details and history, the edit widgets (status, owner,
assignee, due date, priority, a note), closing it with an outcome, and a refused save on a
stale version shown with the current values.

``render_follow_up(actor, action_id, orgs=..., labels=...)`` draws it on the Actions page.
Saves go through ``safetycore.actions`` against the version the widgets were loaded from.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from safetycore import actions, disclosure
from safetycore.access import AccessDenied, Actor
from safetycore.formats import is_missing
from ui import ONLY_ON_SAVE, cache, data
from ui.action_shared import (
    error_box,
    error_lines,
    no_edit_caption,
    now,
    origin_label,
    priority_label,
    status_label,
)
from ui.filters import hidden_categories
from ui.format import number
from ui.i18n import t
from ui.text import md, show


def _fkey(action_id: int, name: str) -> str:
    return f"follow_{action_id}__{name}"


def _load(action_id: int) -> dict:
    """Read the action and set the edit widgets to its values (the version we edit against)."""
    ss = st.session_state
    current = actions.get_action(data.con(), action_id)
    ss[_fkey(action_id, "loaded")] = current
    ss[_fkey(action_id, "status")] = current["status"]
    ss[_fkey(action_id, "owner")] = current["owner_org"]
    ss[_fkey(action_id, "assignee")] = current["assignee"]
    ss[_fkey(action_id, "due")] = current["due_date"]
    ss[_fkey(action_id, "priority")] = current["priority"]
    ss[_fkey(action_id, "note")] = ""
    ss[_fkey(action_id, "outcome")] = ""
    ss[_fkey(action_id, "conflict")] = None
    return current


def _after_write(action_id: int, message: str) -> None:
    ss = st.session_state
    _load(action_id)
    ss[_fkey(action_id, "errors")] = []
    ss[_fkey(action_id, "message")] = message


def _on_error(action_id: int, exc: Exception) -> None:
    ss = st.session_state
    if isinstance(exc, actions.ActionConflict):
        ss[_fkey(action_id, "conflict")] = exc.current
        ss[_fkey(action_id, "errors")] = []
    else:
        ss[_fkey(action_id, "errors")] = error_lines(exc)


def _save_changes(action_id: int, actor: Actor) -> None:
    ss = st.session_state
    loaded = ss[_fkey(action_id, "loaded")]
    wanted = {
        "status": ss.get(_fkey(action_id, "status")),
        "owner_org": ss.get(_fkey(action_id, "owner")),
        "assignee": (ss.get(_fkey(action_id, "assignee")) or "").strip(),
        "due_date": ss.get(_fkey(action_id, "due")),
        "priority": ss.get(_fkey(action_id, "priority")),
    }
    changes = {k: v for k, v in wanted.items() if v != loaded[k]}
    note = ss.get(_fkey(action_id, "note")) or ""
    if not changes and not note.strip():
        ss[_fkey(action_id, "message")] = t("actions.edit.nothing")
        return
    try:
        actions.update_action(
            data.con(), actor, action_id, loaded["version"], changes, note=note, now=now()
        )
    except (actions.ActionError, AccessDenied) as exc:
        _on_error(action_id, exc)
        return
    _after_write(action_id, t("actions.edit.saved"))


def _close(action_id: int, actor: Actor) -> None:
    ss = st.session_state
    loaded = ss[_fkey(action_id, "loaded")]
    try:
        actions.close_action(
            data.con(),
            actor,
            action_id,
            loaded["version"],
            ss.get(_fkey(action_id, "outcome")) or "",
            status=ss.get(_fkey(action_id, "close_as")) or "done",
            now=now(),
        )
    except (actions.ActionError, AccessDenied) as exc:
        _on_error(action_id, exc)
        return
    _after_write(action_id, t("actions.edit.closed"))


def _value_text(name: str, value, labels: dict) -> str:
    """A stored value as the user reads it: codes as labels, lists joined, None as a dash."""
    if value is None or (not isinstance(value, list | tuple | str) and is_missing(value)):
        return "–"
    if name == "status":
        return status_label(value)
    if name == "priority":
        return priority_label(value)
    if name == "origin":
        return origin_label(value)
    if name == "owner_org":
        return labels["sources"].get(value, value)
    if name == "area_group_id":
        return labels["groups"].get(value, value)
    if name == "area_id":
        return labels["areas"].get(value, value)
    if name == "cost_sek":
        try:
            return f"{number(float(value))} kr"
        except ValueError:
            return str(value)
    if name == "target_categories":
        codes = value if isinstance(value, list | tuple) else str(value).split(", ")
        codes = disclosure.visible_codes([c.strip() for c in codes], hidden_categories())
        return ", ".join(labels["categories"].get(c, c) for c in codes if c) or "–"
    return str(value)


def _details(action: dict, labels: dict) -> None:
    names = (
        "status",
        "owner_org",
        "assignee",
        "due_date",
        "priority",
        "origin",
        "area_group_id",
        "area_id",
        "target_categories",
        "start_date",
        "cost_sek",
        "created",
        "outcome",
    )
    values = dict(action)
    values["created"] = f"{action['created_at']:%Y-%m-%d %H:%M} · {action['created_by']}"
    rows = [(t(f"actions.field.{n}"), _value_text(n, values.get(n), labels)) for n in names]
    st.dataframe(
        pd.DataFrame(rows, columns=["field", "value"]),
        hide_index=True,
        width="stretch",
        height="content",
        column_config={"field": t("actions.edit.field"), "value": t("actions.edit.details")},
    )
    if action.get("description"):
        show(action["description"])


def _history(action_id: int, labels: dict) -> None:
    log = cache.query("actions_history", action_id=action_id)
    st.markdown(f"**{t('actions.history')}**")
    if log.empty:
        st.caption(t("actions.edit.history_empty"))
        return
    shown = pd.DataFrame(
        {
            "changed_at": log["changed_at"].dt.strftime("%Y-%m-%d %H:%M"),
            "changed_by": log["changed_by"],
            "field": log["field"].map(lambda f: t(f"actions.field.{f}")),
            "old_value": [
                _value_text(f, v, labels)
                for f, v in zip(log["field"], log["old_value"], strict=True)
            ],
            "new_value": [
                _value_text(f, v, labels)
                for f, v in zip(log["field"], log["new_value"], strict=True)
            ],
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key=f"history_{action_id}",
        column_config={
            "changed_at": t("actions.edit.changed_at"),
            "changed_by": t("actions.edit.changed_by"),
            "field": t("actions.edit.field"),
            "old_value": t("actions.edit.old"),
            "new_value": t("actions.edit.new"),
        },
    )


def render_follow_up(actor: Actor | None, action_id: int, *, orgs: dict, labels: dict) -> None:
    """Details, edit widgets (status, reassign, due, priority, note), closing and history."""
    ss = st.session_state
    try:
        current = actions.get_action(data.con(), action_id)
    except actions.ActionNotFound:
        st.warning(t("actions.err.not_found"))
        return
    if ss.get(_fkey(action_id, "loaded")) is None:
        _load(action_id)
    loaded = ss[_fkey(action_id, "loaded")]

    st.subheader(md(current["title"]))
    left, right = st.columns([2, 3])
    with left:
        _details(current, labels)
    with right:
        _history(action_id, labels)

    message = ss.pop(_fkey(action_id, "message"), None)
    if message:
        st.success(message)
    conflict = ss.get(_fkey(action_id, "conflict"))
    if conflict:
        st.warning(t("actions.edit.conflict", who=md(conflict.get("last_changed_by") or "?")))
        _details(conflict, labels)
        st.button(
            t("actions.edit.reload"),
            key=_fkey(action_id, "reload"),
            on_click=_load,
            args=(action_id,),
        )
    error_box(ss.get(_fkey(action_id, "errors")))

    if actor is None:
        st.caption(t("actions.form.need_name"))
        return
    if not actor.can("edit_actions"):
        no_edit_caption(actor)
        return

    st.markdown(f"**{t('actions.edit.heading')}**")
    statuses = list(actions.OPEN_STATUSES)
    if loaded["status"] not in statuses:
        statuses.append(loaded["status"])
        st.caption(t("actions.edit.is_closed", status=status_label(loaded["status"])))
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.selectbox(
        t("actions.edit.status"),
        statuses,
        format_func=status_label,
        key=_fkey(action_id, "status"),
        on_change=ONLY_ON_SAVE,
    )
    c2.selectbox(
        t("actions.owner"),
        list(orgs),
        format_func=orgs.get,
        key=_fkey(action_id, "owner"),
        on_change=ONLY_ON_SAVE,
    )
    c3.text_input(t("actions.assignee"), key=_fkey(action_id, "assignee"), on_change=ONLY_ON_SAVE)
    c4.date_input(
        t("actions.due"), key=_fkey(action_id, "due"), format="YYYY-MM-DD", on_change=ONLY_ON_SAVE
    )
    c5.selectbox(
        t("actions.priority"),
        actions.PRIORITIES,
        format_func=priority_label,
        key=_fkey(action_id, "priority"),
        on_change=ONLY_ON_SAVE,
    )
    st.text_area(
        t("actions.edit.note"), key=_fkey(action_id, "note"), height=80, on_change=ONLY_ON_SAVE
    )
    st.button(
        t("actions.edit.save"),
        type="primary",
        key=_fkey(action_id, "save"),
        on_click=_save_changes,
        args=(action_id, actor),
    )

    if loaded["status"] in actions.OPEN_STATUSES:
        st.markdown(f"**{t('actions.edit.close')}**")
        c1, c2 = st.columns([1, 3])
        c1.selectbox(
            t("actions.edit.close_as"),
            actions.CLOSED_STATUSES,
            format_func=status_label,
            key=_fkey(action_id, "close_as"),
            on_change=ONLY_ON_SAVE,
        )
        c2.text_area(
            t("actions.edit.outcome"),
            key=_fkey(action_id, "outcome"),
            height=80,
            on_change=ONLY_ON_SAVE,
        )
        st.button(
            t("actions.edit.close_button"),
            key=_fkey(action_id, "close"),
            on_click=_close,
            args=(action_id, actor),
        )
