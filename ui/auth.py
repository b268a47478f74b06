"""The current user as an Actor, login through the municipality's identity provider, roles.

* Login configured (``[auth]`` in ``.streamlit/secrets.toml``): users log in with
  ``st.login`` (OpenID Connect, e.g. Microsoft Entra ID); their role comes from the
  ``user_roles`` table or the role file (``safetycore.access.RoleConfig``); every write records
  their e-mail. Sessions end after ``session_timeout_minutes`` without activity.
* No login (the demo, a laptop): a visible notice says anyone who reaches the app can edit;
  every write still needs a name, given once per session in the sidebar.
* ``SAFETY_READONLY=1``: nothing can be changed, whoever is looking (a public screen).

Fail closed: with login configured, a session that is not logged in, whose role is not known
yet, or whose time is up gets no run with any rights: ``gate`` shows the login screen instead
of the page, and ``viewer_actor`` is then an actor that may see nothing. Roles come from a
verified e-mail address (``email_verified``) or the configured group claim only.
"""

from __future__ import annotations

import time

import streamlit as st

from safetycore.access import (
    Actor,
    RoleConfigError,
    load_role_config,
    read_only_mode,
    signed_out_actor,
    table_roles,
    verified_email,
)
from ui import data
from ui import state_keys as keys
from ui.i18n import t

NAME_KEY = "_editor_name"
ROLE_KEY = "_role"
LAST_SEEN_KEY = "_last_seen"
EXPIRED_KEY = "_session_expired"


def login_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 (no secrets file at all: login is simply not configured)
        return False


def current_actor() -> Actor | None:
    """The Actor for writes, or None while nobody is identified."""
    if read_only_mode():
        return Actor(identity="read-only screen", role="viewer", read_only=True)
    if login_configured():
        if not st.user.is_logged_in or not st.session_state.get(ROLE_KEY):
            return None
        return Actor(identity=str(st.user.get("email") or ""), role=st.session_state[ROLE_KEY])
    name = st.session_state.get(NAME_KEY, "").strip()
    return Actor(identity=name, role="coordinator") if name else None


def viewer_actor() -> Actor:
    """What this session may see, even before a name is given (no login: a coordinator; with
    login and nobody identified: nothing)."""
    actor = current_actor()
    if actor is not None:
        return actor
    if login_configured():
        return signed_out_actor()
    return Actor(identity="anonymous", role="coordinator")


def can(permission: str) -> bool:
    return viewer_actor().can(permission)


def gate():
    """With login configured: None when the user may go on, else a page function to show
    instead (the login screen, or a no-access message)."""
    if not login_configured():
        return None
    st.session_state.pop(ROLE_KEY, None)  # decided afresh on every run, or not at all
    if not st.user.is_logged_in:
        return login_screen
    try:
        config = load_role_config()
    except RoleConfigError as exc:
        st.session_state[keys.ROLE_ERROR] = str(exc)
        return no_access_screen
    now = time.time()
    last_seen = st.session_state.get(LAST_SEEN_KEY)
    if last_seen and now - last_seen > config.session_timeout_minutes * 60:
        # Time is up: this run shows the login screen, not the page (fail closed).
        logout()
        st.session_state[EXPIRED_KEY] = True
        return login_screen
    try:
        claims = st.user.to_dict()
        role = config.role_for(verified_email(claims), claims, table_roles(data.con()))
    except RoleConfigError as exc:
        st.session_state[keys.ROLE_ERROR] = str(exc)
        return no_access_screen
    if role is None:
        return no_access_screen
    st.session_state[LAST_SEEN_KEY] = now
    st.session_state[ROLE_KEY] = role
    return None


def logout() -> None:
    """Forget everything this session held (names, roles, selections), then log out."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.logout()


def login_screen() -> None:
    st.title(t("app.title"))
    if st.session_state.get(EXPIRED_KEY):
        st.info(t("auth.session_expired"))
    st.write(t("auth.login_intro"))
    if st.button(t("auth.login"), type="primary"):
        st.login()


def no_access_screen() -> None:
    st.title(t("app.title"))
    st.error(
        st.session_state.get(keys.ROLE_ERROR)
        or t("auth.no_access", email=st.user.get("email") or "?")
    )
    st.button(t("auth.logout"), on_click=logout)


def identity_sidebar() -> None:
    """Who is working: the logged-in user and a logout button, or the name field."""
    side = st.sidebar
    if read_only_mode():
        side.caption(t("auth.read_only"))
        return
    if login_configured():
        actor = current_actor()
        if actor is not None:
            side.caption(
                t("auth.logged_in_as", email=actor.identity, role=t(f"auth.role_{actor.role}"))
            )
            side.button(t("auth.logout"), on_click=logout, width="stretch")
        return
    side.warning(t("auth.open_notice"), icon=":material/lock_open:")
    side.text_input(
        t("auth.your_name"),
        key=NAME_KEY,
        help=t("auth.your_name_help"),
        max_chars=80,
        persist_state="session",
    )


def ask_name(container=None) -> Actor | None:
    """The Actor for a write, or None with a note saying how to become identified."""
    actor = current_actor()
    if actor is None:
        (container or st).caption(t("auth.name_needed"))
    return actor


def disable_client_cache_clearing() -> None:
    """Make the browser's "clear cache" message harmless (once per server process).

    Any client can send Streamlit the ``clear_cache`` message (the developer menu's "Clear
    cache", or a hand-made websocket frame). Streamlit 1.67 answers it in
    ``AppSession._handle_clear_cache_request`` by clearing every ``st.cache_data`` and
    ``st.cache_resource`` cache of the server, for every user: the database connection, the
    scheduled jobs and the command endpoint would be dropped and started a second time. Here
    the message is ignored; the caches follow the database's data version anyway.
    """
    from streamlit.runtime.app_session import AppSession

    if getattr(AppSession._handle_clear_cache_request, "_ignored", False):
        return

    def _handle_clear_cache_request(self) -> None:  # noqa: ARG001 (the session is unused)
        return None

    _handle_clear_cache_request._ignored = True
    AppSession._handle_clear_cache_request = _handle_clear_cache_request
