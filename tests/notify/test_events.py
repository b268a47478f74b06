"""Händelser: open, delegate tasks with deadlines in hours (ordinary actions), note, invite,
release, close; texts scrubbed; everyone taking part hears by e-mail what is theirs, once."""

import datetime as dt

import pytest

from safetycore import actions, contacts, db, events, notify, queries
from safetycore.access import Actor

ADMIN = Actor("ada@kommun.se", "admin")
CORA = Actor("cora@kommun.se", "coordinator")
NOW = dt.datetime.now().replace(microsecond=0, second=0)


@pytest.fixture()
def con(fresh_db):
    con = db.connect(str(fresh_db))
    for email, org in [
        ("polis@polisen.se", "police"),
        ("falt@kommun.se", "field_coordinators"),
        ("soc@kommun.se", "social_services"),
        ("gata@kommun.se", "street_park"),
    ]:
        contacts.add_contact(con, ADMIN, email, organisation=org)
    yield con
    con.close()


def test_a_coordinator_runs_an_event_and_everyone_hears_what_is_theirs(con, smtp_server):
    event_id = events.open_event(
        con,
        CORA,
        title="Allvarligt våldsbrott vid busstorget, Anna Svensson 070-123 45 67",
        place="Busstorget",
        area_group_id="norrtalje-stad",
        occurred_at=NOW - dt.timedelta(hours=2),
        organisations=["police", "field_coordinators"],
        now=NOW,
    )
    stored = con.execute("SELECT title FROM events WHERE id = $id", {"id": event_id}).fetchone()[0]
    assert "Anna Svensson" not in stored and "070" not in stored
    assert "[namn]" in stored and "[telefonnummer]" in stored

    task = events.delegate_task(
        con,
        CORA,
        event_id,
        title="Öppna lokalen vid torget i morgon",
        owner_org="social_services",
        hours=12,
        now=NOW,
    )
    events.add_note(con, CORA, event_id, "Polisen har avspärrat torget till 22.", now=NOW)
    events.release(con, CORA, event_id, "police", now=NOW + dt.timedelta(hours=3))

    action = actions.get_action(con, task)  # an ordinary action: on Åtgärder, in the effect
    assert (action["owner_org"], action["area_group_id"], action["priority"]) == (
        "social_services",
        "norrtalje-stad",
        "high",
    )
    row = con.execute(
        "SELECT event_id, due_at FROM actions WHERE id = $id", {"id": task}
    ).fetchone()
    assert row == (event_id, NOW + dt.timedelta(hours=12))
    board = queries.run(
        con,
        "actions_board",
        None,
        area_groups=None,
        owner="social_services",
        include_closed=False,
        today=NOW.date(),
    )
    assert task in set(board["id"])

    out = events.send_notices(con, now=NOW + dt.timedelta(hours=3, minutes=1))
    assert not out.error
    subjects = {m.to[0]: [] for m in smtp_server.messages}
    for m in smtp_server.messages:
        subjects[m.to[0]].append(m.subject)
    assert sorted(subjects) == ["falt@kommun.se", "polis@polisen.se", "soc@kommun.se"]
    assert any(
        s.startswith("Händelse: Allvarligt våldsbrott vid busstorget")
        and s.endswith("Polisen deltar")
        for s in subjects["polis@polisen.se"]
    )
    assert any(s.endswith("Polisen entledigad") for s in subjects["polis@polisen.se"])
    due = (NOW + dt.timedelta(hours=12)).strftime("%Y-%m-%d %H:%M")
    assert (
        f"Uppgift för Socialtjänsten: Öppna lokalen vid torget i morgon (senast {due})"
        in subjects["soc@kommun.se"]
    )
    assert "gata@kommun.se" not in subjects  # not taking part: hears nothing
    for m in smtp_server.messages:
        assert "Anna Svensson" not in m.text + m.html and "070-123" not in m.text
        assert "avspärrat" not in m.text  # notes stay in the log

    assert events.send_notices(con, now=NOW + dt.timedelta(hours=4)).sent == []  # once
    n = len(smtp_server.messages)

    events.close_event(
        con,
        CORA,
        event_id,
        "Lokalen öppen två kvällar; lugnt sedan dess.",
        now=NOW + dt.timedelta(hours=20),
    )
    events.send_notices(con, now=NOW + dt.timedelta(hours=20, minutes=1))
    closed = [m for m in smtp_server.messages[n:] if m.subject.startswith("Händelse stängd")]
    assert sorted(m.to[0] for m in closed) == [
        "falt@kommun.se",
        "polis@polisen.se",
        "soc@kommun.se",
    ]
    assert "Lokalen öppen två kvällar" in closed[0].text
    with pytest.raises(events.EventError) as shut:
        events.add_note(con, CORA, event_id, "efteråt", now=NOW + dt.timedelta(hours=21))
    assert shut.value.code == "closed"

    log = queries.run(con, "handelse_log", event_id=event_id)
    assert list(log["entry"]) == [
        "opened",
        "invited",
        "invited",
        "invited",
        "task",
        "note",
        "released",
        "closed",
    ]
    assert set(log["logged_by"]) == {"cora@kommun.se"}


