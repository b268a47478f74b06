"""Trygghetsläget: the entry point. Page config, language, navigation, the shared sidebar."""

import streamlit as st

from safetycore.db import DatabaseBusy
from ui import cache, data, entry, jobs, memory
from ui import state_keys as keys
from ui.auth import can, disable_client_cache_clearing, gate, identity_sidebar
from ui.filters import language_picker, sidebar_filters
from ui.i18n import t
from ui.meeting import apply_meeting_style, meeting_mode

st.set_page_config(page_title="Trygghetsläget", page_icon="🛡️", layout="wide")
data.start_run()
memory.keep_returning_free_memory()  # once per server process
disable_client_cache_clearing()  # a browser's "clear cache" must not drop the connection


def database_busy() -> None:
    st.error(t("app.db_busy"))


try:
    data.con()
except DatabaseBusy:
    st.navigation([st.Page(database_busy, title=t("app.title"))], position="hidden").run()
    st.stop()
jobs.start_server_jobs()  # once per server process: scheduled jobs, commands answered (ui/jobs.py)

blocked = gate()  # with login configured: the login screen until the user has a role
if blocked is not None:
    st.navigation([st.Page(blocked, title=t("app.title"))], position="hidden").run()
    st.stop()

# Each page file is named as its URL: on the first run after a server start Streamlit looks
# pages up in the pages/ folder by file name, and a deep link then finds its page (which hands
# over to this script, see ui/entry.py). The default page answers at "/" only (Streamlit gives it
# the empty address whatever its url_path says), so Lägesbild has a second, hidden entry at its
# documented address /lagesbild; without it that link meets Streamlit's "Page not found".
situation = [
    st.Page(
        "pages/lagesbild.py",
        title=t("nav.situation"),
        icon=":material/dashboard:",
        url_path=entry.SITUATION_DEFAULT_PATH,  # reserved, never shown: the default is "/"
        default=True,
    ),
    entry.situation_alias(t("nav.situation")),
]
pages = [
    st.Page("pages/karta.py", title=t("nav.map"), icon=":material/map:", url_path="karta"),
    st.Page(
        "pages/trender.py", title=t("nav.trends"), icon=":material/trending_up:", url_path="trender"
    ),
    st.Page(
        "pages/arsrapport.py",
        title=t("yearly.nav"),
        icon=":material/event_note:",
        url_path="arsrapport",
    ),
    st.Page(
        "pages/atgarder.py", title=t("nav.actions"), icon=":material/task_alt:", url_path="atgarder"
    ),
    st.Page(
        "pages/handelser.py",
        title=t("events.title"),
        icon=":material/emergency:",
        url_path="handelser",
    ),
    st.Page(
        "pages/rapportera.py",
        title=t("nav.observation"),
        icon=":material/edit_note:",
        url_path="rapportera",
    )
    if can("report_observation")
    else None,
    st.Page(
        "pages/datakallor.py",
        title=t("nav.data"),
        icon=":material/database:",
        url_path="datakallor",
    ),
    st.Page(
        "pages/administration.py",
        title=t("nav.admin"),
        icon=":material/admin_panel_settings:",
        url_path="administration",
    )
    if can("admin")
    else None,
]
# A role sees only the pages it may use; the shared screen shows the meeting and nothing else.
pages = situation + ([] if meeting_mode() else [p for p in pages if p is not None])
page = st.navigation(pages)
if meeting_mode():  # the shared screen: no sidebar, large type (ui/meeting.py)
    apply_meeting_style()
language_picker()
identity_sidebar()  # at the top, seen without scrolling: the name is asked here once

st.session_state[keys.FILTER] = sidebar_filters()
if cache.is_demo():  # on the shared screen a line, not a box: the screen's height is the meeting's
    if meeting_mode():
        st.caption(t("app.demo_banner"))
    else:
        st.info(t("app.demo_banner"), icon=":material/info:")
with entry.running_page(page.url_path):
    page.run()
