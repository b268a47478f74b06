"""Login end to end: a real OpenID Connect provider on localhost, the real server, chromium.

The provider is oidc-provider-mock with two predefined users; roles come from a role file.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import free_port, serve_copy, snap, wait_for_app
from tests.browser.test_actions_browser import pick, settle, tab

pytestmark = pytest.mark.browser

TITLE = "Trygghetsvandring i Hallstavik"
ROLES = """
[settings]
unknown_users = "none"
[users]
"cora@kommun.se" = "coordinator"
"vera@kommun.se" = "viewer"
"""


@pytest.fixture(scope="module")
def login_server(pristine_db, tmp_path_factory):
    from oidc_provider_mock import User, run_server_in_thread

    work = tmp_path_factory.mktemp("login")
    users = [
        User(
            sub="cora",
            claims={"email": "cora@kommun.se", "email_verified": True, "name": "Cora Samordnare"},
        ),
        User(
            sub="vera",
            claims={"email": "vera@kommun.se", "email_verified": True, "name": "Vera Läsare"},
        ),
    ]
    with run_server_in_thread(user_claims=users) as provider:
        port = free_port()
        secrets = work / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{"k" * 40}"\n'
            'client_id = "trygghetslaget"\n'
            'client_secret = "test-secret"\n'
            f'server_metadata_url = "http://127.0.0.1:{provider.server_port}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        roles = work / "roles.toml"
        roles.write_text(ROLES, encoding="utf-8")
        with serve_copy(
            pristine_db,
            work,
            port=port,
            extra_env={"SAFETY_ROLES_FILE": str(roles)},
            extra_args=["--secrets.files", str(secrets)],
        ) as url:
            yield url


def log_in(page, base: str, user: str) -> None:
    page.goto(base)
    wait_for_app(page)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("button", name=user, exact=True).click()  # the provider's user choice
    page.wait_for_url(re.compile(re.escape(base) + r"/?(\?.*)?$"), timeout=30_000)
    wait_for_app(page)


def test_login_roles_and_logout(login_server, page):
    page.goto(login_server)
    wait_for_app(page)
    assert page.get_by_role("button", name="Logga in").is_visible()
    assert page.locator('[data-testid="stMetricValue"]').count() == 0  # nothing before login

    log_in(page, login_server, "cora")
    assert page.get_by_text("Inloggad som cora@kommun.se (samordnare)").is_visible()
    snap(page, "login-coordinator")

    # A coordinator creates an action; its log carries the login's e-mail, not a typed name.
    page.get_by_role("link", name="Åtgärder").click()
    wait_for_app(page)
    assert page.get_by_role("textbox", name="Ditt namn (visas i ändringsloggen)").count() == 0
    tab(page, "Ny åtgärd")
    page.get_by_role("textbox", name="Titel").fill(TITLE)
    page.keyboard.press("Tab")
    settle(page)
    pick(page, "Områdesgrupp", "Hallstavik")
    page.get_by_role("button", name="Spara åtgärd").click()
    settle(page)
    assert page.get_by_text(re.compile(f"Åtgärden ”{TITLE}” är sparad")).is_visible()
    tab(page, "Följ upp")
    pick(page, "Välj åtgärd", re.compile(TITLE), search=TITLE)
    assert page.get_by_text("cora@kommun.se").first.is_visible()
    snap(page, "login-coordinator-action-log")

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_timeout(1500)
    page.goto(login_server)
    wait_for_app(page)
    assert page.get_by_role("button", name="Logga in").is_visible()

    log_in(page, login_server, "vera")
    assert page.get_by_text("Inloggad som vera@kommun.se (läsare)").is_visible()
    page.get_by_role("link", name="Åtgärder").click()
    wait_for_app(page)
    assert page.locator('[data-testid="stForm"]').count() == 0  # a viewer finds no way to edit
    assert page.get_by_role("link", name="Rapportera").count() == 0
    snap(page, "login-viewer-actions")