def test_an_overdue_event_task_is_a_reminder_after_hours_not_days(con, smtp_server):
    event_id = events.open_event(
        con,
        CORA,
        title="Brand i skolan",
        place="Rimbo skola",
        area_group_id="rimbo",
        occurred_at=NOW,
        organisations=["field_coordinators"],
        now=NOW,
    )
    events.delegate_task(
        con,
        CORA,
        event_id,
        title="Samtal med eleverna",
        owner_org="field_coordinators",
        hours=3,
        now=NOW,
    )
    events.send_notices(con, now=NOW)
    n = len(smtp_server.messages)
    notify.send_reminders(con, now=NOW + dt.timedelta(hours=2))
    assert not [m for m in smtp_server.messages[n:] if "Samtal med eleverna" in m.subject]
    notify.send_reminders(con, now=NOW + dt.timedelta(hours=3, minutes=5))
    late = [m for m in smtp_server.messages[n:] if "Samtal med eleverna" in m.subject]
    assert [m.to[0] for m in late] == ["falt@kommun.se"]
    assert late[0].subject.startswith("Försenad uppgift")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"title": "  "}, "title_missing"),
        ({"title": "<script>x</script>"}, "markup"),
        ({"place": ""}, "place_missing"),
        ({"organisations": []}, "no_orgs"),
        ({"organisations": ["brandkaren"]}, "unknown_org"),
        ({"area_group_id": "atlantis"}, "unknown_group"),
        ({"occurred_at": NOW + dt.timedelta(days=2)}, "future"),
    ],
)
def test_bad_input_is_refused_with_a_reason(con, kwargs, code):
    values = {
        "title": "Skottlossning",
        "place": "Centrum",
        "area_group_id": "rimbo",
        "occurred_at": NOW,
        "organisations": ["police"],
        **kwargs,
    }
    with pytest.raises(events.EventError) as exc:
        events.open_event(con, CORA, now=NOW, **values)
    assert exc.value.code == code
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_only_coordinators_change_events(con):
    with pytest.raises(PermissionError):
        events.open_event(
            con,
            Actor("vera@kommun.se", "viewer"),
            title="x",
            place="y",
            area_group_id="rimbo",
            occurred_at=NOW,
            organisations=["police"],
        )
    event_id = events.open_event(
        con,
        CORA,
        title="x",
        place="y",
        area_group_id="rimbo",
        occurred_at=NOW,
        organisations=["police"],
        now=NOW,
    )
    with pytest.raises(events.EventError) as bad:
        events.delegate_task(con, CORA, event_id, title="t", owner_org="police", hours=0)
    assert bad.value.code == "bad_hours"
