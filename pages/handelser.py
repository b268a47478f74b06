"""Händelser: quick coordination after a serious event (safetycore/events.py).

Everyone sees the open events, their organisations, tasks and log; coordinators open events,
delegate tasks with deadlines in hours, write notes, invite and release organisations, close.
The views are ``safetycore.events_view``; the sections are ``ui/events_sections.py``.
"""

import streamlit as st

from safetycore import events_view
from safetycore.actions import owner_orgs
from ui import cache, data, entry
from ui import events_sections as sections
from ui.auth import viewer_actor
from ui.i18n import current_language, t
from ui.notify import show_flash

entry.ensure()  # the first run after a server start: see ui/entry.py

lang = current_language()
now = sections.minute_now()
may_edit = viewer_actor().can("edit_actions")
orgs = tuple(owner_orgs(data.con()))
listing = cache.derived(events_view.event_list, now)

st.title(t("events.title"))
st.caption(t("events.intro"))
show_flash()
if not listing.any_open:
    st.info(t("events.none_open"), icon=":material/info:")

if may_edit:
    sections.new_event_form(listing, orgs=orgs, lang=lang)
else:
    st.caption(t("events.view_only"))

if listing.empty:
    st.stop()

chosen = sections.event_picker(listing)
view = cache.derived(events_view.event_page, chosen, now, orgs)
sections.header(view)
sections.organisations(view, lang=lang)
sections.tasks(view, lang=lang)
sections.log(view, lang=lang)

if not (may_edit and view.is_open):
    st.stop()

# The coordinator's tools.
sections.task_and_note_forms(view, orgs=orgs, lang=lang)
sections.invite_and_release_forms(view, lang=lang)
sections.close_form(view)
