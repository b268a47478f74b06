"""The page's language over the label catalogue (``safetycore.texts``): ``t(key)`` in the
viewer's language, chosen in the sidebar or named in the address.
"""

from __future__ import annotations

import streamlit as st

from safetycore import texts
from safetycore.texts import LANGUAGE_NAMES, LANGUAGES, catalogue
from ui import state_keys as keys

__all__ = ["LANGUAGES", "LANGUAGE_NAMES", "catalogue", "current_language", "t"]


def current_language() -> str:
    lang = st.session_state.get(keys.LANGUAGE)
    if lang is None:
        # Before the language widget has run in this session (the first run of a shared
        # link), the address bar already says which language: the navigation is drawn first.
        by_name = {name: code for code, name in LANGUAGE_NAMES.items()}
        lang = by_name.get(st.query_params.get("lang", ""), "sv")
    return lang if lang in LANGUAGES else "sv"


def t(key: str, lang: str | None = None, **values) -> str:
    return texts.text(key, lang or current_language(), **values)
