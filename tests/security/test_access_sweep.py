"""Every page, for a viewer and for the read-only screen: no sensitive category reaches the
browser, by label or code, in any element (tables, charts, maps and their tooltips, widget
options, hidden ones included, captions), even with an action aimed at a sensitive category
and the address bar asking for one."""

from __future__ import annotations

import datetime as dt

import pytest

from safetycore import actions, db
from safetycore.access import Actor
from tests.conftest import DEMO_END, run_app
from tests.security.sent import sent_text

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "trygghet",
    "client_secret": "s",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
SENSITIVE = ("Våld i nära relation", "Sexualbrott", "domestic_violence", "sexual_offence")
PAGES = (
    "pages/lagesbild.py",
    "pages/karta.py",
    "pages/trender.py",
    "pages/atgarder.py",
    "pages/datakallor.py",
)
ASKING = {"cats": "domestic_violence", "kinds": "incident"}


@pytest.fixture(scope="module")
def planted_db(pristine_db, tmp_path_factory):
    from tests.conftest import copy_db

    path = copy_db(pristine_db, tmp_path_factory.mktemp("sweep"))
    con = db.connect(str(path))
    try:  # no due date either: Karta's action markers once failed on such an action
        actions.create_action(
            con,
            Actor("Kim Samordnare", role="coordinator"),
            actions.ActionDraft(
                title="Samverkan kring våldsutsatta",
                area_group_id="rimbo",
                area_id="rimbo-centrum",
                owner_org="social_services",
                target_categories=("domestic_violence", "assault"),
                start_date=DEMO_END - dt.timedelta(days=90),
            ),
            now=dt.datetime.combine(DEMO_END - dt.timedelta(days=90), dt.time(9)),
        )
    finally:
        con.close()
    return path


@pytest.fixture()
def screen(planted_db, tmp_path, monkeypatch):
    from ui import cache

    monkeypatch.setenv("SAFETY_DB", str(planted_db))
    roles = tmp_path / "roles.toml"
    roles.write_text('[users]\n"vera@kommun.se" = "viewer"\n', encoding="utf-8")
    monkeypatch.setenv("SAFETY_ROLES_FILE", str(roles))
    cache.clear_cached_results()

    def make(who: str, page: str):
        if who == "read-only":
            monkeypatch.setenv("SAFETY_READONLY", "1")
            return run_app(page, query_params=ASKING)
        return run_app(
            page,
            query_params=ASKING,
            secrets={"auth": AUTH},
            user={"is_logged_in": True, "email": "vera@kommun.se", "email_verified": True},
        )

    yield make
    cache.clear_cached_results()


@pytest.mark.parametrize("who", ["viewer", "read-only"])
@pytest.mark.parametrize("page", PAGES)
def test_no_sensitive_category_reaches_the_browser(screen, who, page):
    at = screen(who, page)
    if page == "pages/atgarder.py":  # the effect view of the sensitive action, too
        titles = at.selectbox(key="effect_action").options
        pick = next(o for o in titles if "våldsutsatta" in o)
        at.selectbox(key="effect_action").set_value(int(pick.split(" · ")[0])).run()
        assert not at.exception
    sent = sent_text(at)
    assert not [label for label in SENSITIVE if label in sent], page
