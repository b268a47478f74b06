"""The Administration page's area configuration: an admin renames, moves, creates groups and
sets populations, every change in the log and in the database."""

import pytest

from tests.conftest import run_app

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "trygghet",
    "client_secret": "s",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.fixture()
def admin_app(fresh_db, tmp_path, monkeypatch):
    roles = tmp_path / "roles.toml"
    roles.write_text('[users]\n"ada@kommun.se" = "admin"\n', encoding="utf-8")
    monkeypatch.setenv("SAFETY_DB", str(fresh_db))
    monkeypatch.setenv("SAFETY_ROLES_FILE", str(roles))

    def make():
        return run_app(
            "pages/administration.py",
            secrets={"auth": AUTH},
            user={"is_logged_in": True, "email": "ada@kommun.se", "email_verified": True},
        )

    return make


def submit(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_admin_changes_areas_and_groups(admin_app):
    at = admin_app()
    at.selectbox(key="admin_area").select("rimbo-centrum").run()
    at.text_input(key="admin_area_name_rimbo-centrum").input("Rimbo torg")
    at.selectbox(key="admin_area_group_rimbo-centrum").select("hallstavik")
    at.text_input(key="admin_area_pop_rimbo-centrum").input("2 450")
    at.text_input(key="admin_area_aliases_rimbo-centrum").input("Rimbo C, Torget")
    submit(at, "Spara området")
    assert at.success[0].value == "Området Rimbo torg är sparat."

    at.text_input(key="admin_new_group_name").input("Norra skärgården")
    at.text_input(key="admin_new_group_pop").input("1200")
    submit(at, "Skapa gruppen")
    assert "Norra skärgården" in at.success[0].value

    at.selectbox(key="admin_group").select("rimbo").run()
    at.text_input(key="admin_group_name_rimbo").input("Rimbo med omnejd")
    submit(at, "Spara gruppen")
    assert at.success[0].value == "Områdesgruppen Rimbo med omnejd är sparad."

    at.text_input(key="admin_area_pop_rimbo-centrum").input("många")
    submit(at, "Spara området")
    assert "not a number" in at.error[0].value

    log = at.dataframe[-1].value
    assert {"name", "area_group", "population", "aliases", "created"} <= set(log["field"])
    assert set(log["changed_by"]) == {"ada@kommun.se"}


def test_admin_changes_reach_the_database(admin_app, fresh_db):
    at = admin_app()
    at.selectbox(key="admin_area").select("rimbo-centrum").run()
    at.selectbox(key="admin_area_group_rimbo-centrum").select("hallstavik")
    submit(at, "Spara området")
    from ui import data

    con = data.con()  # the app's own connection to the file (this process holds it)
    moved = (
        con.cursor()
        .execute(
            "SELECT count(*) FILTER (WHERE area_group_id = 'hallstavik'), count(*) "
            "FROM incidents WHERE area_id = 'rimbo-centrum'"
        )
        .fetchone()
    )
    assert moved[0] == moved[1] > 0  # the area's events follow it to its new group
    rollup = (
        con.cursor()
        .execute(
            "SELECT sum(n) FROM rollup_weekly WHERE area_id = 'rimbo-centrum' "
            "AND area_group_id = 'hallstavik'"
        )
        .fetchone()[0]
    )
    assert rollup == moved[1]
