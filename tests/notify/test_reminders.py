"""Reminders through a real SMTP server: an owner organisation hears once when its task becomes
overdue, an assignee's address hears when a task is assigned to it, after the save."""

import datetime as dt

import pytest

from safetycore import actions, contacts, db, notify
from safetycore.access import Actor, set_role

ADMIN = Actor("ada@kommun.se", "admin")
NOW = dt.datetime(2026, 11, 20, 10, 0)


@pytest.fixture()
def con(fresh_db):
    con = db.connect(str(fresh_db))
    contacts.add_contact(con, ADMIN, "skolor@kommun.se", organisation="schools", language="en")
    contacts.add_contact(con, ADMIN, "rektor@skolan.se", organisation="schools")
    set_role(con, ADMIN, "cora@kommun.se", "coordinator")  # a user with a role, not a contact
    yield con
    con.close()


def test_an_overdue_task_is_announced_once_to_its_organisation(con, smtp_server):
    action_id = actions.create_action(
        con,
        ADMIN,
        actions.ActionDraft(
            title="Rastvakter vid skolgården",
            area_group_id="hallstavik",
            owner_org="schools",
            due_date=dt.date(2026, 11, 21),
        ),
        now=NOW - dt.timedelta(days=3),
    )
    notify.send_reminders(con, now=NOW)  # not overdue yet
    assert smtp_server.messages == []

    later = dt.datetime(2026, 11, 22, 8, 0)
    out = notify.send_reminders(con, now=later)
    assert sorted(s["to"] for s in out.sent) == ["rektor@skolan.se", "skolor@kommun.se"]
    [sv] = smtp_server.to("rektor@skolan.se")
    assert sv.subject == "Försenad uppgift: Rastvakter vid skolgården"
    assert "skulle vara klar 2026-11-21 och är försenad (1 d)" in sv.text
    [en] = smtp_server.to("skolor@kommun.se")
    assert en.subject == "Overdue task: Rastvakter vid skolgården"

    notify.send_reminders(con, now=later + dt.timedelta(hours=1))  # once
    notify.send_reminders(con, now=later + dt.timedelta(days=2))
    assert len(smtp_server.messages) == 2

    # A new deadline that passes too is announced again, once.
    version = actions.get_action(con, action_id)["version"]
    actions.update_action(
        con, ADMIN, action_id, version, {"due_date": dt.date(2026, 11, 25)}, now=later
    )
    notify.send_reminders(con, now=dt.datetime(2026, 11, 26, 8, 0))
    assert len(smtp_server.messages) == 4
    actions.close_action(
        con, ADMIN, action_id, version + 1, "Klart", now=dt.datetime(2026, 11, 26, 9, 0)
    )
    notify.send_reminders(con, now=dt.datetime(2026, 11, 28, 8, 0))
    assert len(smtp_server.messages) == 4


def test_the_assignee_hears_once_when_a_task_is_assigned(con, smtp_server):
    now = dt.datetime.now().replace(microsecond=0)  # the log's window is the last 24 hours
    action_id = actions.create_action(
        con,
        ADMIN,
        actions.ActionDraft(
            title="Prata med ungdomarna vid stationen",
            area_group_id="rimbo",
            owner_org="field_coordinators",
            assignee="Cora@Kommun.se",
            due_date=now.date() + dt.timedelta(days=5),
        ),
        now=now,
    )
    out = notify.send_reminders(con, now=now + dt.timedelta(minutes=1))
    assert [s["to"] for s in out.sent] == ["cora@kommun.se"]
    [got] = smtp_server.to("cora@kommun.se")
    assert got.subject == "Ny uppgift till dig: Prata med ungdomarna vid stationen"
    assert "Du är ansvarig för uppgiften" in got.text and "Fältsamordnare" in got.text

    notify.send_reminders(con, now=now + dt.timedelta(minutes=2))
    assert len(smtp_server.messages) == 1  # once

    version = actions.get_action(con, action_id)["version"]
    actions.reassign(
        con,
        ADMIN,
        action_id,
        version,
        assignee="rektor@skolan.se",
        now=now + dt.timedelta(minutes=3),
    )
    actions.create_action(
        con,
        ADMIN,
        actions.ActionDraft(  # a name, no address: nobody to tell
            title="Städa", area_group_id="rimbo", owner_org="street_park", assignee="Kim"
        ),
        now=now,
    )
    actions.create_action(
        con,
        ADMIN,
        actions.ActionDraft(  # an unknown address: not mailed
            title="Okänd",
            area_group_id="rimbo",
            owner_org="street_park",
            assignee="someone@elsewhere.example",
        ),
        now=now,
    )
    notify.send_reminders(con, now=now + dt.timedelta(minutes=4))
    assert [m.to for m in smtp_server.messages[1:]] == [["rektor@skolan.se"]]


def test_reminders_wait_for_the_mail_server_and_the_save_never_does(con, monkeypatch):
    monkeypatch.setenv("SAFETY_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SAFETY_SMTP_PORT", "9")  # nothing listens: the server cannot be used
    monkeypatch.setenv("SAFETY_SMTP_FROM", "trygghet@kommun.se")
    actions.create_action(
        con,
        ADMIN,
        actions.ActionDraft(
            title="Rastvakter",
            area_group_id="hallstavik",
            owner_org="schools",
            due_date=dt.date(2026, 11, 21),
        ),
        now=NOW,
    )  # saved without any mail server
    out = notify.send_reminders(con, now=dt.datetime(2026, 11, 23, 8, 0))
    assert "Could not send through the SMTP server" in out.error
    assert out.sent == []
    assert con.execute("SELECT count(*) FROM notifications_sent").fetchone()[0] == 0  # retried
