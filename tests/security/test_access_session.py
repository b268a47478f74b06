"""Identity fails closed: an expired or logged-out session, an unverified e-mail address and a
client's "clear cache" message get no rights and break nothing."""

from __future__ import annotations

import time
import types

import pytest

from tests.conftest import run_app

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "trygghet",
    "client_secret": "s",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ROLES = """
[settings]
unknown_users = "none"
session_timeout_minutes = 30
[users]
"cora@kommun.se" = "coordinator"
[groups]
"trygghet-samordnare" = "coordinator"
"""
SENSITIVE = ("Våld i nära relation", "Sexualbrott")


@pytest.fixture()
def login(demo_db, tmp_path, monkeypatch):
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("SAFETY_DB", str(demo_db))
    monkeypatch.setenv("SAFETY_ROLES_FILE", str(roles))

    def make(page: str | None = None, **claims):
        return run_app(page, secrets={"auth": AUTH}, user={"is_logged_in": True, **claims})

    return make


def shows_nothing(at) -> None:
    """No figure, table, chart, map or filter reached the browser."""
    assert not at.metric and not at.dataframe
    assert not list(at.get("vega_lite_chart")) and not list(at.get("deck_gl_json_chart"))
    assert not list(at.sidebar.multiselect)
    sent = " ".join(str(e.value) for e in (*at.markdown, *at.caption, *at.info))
    assert not any(label in sent for label in SENSITIVE)


def test_an_expired_session_gets_the_login_screen_not_a_coordinators_run(login):
    at = login("pages/atgarder.py", email="cora@kommun.se", email_verified=True)
    assert at.session_state["_role"] == "coordinator" and at.metric
    at.session_state["_last_seen"] = time.time() - 31 * 60  # 31 minutes without activity
    at.run()
    assert not at.exception
    shows_nothing(at)
    assert [b.label for b in at.button] == ["Logga in"]
    assert "_role" not in at.session_state


def test_an_unverified_email_gets_no_role_from_the_address(login):
    at = login(email="cora@kommun.se")  # no email_verified claim
    shows_nothing(at)
    assert "ingen behörighet" in at.error[0].value
    forged = login(email="cora@kommun.se", email_verified=False)
    assert "ingen behörighet" in forged.error[0].value


def test_the_group_claim_still_gives_a_role_without_a_verified_address(login):
    at = login("pages/atgarder.py", email="nina@kommun.se", groups=["trygghet-samordnare"])
    assert at.session_state["_role"] == "coordinator" and at.metric


def test_a_signed_out_actor_may_see_and_do_nothing():
    from safetycore.access import PERMISSIONS, AccessDenied, require, signed_out_actor

    nobody = signed_out_actor()
    assert not nobody.sees_sensitive
    assert not any(nobody.can(p) for p in PERMISSIONS)
    with pytest.raises(AccessDenied):
        require(nobody, "view")


def test_a_clients_clear_cache_message_keeps_the_connection(app):
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.runtime.app_session import AppSession, AppSessionState

    from ui import data

    at = app("pages/atgarder.py")  # dashboard.py has run: the handler is replaced
    con = data.connection(data.db_path())
    session = object.__new__(AppSession)  # the handler a real session calls for the message
    session._state = AppSessionState.SHUTDOWN_REQUESTED  # nothing to shut down afterwards
    session._session_state = types.SimpleNamespace(clear=lambda: None)
    message = BackMsg()
    message.clear_cache = True
    session.handle_backmsg(message)
    assert data.connection(data.db_path()) is con  # same connection, not a new one
    at.run()
    assert not at.exception and at.metric
