"""Trygghetsläget: the entry point. Page config, language, navigation, the shared sidebar."""

import streamlit as st

from safetycore.db import DatabaseBusy
from ui import data
from ui.auth import identity_sidebar
from ui.filters import language_picker, sidebar_filters
from ui.i18n import t

st.set_page_config(page_title="Trygghetsläget", page_icon="🛡️", layout="wide")

# Page URLs are Swedish and differ from the file names on purpose: Streamlit's legacy
# pages/ folder discovery would otherwise run a page file without this entry script.
pages = [
    st.Page(
        "pages/situation.py",
        title=t("nav.situation"),
        icon=":material/dashboard:",
        url_path="lagesbild",
        default=True,
    ),
    st.Page("pages/map.py", title=t("nav.map"), icon=":material/map:", url_path="karta"),
    st.Page(
        "pages/trends.py", title=t("nav.trends"), icon=":material/trending_up:", url_path="trender"
    ),
    st.Page(
        "pages/actions.py", title=t("nav.actions"), icon=":material/task_alt:", url_path="atgarder"
    ),
    st.Page(
        "pages/observation.py",
        title=t("nav.observation"),
        icon=":material/edit_note:",
        url_path="rapportera",
    ),
    st.Page(
        "pages/data.py", title=t("nav.data"), icon=":material/database:", url_path="datakallor"
    ),
]
page = st.navigation(pages)
language_picker()

try:
    data.con()
except DatabaseBusy:
    st.error(t("app.db_busy"))
    st.stop()

st.session_state["_filter"] = sidebar_filters()
identity_sidebar()
if data.is_demo():
    st.info(t("app.demo_banner"), icon=":material/info:")
page.run()
