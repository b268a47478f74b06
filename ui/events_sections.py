"""Händelser's sections: the form that opens an event, the event picker, one event's header,
organisations, tasks and log, and the coordinator's forms. Each takes the page's views
(``safetycore.events_view.EventList`` / ``EventPage``) and small values; the writes go
through ``safetycore/events.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from safetycore import clock, events
from safetycore.access import AccessDenied
from safetycore.events_view import EventList, EventPage
from safetycore.taxonomy import source_label
from ui import cache, data
from ui.auth import ask_name
from ui.i18n import t
from ui.notify import FLASH_KEY

EVENT_KEY = "event"  # the chosen event's id (the picker's widget)


def minute_now() -> dt.datetime:
    """Now in the data's time zone to the minute, without the zone: the events' own clock."""
    return clock.now(cache.meta().get("timezone")).replace(tzinfo=None, second=0, microsecond=0)


def when(value: object) -> str:
    """A time as the page writes it, or a dash for none."""
    return (
        "–" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")
    )


def error_text(exc: events.EventError) -> str:
    text = t(f"events.error.{exc.code}", **exc.params)
    return str(exc) if text.startswith("events.error.") else text


def write(
    fn: Callable[..., Any], *args: Any, message: str, select: bool = False, **kwargs: Any
) -> Any:
    """Run one write of ``safetycore/events.py`` for the named actor; on success say
    ``message`` after the rerun (and with ``select`` show the event just opened)."""
    actor = ask_name()
    if actor is None:
        return None
    try:
        result = fn(data.con(), actor, *args, **kwargs)
    except events.EventError as exc:
        st.error(error_text(exc))
        return None
    except AccessDenied as exc:
        st.error(str(exc))
        return None
    if select:
        st.session_state[EVENT_KEY] = result
    st.session_state[FLASH_KEY] = (message, [])
    st.rerun()
    return result


def new_event_form(listing: EventList, *, orgs: Sequence[str], lang: str) -> None:
    """The coordinator's form that opens an event (open at first when there is none)."""
    now = listing.now
    group_names = listing.group_names
    with (
        st.expander(t("events.new_title"), expanded=listing.empty, icon=":material/emergency:"),
        st.form("event_new", clear_on_submit=True),
    ):
        title = st.text_input(
            t("events.field_title"),
            max_chars=events.TITLE_MAX,
            help=t("events.field_title_help"),
            key="event_title",
        )
        left, middle, right = st.columns([3, 2, 1])
        place = left.text_input(
            t("events.field_place"), max_chars=events.PLACE_MAX, key="event_place"
        )
        group = middle.selectbox(
            t("word.area_group"), list(group_names), format_func=group_names.get, key="event_group"
        )
        day = right.date_input(
            t("events.field_date"),
            value=now.date(),
            max_value=now.date(),
            format="YYYY-MM-DD",
            key="event_date",
        )
        hour = right.time_input(
            t("events.field_time"),
            value=now.time(),
            step=dt.timedelta(minutes=15),
            key="event_time",
        )
        taking_part = st.multiselect(
            t("events.field_orgs"),
            list(orgs),
            format_func=lambda code: source_label(code, lang),
            key="event_orgs",
            placeholder=t("events.field_orgs_placeholder"),
            select_all=False,
        )
        if st.form_submit_button(t("events.open_button"), type="primary"):
            write(
                events.open_event,
                title=title,
                place=place,
                area_group_id=group,
                occurred_at=dt.datetime.combine(day, hour),
                organisations=taking_part,
                message=t("events.opened"),
                select=True,
            )


def describe(listing: EventList, event_id: int) -> str:
    """An event in the picker: its title, status and time."""
    row = listing.row(event_id)
    status = t(f"events.status_{row['status']}")
    return f"{row['title']} ({status}, {when(row['occurred_at'])})"


def event_picker(listing: EventList) -> int:
    return st.selectbox(
        t("events.choose"),
        list(listing.ids),
        format_func=lambda event_id: describe(listing, event_id),
        key=EVENT_KEY,
    )


def header(view: EventPage) -> None:
    """The event's title, where and when, its counts, who opened it and how it ended."""
    ev = view.event
    st.subheader(ev["title"], anchor=False)
    st.caption(
        t(
            "events.summary",
            place=ev["place"],
            when=when(ev["occurred_at"]),
            group=ev["area_group"],
            orgs=view.organisations,
            open=view.open_tasks,
            overdue=view.overdue_tasks,
        )
    )
    st.caption(t("events.details", at=when(ev["opened_at"]), by=ev["opened_by"]))
    if not view.is_open:
        st.success(
            t("events.closed_with", at=when(ev["closed_at"]), outcome=ev["outcome"]),
            icon=":material/task_alt:",
        )


def organisations(view: EventPage, *, lang: str) -> None:
    """The organisations taking part and the released ones (with when), side by side."""
    left, right = st.columns(2)
    left.markdown(f"**{t('events.taking_part')}**")
    left.text("\n".join(source_label(o, lang) for o in view.active) or "–")
    right.markdown(f"**{t('events.released_list')}**")
    right.text(
        "\n".join(
            f"{source_label(r.organisation, lang)} ({when(r.released_at)})"
            for r in view.released.itertuples(index=False)
        )
        or "–"
    )


