"""Åtgärder: open tasks per area group, follow-up, history, effect and the inventory.

The view is ``safetycore.action_board.action_board``; the sections are ``ui/action_board.py``,
the create form ``ui/action_form.py`` and the effect view ``ui/action_effect.py``.
"""

import streamlit as st

from safetycore.action_board import action_board
from ui import action_board as sections
from ui import cache, entry
from ui.action_effect import render_effect
from ui.action_form import render_action_form
from ui.auth import ask_name
from ui.filters import current_filter, label_maps
from ui.i18n import t

entry.ensure()  # the first run after a server start: see ui/entry.py

flt = current_filter()
today = cache.reference_date()
labels = label_maps()
orgs = labels["sources"]
st.title(t("actions.title"))

actor = ask_name()
owner = sections.owner_picker(orgs)
view = cache.derived(action_board, flt, today=today, owner=owner)
sections.totals(view)

tab_board, tab_new, tab_follow, tab_effect, tab_inventory = st.tabs(
    [
        t("actions.tab_board"),
        t("actions.tab_new"),
        t("actions.tab_follow"),
        t("actions.tab_effect"),
        t("actions.tab_inventory"),
    ]
)
with tab_board:
    sections.board(view, orgs=orgs, labels=labels)
with tab_new:
    render_action_form(actor, key="new_action", area_group_id=view.preset_group)
with tab_follow:  # status, reassign, note, close, history
    sections.follow_up(actor, view, orgs=orgs, labels=labels)
with tab_effect:
    render_effect(view.everything, labels=labels, today=today)
with tab_inventory:
    sections.inventory(view, orgs=orgs, labels=labels)
