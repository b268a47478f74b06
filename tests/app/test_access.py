"""Login, roles and the read-only screen through AppTest (st.user simulated per role)."""

import pytest

from tests.conftest import run_app

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "trygghet",
    "client_secret": "s",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ROLE_FILE = """
[settings]
unknown_users = "none"
[users]
"vera@kommun.se" = "viewer"
"rut@kommun.se" = "reporter"
"cora@kommun.se" = "coordinator"
"ada@kommun.se" = "admin"
[groups]
"trygghet-samordnare" = "coordinator"
"""


@pytest.fixture()
def login_app(demo_db, tmp_path, monkeypatch):
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLE_FILE, encoding="utf-8")
    monkeypatch.setenv("SAFETY_DB", str(demo_db))
    monkeypatch.setenv("SAFETY_ROLES_FILE", str(roles))

    def make(email: str | None, page: str | None = None, **claims):
        user = (
            {"is_logged_in": False}
            if email is None
            else {"is_logged_in": True, "email": email, "email_verified": True, **claims}
        )
        return run_app(page, secrets={"auth": AUTH}, user=user)

    return make


def test_logged_out_users_see_only_the_login_screen(login_app):
    at = login_app(None)
    assert [b.label for b in at.button] == ["Logga in"]
    assert not at.metric and not at.dataframe  # no figures before login


def test_unknown_user_gets_no_access_when_so_configured(login_app):
    at = login_app("stranger@example.com")
    assert "ingen behörighet" in at.error[0].value
    assert not at.metric


def test_group_claim_gives_a_role(login_app):
    at = login_app("nina@kommun.se", "pages/atgarder.py", groups=["trygghet-samordnare"])
    assert at.session_state["_role"] == "coordinator"


def test_viewer_reads_but_cannot_edit(login_app):
    at = login_app("vera@kommun.se", "pages/atgarder.py")
    assert at.metric  # figures are shown
    assert not at.get("form")  # no create or edit form for a viewer
    assert "Inloggad som vera@kommun.se (läsare)" in [c.value for c in at.sidebar.caption]
    assert not any(i.label.startswith("Ditt namn") for i in at.sidebar.text_input)


def test_reporter_reports_but_edits_nothing_else(login_app):
    at = login_app("rut@kommun.se", "pages/rapportera.py")
    assert at.button(key="obs_save")  # the observation form's save button
    assert not any(i.label.startswith("Ditt namn") for i in at.sidebar.text_input)  # e-mail is used
    actions = login_app("rut@kommun.se", "pages/atgarder.py")
    assert not actions.get("form")
    with pytest.raises(ValueError):
        login_app("vera@kommun.se", "pages/rapportera.py")  # a viewer has no such page


def test_sensitive_categories_hidden_from_viewers(login_app):
    at = login_app("vera@kommun.se")
    options = at.sidebar.multiselect(key="cats").options
    assert "Våld i nära relation" not in options and "Skadegörelse" in options
    coordinator = login_app("cora@kommun.se")
    assert "Våld i nära relation" in coordinator.sidebar.multiselect(key="cats").options


def test_only_admins_reach_the_admin_page(login_app):
    at = login_app("ada@kommun.se", "pages/administration.py")
    assert at.title[0].value == "Administration"
    assert at.dataframe  # roles and areas
    with pytest.raises(ValueError):
        login_app("cora@kommun.se", "pages/administration.py")  # not even registered as a page


def test_admin_sets_a_role_and_it_applies(login_app, fresh_db, monkeypatch):
    monkeypatch.setenv("SAFETY_DB", str(fresh_db))  # this test writes
    at = login_app("ada@kommun.se", "pages/administration.py")
    at.text_input(key="role_email").input("Ny.Person@Kommun.se")
    at.selectbox(key="role_select").select("coordinator")
    next(b for b in at.button if b.label == "Spara roll").click().run()
    assert "ny.person@kommun.se" in at.success[0].value
    newcomer = login_app("ny.person@kommun.se", "pages/atgarder.py")
    assert newcomer.session_state["_role"] == "coordinator"


def test_logout_clears_the_session(login_app):
    at = login_app("cora@kommun.se")
    at.session_state["groups"] = ["rimbo"]
    logout = [b for b in at.sidebar.button if b.label == "Logga ut"][0]
    logout.click().run()
    assert at.user == {"is_logged_in": False}
    assert "groups" not in at.session_state
