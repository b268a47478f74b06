"""Händelser: quick coordination after a serious event (safetycore/events.py).

Everyone sees the open events, their organisations, tasks and log; coordinators open events,
delegate tasks with deadlines in hours, write notes, invite and release organisations, close.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from safetycore import clock, events
from safetycore.access import AccessDenied
from safetycore.actions import owner_orgs
from safetycore.taxonomy import source_label
from ui import data, entry
from ui.auth import ask_name, viewer_actor
from ui.i18n import current_language, t
from ui.notify import FLASH_KEY, show_flash

entry.ensure()  # the first run after a server start: see ui/entry.py

lang = current_language()
now = clock.now(data.meta().get("timezone")).replace(tzinfo=None, second=0, microsecond=0)
viewer = viewer_actor()
may_edit = viewer.can("edit_actions")
orgs = owner_orgs(data.con())
groups = data.query("area_groups")
group_names = dict(zip(groups["id"], groups["name"], strict=True))


def org_label(code: str) -> str:
    return source_label(code, lang)


def when(value) -> str:
    return (
        "–" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")
    )


def error_text(exc: events.EventError) -> str:
    text = t(f"events.error.{exc.code}", **exc.params)
    return str(exc) if text.startswith("events.error.") else text


def done(message: str) -> None:
    st.session_state[FLASH_KEY] = (message, [])
    st.rerun()


def write(fn, *args, message: str, select: bool = False, **kwargs):
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
    if select:  # show the event just opened
        st.session_state["event"] = result
    done(message)
    return result


st.title(t("events.title"))
st.caption(t("events.intro"))
show_flash()

listing = data.query("handelse_list", None, now=now, closed_days=30)
if listing.empty or not (listing["status"] == "open").any():
    st.info(t("events.none_open"), icon=":material/info:")

# --- Open a new event ----------------------------------------------------------------------------
if may_edit:
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
            orgs,
            format_func=org_label,
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
else:
    st.caption(t("events.view_only"))

if listing.empty:
    st.stop()

# --- One event -----------------------------------------------------------------------------------
ids = [int(i) for i in listing["id"]]
by_id = listing.set_index("id")


def describe(event_id: int) -> str:
    row = by_id.loc[event_id]
    status = t(f"events.status_{row['status']}")
    return f"{row['title']} ({status}, {when(row['occurred_at'])})"


chosen = st.selectbox(t("events.choose"), ids, format_func=describe, key="event")
view = events.event_view(lambda name, **p: data.query(name, None, **p), chosen, now)
ev = view.event
st.subheader(ev["title"], anchor=False)
st.caption(
    t(
        "events.summary",
        place=ev["place"],
        when=when(ev["occurred_at"]),
        group=ev["area_group"],
        orgs=int(by_id.loc[chosen, "organisations"]),
        open=int(by_id.loc[chosen, "open_tasks"]),
        overdue=int(by_id.loc[chosen, "overdue_tasks"]),
    )
)
st.caption(t("events.details", at=when(ev["opened_at"]), by=ev["opened_by"]))
is_open = ev["status"] == "open"
if not is_open:
    st.success(
        t("events.closed_with", at=when(ev["closed_at"]), outcome=ev["outcome"]),
        icon=":material/task_alt:",
    )

active = view.organisations[view.organisations["released_at"].isna()]
released = view.organisations[view.organisations["released_at"].notna()]
left, right = st.columns(2)
left.markdown(f"**{t('events.taking_part')}**")
left.text("\n".join(org_label(o) for o in active["organisation"]) or "–")
right.markdown(f"**{t('events.released_list')}**")
right.text(
    "\n".join(
        f"{org_label(r.organisation)} ({when(r.released_at)})"
        for r in released.itertuples(index=False)
    )
    or "–"
)

st.markdown(f"**{t('events.tasks_title')}**")
if view.tasks.empty:
    st.caption(t("events.no_tasks"))
else:
    tasks = view.tasks.assign(
        owner_org=view.tasks["owner_org"].map(org_label),
        status=view.tasks["status"].map(lambda s: t(f"actions.status_label.{s}")),
        due_at=view.tasks["due_at"].map(when),
        overdue=view.tasks["overdue"].fillna(False).astype(bool),
    )[["title", "owner_org", "assignee", "status", "due_at", "overdue"]]
    st.dataframe(
        tasks,
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

st.markdown(f"**{t('events.log_title')}**")
log = view.log.assign(
    logged_at=view.log["logged_at"].map(when),
    entry=view.log["entry"].map(lambda e: t(f"events.entry.{e}")),
    organisation=view.log["organisation"].map(lambda o: org_label(o) if o else ""),
)[["logged_at", "logged_by", "entry", "organisation", "text"]]
st.dataframe(
    log,
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

if not (may_edit and is_open):
    st.stop()

# --- The coordinator's tools ---------------------------------------------------------------------
task_col, note_col = st.columns(2)
with task_col.form(f"event_task_{chosen}", clear_on_submit=True):
    st.markdown(f"**{t('events.task_form')}**")
    task_title = st.text_input(t("events.task_title"), max_chars=200, key="event_task_title")
    owner = st.selectbox(
        t("events.task_owner"), orgs, format_func=org_label, key="event_task_owner"
    )
    hours = st.number_input(
        t("events.task_hours"),
        min_value=1,
        max_value=events.MAX_HOURS,
        value=12,
        step=1,
        key="event_task_hours",
    )
    assignee = st.text_input(t("events.task_assignee"), max_chars=120, key="event_task_assignee")
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

invite_col, release_col = st.columns(2)
outside = [o for o in orgs if o not in set(active["organisation"])]
if outside:
    with invite_col.form(f"event_invite_{chosen}"):
        st.markdown(f"**{t('events.invite_form')}**")
        new_org = st.selectbox(
            t("events.col_org"), outside, format_func=org_label, key="event_invite_org"
        )
        if st.form_submit_button(t("events.invite_button")):
            write(
                events.invite,
                chosen,
                new_org,
                message=t("events.invite_done", org=org_label(new_org)),
            )
if not active.empty:
    with release_col.form(f"event_release_{chosen}"):
        st.markdown(f"**{t('events.release_form')}**")
        old_org = st.selectbox(
            t("events.col_org"),
            list(active["organisation"]),
            format_func=org_label,
            key="event_release_org",
        )
        if st.form_submit_button(t("events.release_button")):
            write(
                events.release,
                chosen,
                old_org,
                message=t("events.release_done", org=org_label(old_org)),
            )

with st.form(f"event_close_{chosen}"):
    st.markdown(f"**{t('events.close_form')}**")
    outcome = st.text_area(
        t("events.close_outcome"), max_chars=events.TEXT_MAX, key="event_outcome"
    )
    if st.form_submit_button(t("events.close_button")):
        write(events.close_event, chosen, outcome, message=t("events.close_done"))
