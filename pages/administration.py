"""Admin: who has which role, the area configuration (groups, names, populations, aliases,
each change logged), the e-mail contacts, and the settings in force.

The view is ``safetycore.admin_view.admin_view``; the sections are in ``ui/admin_sections.py``
and, for e-mail, ``ui/notify.py``.
"""

import streamlit as st

from safetycore import admin_view
from safetycore.access import load_role_config
from ui import admin_sections as sections
from ui import cache, entry
from ui import notify as notify_ui
from ui.auth import current_actor, login_configured
from ui.i18n import t

entry.ensure()  # the first run after a server start: see ui/entry.py

st.title(t("admin.title"))
actor = current_actor()
if actor is None or not actor.can("admin"):
    st.error(t("auth.not_allowed"))
    st.stop()

login = login_configured()
view = cache.derived(admin_view.admin_view)
# The role file is read on every run, not cached: an edit to it shows at once.
sections.roles(view, actor, load_role_config(), login=login)
sections.areas(view)
sections.area_editor(view, actor)
notify_ui.contacts_section(actor)  # e-mail contacts and the digest's schedule
sections.settings(login=login)
