"""The Administration page's contacts: an admin adds, imports and removes e-mail contacts, in
Swedish, with refused rows and the log shown; a coordinator never reaches the page."""

import pytest

from safetycore import db
from tests.app.test_admin_areas import AUTH, admin_app, submit  # noqa: F401 (fixture)


def contacts_table(at):
    return next(d.value for d in at.dataframe if {"language", "added_by"} <= set(d.value.columns))


def test_admin_keeps_the_contacts_and_every_change_is_logged(admin_app, fresh_db):  # noqa: F811
    at = admin_app()
    assert "Kontakter för e-post" in [s.value for s in at.subheader]
    assert "Inga kontakter än." in [c.value for c in at.caption]

    at.text_input(key="contact_email").input("Gata.Park@Kommun.se")
    at.selectbox(key="contact_org").select("street_park")
    submit(at, "Lägg till")
    assert "gata.park@kommun.se är tillagd." in [s.value for s in at.success]
    table = contacts_table(at)
    assert table.iloc[0]["email"] == "gata.park@kommun.se"
    assert table.iloc[0]["organisation"] == "Gata och park"
    assert table.iloc[0]["language"] == "Svenska"

    at.text_input(key="contact_email").input("inte en adress")
    submit(at, "Lägg till")
    assert "'inte en adress' är ingen e-postadress som namn@kommun.se." in [
        e.value for e in at.error
    ]

    con = db.connect(str(fresh_db))  # the page's import is the same function as the command's
    try:
        rows = con.execute(
            "SELECT email, organisation, area_group_id, language FROM contacts"
        ).fetchall()
        log = con.execute("SELECT change, email, changed_by FROM contact_log").fetchall()
    finally:
        con.close()
    assert rows == [("gata.park@kommun.se", "street_park", "", "sv")]
    assert log == [("added", "gata.park@kommun.se", "ada@kommun.se")]

    at.selectbox(key="contact_remove_row").select(("gata.park@kommun.se", "street_park", ""))
    submit(at, "Ta bort")
    assert "gata.park@kommun.se är borttagen." in [s.value for s in at.success]
    log_frame = at.dataframe[-1].value
    assert list(log_frame["change"]) == ["borttagen", "tillagd"]
    assert set(log_frame["changed_by"]) == {"ada@kommun.se"}


def test_a_coordinator_does_not_see_the_contacts(fresh_db, tmp_path, monkeypatch):
    from tests.conftest import run_app

    roles = tmp_path / "roles.toml"
    roles.write_text('[users]\n"cora@kommun.se" = "coordinator"\n', encoding="utf-8")
    monkeypatch.setenv("SAFETY_DB", str(fresh_db))
    monkeypatch.setenv("SAFETY_ROLES_FILE", str(roles))
    at = run_app(
        None,
        secrets={"auth": AUTH},
        user={"is_logged_in": True, "email": "cora@kommun.se", "email_verified": True},
    )
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/administration.py")  # not in a coordinator's navigation
    assert "Kontakter för e-post" not in [s.value for s in at.subheader]
