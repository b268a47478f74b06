"""Lägesbild: the week for the situation meeting, area group by area group.

Normal mode shows the whole week on one page; meeting mode (``?mode=meeting``) shows the
overview and then one area group at a time, in large type, under the shared-screen rules.
The week's figures come from ``safetycore.situation.week_situation``, the page's other rules
from ``safetycore.situation_view``; the sections are in ``ui/lagesbild_*.py``.
"""

from dataclasses import replace

import streamlit as st

from safetycore import situation as sit
from safetycore import situation_view as view
from ui import cache, entry, meeting
from ui import events as events_ui
from ui import lagesbild_layout as layout
from ui.auth import ask_name, current_actor, viewer_actor
from ui.cost_sections import render as render_costs
from ui.filters import current_filter
from ui.i18n import current_language, t
from ui.lagesbild_group import group_section, group_summary, group_tabs
from ui.lagesbild_overview import overview
from ui.text import md

entry.ensure()  # the first run after a server start: see ui/entry.py

lang = current_language()
today = cache.reference_date()
in_meeting = meeting.meeting_mode()
flt = current_filter()
if not viewer_actor().sees_sensitive:
    flt = replace(flt, include_sensitive=False)
k = meeting.min_cell()
layout.meeting_layout(in_meeting)

# --- Header: title, week picker, meeting toggle, report ----------------------------------------
# Every week back to the first with data can be chosen; a week a link names is shown even
# without data, with a notice saying so (safetycore.situation_view.week_pick).
pick = view.week_pick(
    cache.query("situation_data_weeks", flt),
    today,
    meeting.include_current_week(),
    st.query_params.get("week"),
)
week, report_col = layout.header(pick, in_meeting)
layout.week_notices(pick, week)

events_ui.open_events_section(meeting=in_meeting)  # open händelser first (ui/events.py)

ws = cache.derived(sit.week_situation, week, flt, today=today, meeting=in_meeting, min_cell=k)
if ws.partial:
    st.info(t("signals.partial_week", days=round(ws.elapsed * 7)))
boundaries = cache.keyed_query("area_boundaries")
layout.report_popover(report_col, week, flt, lang=lang, today=today, k=k)

actor = current_actor()
if actor is None and not in_meeting:  # the name field is in the sidebar
    actor = ask_name()

# --- Layout ------------------------------------------------------------------------------------
if in_meeting:
    names = {meeting.OVERVIEW: t("situation.overview"), **{g.id: md(g.name) for g in ws.groups}}
    step = layout.meeting_nav(ws, names, group_summary)
    if step == meeting.OVERVIEW:
        overview(ws)  # the week's costs are left to Trender: the overview must fit one screen
    else:
        group_section(ws, ws.group(step), actor, boundaries)
    st.caption(t("situation.meeting_rules", k=k))
else:
    st.caption(t("situation.intro"))
    overview(ws)
    render_costs(sit.week_filter(flt, week.monday, week.sunday), compact=True)
    st.divider()
    if not ws.groups:
        st.info(t("situation.no_groups"))
    else:
        group_tabs(ws, actor, boundaries)