def tasks(view: EventPage, *, lang: str) -> None:
    st.markdown(f"**{t('events.tasks_title')}**")
    if view.tasks.empty:
        st.caption(t("events.no_tasks"))
        return
    frame = view.tasks.assign(
        owner_org=view.tasks["owner_org"].map(lambda o: source_label(o, lang)),
        status=view.tasks["status"].map(lambda s: t(f"actions.status_label.{s}")),
        due_at=view.tasks["due_at"].map(when),
        overdue=view.tasks["overdue"].fillna(False).astype(bool),
    )[["title", "owner_org", "assignee", "status", "due_at", "overdue"]]
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "title": t("events.col_title"),
            "owner_org": t("events.col_owner"),
            "assignee": t("events.col_assignee"),
            "status": t("events.col_status"),
            "due_at": t("events.col_due"),
            "overdue": st.column_config.CheckboxColumn(t("events.col_late")),
        },
    )


def log(view: EventPage, *, lang: str) -> None:
    st.markdown(f"**{t('events.log_title')}**")
    frame = view.log.assign(
        logged_at=view.log["logged_at"].map(when),
        entry=view.log["entry"].map(lambda e: t(f"events.entry.{e}")),
        organisation=view.log["organisation"].map(lambda o: source_label(o, lang) if o else ""),
    )[["logged_at", "logged_by", "entry", "organisation", "text"]]
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "logged_at": t("events.col_at"),
            "logged_by": t("events.col_by"),
            "entry": t("events.col_entry"),
            "organisation": t("events.col_org"),
            "text": t("events.col_text"),
        },
    )


def task_and_note_forms(view: EventPage, *, orgs: Sequence[str], lang: str) -> None:
    """Delegate a task with a deadline in hours; write a note in the log."""
    chosen = view.event_id
    task_col, note_col = st.columns(2)
    with task_col.form(f"event_task_{chosen}", clear_on_submit=True):
        st.markdown(f"**{t('events.task_form')}**")
        task_title = st.text_input(t("events.task_title"), max_chars=200, key="event_task_title")
        owner = st.selectbox(
            t("events.task_owner"),
            list(orgs),
            format_func=lambda code: source_label(code, lang),
            key="event_task_owner",
        )
        hours = st.number_input(
            t("events.task_hours"),
            min_value=1,
            max_value=events.MAX_HOURS,
            value=12,
            step=1,
            key="event_task_hours",
        )
        assignee = st.text_input(
            t("events.task_assignee"), max_chars=120, key="event_task_assignee"
        )
        if st.form_submit_button(t("events.task_button"), type="primary"):
            write(
                events.delegate_task,
                chosen,
                title=task_title,
                owner_org=owner,
                hours=int(hours),
                assignee=assignee,
                message=t("events.task_done"),
            )

    with note_col.form(f"event_note_{chosen}", clear_on_submit=True):
        st.markdown(f"**{t('events.note_form')}**")
        note = st.text_area(t("events.note_text"), max_chars=events.TEXT_MAX, key="event_note")
        if st.form_submit_button(t("events.note_button")):
            write(events.add_note, chosen, note, message=t("events.note_done"))


def invite_and_release_forms(view: EventPage, *, lang: str) -> None:
    """Invite an organisation not taking part; release one that is."""
    chosen = view.event_id
    invite_col, release_col = st.columns(2)
    if view.outside:
        with invite_col.form(f"event_invite_{chosen}"):
            st.markdown(f"**{t('events.invite_form')}**")
            new_org = st.selectbox(
                t("events.col_org"),
                list(view.outside),
                format_func=lambda code: source_label(code, lang),
                key="event_invite_org",
            )
            if st.form_submit_button(t("events.invite_button")):
                write(
                    events.invite,
                    chosen,
                    new_org,
                    message=t("events.invite_done", org=source_label(new_org, lang)),
                )
    if view.active:
        with release_col.form(f"event_release_{chosen}"):
            st.markdown(f"**{t('events.release_form')}**")
            old_org = st.selectbox(
                t("events.col_org"),
                list(view.active),
                format_func=lambda code: source_label(code, lang),
                key="event_release_org",
            )
            if st.form_submit_button(t("events.release_button")):
                write(
                    events.release,
                    chosen,
                    old_org,
                    message=t("events.release_done", org=source_label(old_org, lang)),
                )


def close_form(view: EventPage) -> None:
    """Close the event with what came of it."""
    with st.form(f"event_close_{view.event_id}"):
        st.markdown(f"**{t('events.close_form')}**")
        outcome = st.text_area(
            t("events.close_outcome"), max_chars=events.TEXT_MAX, key="event_outcome"
        )
        if st.form_submit_button(t("events.close_button")):
            write(events.close_event, view.event_id, outcome, message=t("events.close_done"))
