"""Rapportera: a reporter's observation form (built in the Collect step)."""

import streamlit as st

from ui.i18n import t

st.title(t("observation.title"))
st.info(t("observation.coming"))
