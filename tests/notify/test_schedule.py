"""The digest on the admin's schedule: due from the set weekday and time for the last complete
week, sent once by the dashboard's scheduler, and set on the Administration page."""

import datetime as dt

from safetycore import contacts, db, jobs, mail_jobs, notify
from safetycore.access import Actor
from tests.app.test_admin_areas import admin_app, submit  # noqa: F401 (fixture)

ADMIN = Actor("ada@kommun.se", "admin")


def digests(inbox):
    """The weekly digests that arrived (overdue reminders for the demo's tasks arrive too)."""
    return [m for m in inbox.messages if "veckobrev" in m.subject]


TUESDAY = {"enabled": True, "weekday": 1, "time": "08:00", "last": None}


def test_due_from_tuesday_eight_for_the_last_complete_week():
    monday = dt.datetime(2026, 11, 23, 9, 0)  # week 48
    assert notify.scheduled_week(TUESDAY, monday) is None
    assert notify.scheduled_week(TUESDAY, dt.datetime(2026, 11, 24, 7, 59)) is None
    assert notify.scheduled_week(TUESDAY, dt.datetime(2026, 11, 24, 8, 0)) == "2026-W47"
    assert notify.scheduled_week(TUESDAY, dt.datetime(2026, 11, 29, 23, 0)) == "2026-W47"
    sent = {**TUESDAY, "last": {"week": "2026-W47", "error": ""}}
    assert notify.scheduled_week(sent, dt.datetime(2026, 11, 25, 8, 0)) is None
    failed = {**TUESDAY, "last": {"week": "2026-W47", "error": "no server"}}
    assert notify.scheduled_week(failed, dt.datetime(2026, 11, 25, 8, 0)) == "2026-W47"
    assert notify.scheduled_week({**TUESDAY, "enabled": False}, monday) is None
    assert notify.next_run(TUESDAY, monday) == dt.datetime(2026, 11, 24, 8, 0)
    assert notify.next_run(sent, dt.datetime(2026, 11, 25, 8, 0)) == dt.datetime(2026, 12, 1, 8, 0)


def test_the_scheduler_sends_the_digest_once_when_it_is_due(fresh_db, smtp_server):
    con = db.connect(str(fresh_db))
    try:
        contacts.add_contact(con, ADMIN, "polisen@polisen.se", organisation="police")
        contacts.add_contact(con, ADMIN, "rimbo@kommun.se", area_group="rimbo")
        notify.set_digest_schedule(con, ADMIN, enabled=True, weekday=1, at="08:00")
        before = dt.datetime(2026, 11, 24, 7, 30)
        assert "digest" not in mail_jobs.run_jobs(con, before)
        assert digests(smtp_server) == []
        done = mail_jobs.run_jobs(con, dt.datetime(2026, 11, 24, 8, 1))
        assert done["digest"].week == "2026-W47"
        assert sorted(m.to[0] for m in digests(smtp_server)) == [
            "polisen@polisen.se",
            "rimbo@kommun.se",
        ]
        assert "digest" not in mail_jobs.run_jobs(con, dt.datetime(2026, 11, 24, 8, 2))  # once
        assert len(digests(smtp_server)) == 2
        last = notify.digest_schedule(con)["last"]
        assert (last["week"], last["sent"], last["error"]) == ("2026-W47", 2, "")
    finally:
        con.close()


def test_the_dashboards_scheduler_thread_sends_it(fresh_db, smtp_server):
    import time

    from safetycore import clock

    con = db.connect(str(fresh_db))
    try:
        contacts.add_contact(con, ADMIN, "polisen@polisen.se", organisation="police")
        today = clock.now_for(con)
        notify.set_digest_schedule(con, ADMIN, enabled=True, weekday=today.weekday(), at="00:00")
        scheduler = jobs.Scheduler(con, tick=0.2)
        scheduler.start()
        try:
            deadline = time.time() + 60
            while not digests(smtp_server) and time.time() < deadline:
                time.sleep(0.2)
        finally:
            scheduler.stop()
            scheduler.join(10)
        [got] = digests(smtp_server)
        last_week = notify.sit.Week.of(today.date() - dt.timedelta(days=today.weekday() + 1))
        assert f"vecka {last_week.number} " in got.subject
        assert notify.digest_schedule(con)["last"]["week"] == last_week.label
    finally:
        con.close()


def test_admin_sets_the_schedule_on_the_administration_page(
    admin_app,  # noqa: F811
    fresh_db,
    smtp_server,
):
    at = admin_app()
    assert "Veckobrevet" in [m.value.strip("*") for m in at.markdown]
    assert any(c.value.startswith("E-post skickas via 127.0.0.1") for c in at.caption)
    assert any(
        m.value.startswith("Av: veckobrevet skickas bara från kommandoraden") for m in at.markdown
    )
    at.toggle(key="digest_enabled").set_value(True)
    at.selectbox(key="digest_weekday").select(1)
    at.time_input(key="digest_time").set_value(dt.time(8, 0))
    submit(at, "Spara schemat")
    assert "Veckobrevets schema är sparat." in [s.value for s in at.success]
    assert any(m.value.startswith("På: varje tisdag kl. 08:00") for m in at.markdown)
    con = db.connect(str(fresh_db))
    try:
        schedule = notify.digest_schedule(con)
    finally:
        con.close()
    assert (schedule["enabled"], schedule["weekday"], schedule["time"]) == (True, 1, "08:00")
    assert schedule["changed"]["by"] == "ada@kommun.se"


def test_without_mail_settings_the_page_says_what_to_set(admin_app, monkeypatch):  # noqa: F811
    monkeypatch.delenv("SAFETY_SMTP_HOST", raising=False)
    at = admin_app()
    assert any("sätt SAFETY_SMTP_HOST och SAFETY_SMTP_FROM" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == "digest_send_now"]
