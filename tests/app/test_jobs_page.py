"""The Data page's section on the scheduled police fetch: the admin's switch, the last run."""

import time

from safetycore import db, fetch, jobs
from tests.app.test_access import AUTH, ROLE_FILE
from tests.conftest import run_app


def test_admin_switches_the_fetch_on_and_the_last_run_is_shown(fresh_db, tmp_path, monkeypatch):
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLE_FILE, encoding="utf-8")
    monkeypatch.setenv("SAFETY_DB", str(fresh_db))
    monkeypatch.setenv("SAFETY_ROLES_FILE", str(roles))
    con = db.connect(str(fresh_db))
    try:  # a scheduled run that imported events, and a back-off after it
        state = fetch.load_state(con)
        fetch.record_run(
            state,
            con,
            now=time.time(),
            by="schedule",
            status="ok",
            message="",
            code="ok",
            seconds=0.21,
            outcome={
                "batch_id": 9,
                "read": 405,
                "imported": 90,
                "duplicates": 0,
                "rejected": 0,
                "skipped": 315,
            },
        )
        fetch.save_state(con, state, time.time())
    finally:
        con.close()

    def page(email):
        return run_app(
            "pages/datakallor.py",
            secrets={"auth": AUTH},
            user={"is_logged_in": True, "email": email, "email_verified": True},
        )

    at = page("ada@kommun.se")
    texts = [m.value for m in at.markdown]
    assert "Av." in texts  # off until an admin switches it on
    assert any(
        t.startswith("Senaste hämtning")
        and "(schemalagd)" in t
        and "importerade 90" in t
        and "överhoppade 315" in t
        for t in texts
    ), texts
    at.toggle(key="jobs_enabled").set_value(True)
    at.number_input(key="jobs_every").set_value(30)
    at.button(key="jobs_save").click().run()
    assert not at.exception
    assert "Schemat är sparat." in [s.value for s in at.success]
    con = db.connect(str(fresh_db))  # as the app's own (one configuration per process)
    try:
        settings = jobs.schedule_settings(con)
    finally:
        con.close()
    assert (settings["enabled"], settings["every_minutes"]) == (True, 30)
    assert settings["changed"]["by"] == "ada@kommun.se"
    # A coordinator sees the state but not the switch.
    cora = page("cora@kommun.se")
    assert any(m.value.startswith("På: var 30:e minut.") for m in cora.markdown)
    assert not cora.get("toggle") or all(t.key != "jobs_enabled" for t in cora.toggle)
    assert "En administratör slår på den automatiska hämtningen." in [c.value for c in cora.caption]
