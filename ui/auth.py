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


def ask_name(container=None) -> Actor | None:
    """Show a name field once per session when writes need one; returns the Actor."""
    actor = current_actor()
    if actor is not None:
        return actor
    target = container or st
    name = target.text_input(t("auth.your_name"), key="_editor_name_input",
                             help=t("auth.your_name_help"), max_chars=80)
    if name.strip():
        st.session_state[NAME_KEY] = name.strip()
        return current_actor()
    target.caption(t("auth.name_needed"))
    return None
