"""Rapportera: a reporter's observation, phone-sized, in under a minute.

The view is ``safetycore.observation_view`` (the form's areas, the pick map, the entry's
checks); the sections are ``ui/observation_sections.py``.
"""

import streamlit as st

from safetycore.observation_view import Entry, observation_form
from ui import cache, entry
from ui import observation_sections as sections
from ui.filters import label_maps
from ui.i18n import t

entry.ensure()  # the first run after a server start: see ui/entry.py

labels = label_maps()
today = cache.reference_date()
form = cache.derived(observation_form)
st.title(t("observation.title"))

sections.reset_fields()
actor = sections.reporter()
sections.saved_note()
if actor is not None and not actor.can("report_observation"):
    st.warning(t("observation.cannot", reason=t("observation.read_only")))
    st.stop()

st.caption(t("observation.intro"))
category = sections.what(labels["categories"])
where = sections.where(form)
day, part, at_time = sections.when(today)
org, text = sections.who_and_what(labels["sources"])
cost, involved, people = sections.involvement()

filled = Entry(
    category=category,
    area_id=where.area_id,
    cell=where.cell,
    place=where.place,
    day=day,
    part=part,
    time=at_time,
    org=org,
    text=text,
    cost=cost,
    involved=involved,
    people=people,
    named=actor is not None,
)
sections.personal_data_warning(filled)
sections.save_button(filled, actor, form=form, labels=labels)
