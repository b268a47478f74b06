"""Lägesbild's frame: the shared screen's tighter layout, the header (title, week picker,
meeting toggle, the notice for a week without data), the report popover and the meeting's
step navigation. The sections themselves are in ``ui/lagesbild_overview.py`` and
``ui/lagesbild_group.py``."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from safetycore import report
from safetycore import situation as sit
from safetycore import situation_view as view
from safetycore.filters import Filter
from ui import data, meeting
from ui import state_keys as keys
from ui.i18n import t

# The shared screen runs by itself on 1920x1080: every step fits without scrolling, so the
# gaps between blocks are tighter than on the normal page (large type stays; ui/meeting.py).
MEETING_LAYOUT = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 0.6rem !important;
    padding-bottom: 0.2rem !important; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.7rem; }
[data-testid="stMetric"] { padding: 0.3rem 0.8rem !important; }
[data-testid="stMetricValue"] p { font-size: 2.6rem !important; }
[data-testid="stMainBlockContainer"] h3 { padding: 0.2rem 0 !important; }
[data-testid="stMainBlockContainer"] h2 { padding: 0.3rem 0 0.1rem 0 !important; }
</style>"""


def meeting_layout(in_meeting: bool) -> None:
    if in_meeting:
        st.html(MEETING_LAYOUT)


def _show_week(label: str) -> None:
    st.session_state[keys.WEEK] = label


def week_span(week: sit.Week) -> str:
    return t("situation.week_span", start=week.monday.isoformat(), end=week.sunday.isoformat())


def header(pick: view.WeekPick, in_meeting: bool):
    """Title, week picker and meeting toggle; returns the chosen week and the report column.

    A bound selectbox keeps its formatted option in the URL, so the options are the plain
    week labels."""
    head, picker, mode_col, report_col = st.columns(
        [3.2, 1.3, 1.1, 1.4], vertical_alignment="bottom"
    )
    choices = list(pick.choices)
    week_label = picker.selectbox(
        t("situation.week"),
        choices,  # never a running week by default
        index=choices.index(pick.default),
        key=keys.WEEK,
        bind="query-params",
        help=t("situation.week_help"),
        label_visibility="collapsed" if in_meeting else "visible",
    )
    week = sit.Week.parse(week_label)
    head.title(t("situation.title_week", week=week.number))
    if not in_meeting:  # on the shared screen the step line says it (one line less)
        head.caption(week_span(week))
    st.session_state[keys.MEETING_TOGGLE] = in_meeting
    mode_col.toggle(
        t("situation.meeting_toggle"),
        key=keys.MEETING_TOGGLE,
        on_change=meeting.toggle_from_widget,
        args=("_meeting_toggle",),
        help=t("situation.meeting_toggle_help"),
    )
    return week, report_col


def week_notices(pick: view.WeekPick, week: sit.Week) -> None:
    """A linked week that is no week, and a week without data, are said (not silently the
    default week)."""
    if pick.bad_week:
        st.warning(t("situation.week_bad", value=pick.bad_week, week=week.label))
    if pick.has_data(week.label):
        return
    if pick.last is None:
        st.info(t("situation.week_no_data_at_all"), icon=":material/info:")
        return
    notice, show = st.columns([4, 1.4], vertical_alignment="center")
    notice.info(
        t(
            "situation.week_no_data",
            week=week.label,
            start=week.monday.isoformat(),
            end=week.sunday.isoformat(),
            first=pick.first,
            last=pick.last,
        ),
        icon=":material/info:",
    )
    if pick.latest_listed:  # the latest week with data that the picker offers (not one running)
        show.button(
            t("situation.week_show_latest", week=pick.latest_listed),
            on_click=_show_week,
            args=(pick.latest_listed,),
            key="week-latest",
            width="stretch",
        )


def report_popover(column, week: sit.Week, flt: Filter, *, lang: str, today, k: int) -> None:
    """The week's report, made when a button is clicked.

    Its maker is bound with partial, not written as a lambda: Streamlit keeps it for the
    session until the next run, and a closure would keep everything this run computed."""
    make = partial(
        report.report_bytes,
        data.con(),
        week.label,
        flt,
        lang=lang,
        today=today,
        internal=False,
        min_cell=k,
    )
    with column.popover(t("situation.report"), width="stretch"):
        st.caption(t("situation.report_help"))
        for fmt, mime in (("html", "text/html"), ("pdf", "application/pdf")):
            st.download_button(
                t(f"situation.report_{fmt}"),
                data=partial(make, fmt=fmt),
                file_name=f"lagesbild-{week.label}.{fmt}",
                mime=mime,
                on_click="ignore",
                width="stretch",
                key=f"report-{fmt}",
            )


def meeting_nav(
    ws: sit.WeekSituation, names: dict[str, str], summary: Callable[[sit.GroupWeek], str]
) -> str:
    """Previous / step line / next; returns the step shown (a presentation clicker sends
    PageUp / PageDown)."""
    group_ids = [g.id for g in ws.groups]
    step = meeting.current_step(group_ids)
    order = meeting.steps(group_ids)
    i, before, after = view.neighbours(order, step)
    nav_prev, nav_text, nav_next = st.columns([1, 3.8, 1], vertical_alignment="center")
    nav_prev.button(
        t("situation.prev"),
        key="meeting-prev",
        width="stretch",
        disabled=i == 0,
        on_click=meeting.go_to,
        args=(before,),
        shortcut="PageUp",
    )
    step_line = t("situation.step", i=i + 1, n=len(order), name=names[step])
    step_line += " · " + (
        week_span(ws.week) if step == meeting.OVERVIEW else summary(ws.group(step))
    )
    nav_text.markdown(f"### {step_line}")
    nav_next.button(
        t("situation.next"),
        key="meeting-next",
        width="stretch",
        type="primary",
        disabled=i == len(order) - 1,
        on_click=meeting.go_to,
        args=(after,),
        shortcut="PageDown",
    )
    return step
