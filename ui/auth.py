"""The current user as an Actor: from the login when configured, else a name per session.

Without login (the demo, a laptop) anyone who reaches the app may edit, so every write still
needs a name, asked once per session; ``SAFETY_READONLY=1`` makes everything read-only.
"""

from __future__ import annotations

import streamlit as st

from safetycore.access import Actor, read_only_mode
from ui.i18n import t

NAME_KEY = "_editor_name"


def current_actor() -> Actor | None:
    """The Actor for writes, or None while no name has been given (no login configured)."""
    if read_only_mode():
        return Actor(identity="read-only screen", role="viewer", read_only=True)
    name = st.session_state.get(NAME_KEY, "").strip()
    if not name:
        return None
    return Actor(identity=name, role="coordinator")


def viewer_actor() -> Actor:
    """What the session may see, even before a name is given."""
    actor = current_actor()
    return actor or Actor(identity="anonymous", role="coordinator")


def identity_sidebar() -> None:
    """The one place a session gives its name (when login is not configured)."""
    if read_only_mode():
        st.sidebar.caption(t("auth.read_only"))
        return
    st.sidebar.text_input(t("auth.your_name"), key=NAME_KEY, help=t("auth.your_name_help"),
                          max_chars=80, persist_state="session")


def ask_name(container=None) -> Actor | None:
    """The Actor for a write, or None with a note pointing to the name field in the sidebar."""
    actor = current_actor()
    if actor is None:
        (container or st).caption(t("auth.name_needed"))
    return actor
