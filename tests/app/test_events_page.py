"""The Händelser page: a coordinator opens an event, delegates a task with a deadline in hours,
writes a note, releases an organisation and closes it, in Swedish; a viewer only reads."""

import pytest

from safetycore import actions, db
from tests.app.test_access import AUTH, ROLE_FILE
from tests.conftest import run_app


@pytest.fixture()
def page(fresh_db, tmp_path, monkeypatch):
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLE_FILE, encoding="utf-8")
    monkeypatch.setenv("SAFETY_DB", str(fresh_db))
    monkeypatch.setenv("SAFETY_ROLES_FILE", str(roles))

    def make(email: str):
        return run_app(
            "pages/handelser.py",
            secrets={"auth": AUTH},
            user={"is_logged_in": True, "email": email, "email_verified": True},
        )

    return make


def click(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_coordinator_coordinates_an_event_from_open_to_close(page, fresh_db):
    at = page("cora@kommun.se")
    assert at.title[0].value == "Händelser"
    assert "Inga öppna händelser." in [i.value for i in at.info]
    at.text_input(key="event_title").input("Allvarligt våldsbrott vid busstorget")
    at.text_input(key="event_place").input("Busstorget")
    at.selectbox(key="event_group").select("norrtalje-stad")
    at.multiselect(key="event_orgs").select("police").select("field_coordinators")
    click(at, "Öppna händelsen")
    assert "Händelsen är öppnad." in [s.value for s in at.success]
    assert at.subheader[0].value == "Allvarligt våldsbrott vid busstorget"
    assert "Fältsamordnare\nPolisen" in [t.value for t in at.text]

    at.text_input(key="event_task_title").input("Öppna lokalen vid torget")
    at.selectbox(key="event_task_owner").select("social_services")
    at.number_input(key="event_task_hours").set_value(16)
    click(at, "Fördela")
    assert "Uppgiften är fördelad; den syns också på sidan Åtgärder." in [
        s.value for s in at.success
    ]
    tasks = next(d.value for d in at.dataframe if "overdue" in d.value.columns)
    assert list(tasks["title"]) == ["Öppna lokalen vid torget"]
    assert list(tasks["owner_org"]) == ["Socialtjänsten"]

    at.text_area(key="event_note").input("Polisen spärrar av torget till kl. 22.")
    click(at, "Lägg till")
    at.selectbox(key="event_release_org").select("police")
    click(at, "Entlediga")
    assert "Polisen är entledigad." in [s.value for s in at.success]

    log = next(d.value for d in at.dataframe if "entry" in d.value.columns)
    assert list(log["entry"]) == [
        "öppnad",
        "inbjuden",
        "inbjuden",
        "inbjuden",
        "uppgift",
        "anteckning",
        "entledigad",
    ]
    assert set(log["logged_by"]) == {"cora@kommun.se"}

    click(at, "Stäng")  # without an outcome: refused with the reason
    assert "Skriv vad det blev av innan du stänger händelsen." in [e.value for e in at.error]
    at.text_area(key="event_outcome").input("Lokalen öppen två kvällar.")
    click(at, "Stäng")
    assert any(
        s.value.startswith("Stängd ") and "Lokalen öppen två kvällar." in s.value
        for s in at.success
    )
    assert not [b for b in at.button if b.label == "Fördela"]  # a closed event is read only

    con = db.connect(str(fresh_db))
    try:
        [(action_id,)] = con.execute("SELECT id FROM actions WHERE event_id IS NOT NULL").fetchall()
        assert actions.get_action(con, action_id)["owner_org"] == "social_services"
    finally:
        con.close()


def test_a_viewer_reads_the_event_but_cannot_change_it(page, fresh_db):
    from safetycore import events
    from safetycore.access import Actor

    con = db.connect(str(fresh_db))
    try:
        events.open_event(
            con,
            Actor("cora@kommun.se", "coordinator"),
            title="Brand i skolan",
            place="Rimbo skola",
            area_group_id="rimbo",
            occurred_at=events.clock.now_for(con).replace(tzinfo=None),
            organisations=["schools"],
        )
    finally:
        con.close()
    at = page("vera@kommun.se")
    assert at.subheader[0].value == "Brand i skolan"
    assert "Samordnare öppnar och ändrar händelser." in [c.value for c in at.caption]
    assert not [b for b in at.button if b.label in ("Öppna händelsen", "Fördela", "Stäng")]


def test_the_shared_screen_shows_open_events_first(fresh_db, monkeypatch):
    from safetycore import events
    from safetycore.access import Actor

    monkeypatch.setenv("SAFETY_DB", str(fresh_db))
    at = run_app("pages/lagesbild.py")
    assert not [c for c in at.markdown if "Öppna händelser" in c.value]  # none open: nothing

    con = db.connect(str(fresh_db))
    try:
        now = events.clock.now_for(con).replace(tzinfo=None, second=0, microsecond=0)
        cora = Actor("cora@kommun.se", "coordinator")
        event_id = events.open_event(
            con,
            cora,
            title="Skottlossning vid stationen **nu**",
            place="Rimbo station",
            area_group_id="rimbo",
            occurred_at=now,
            organisations=["police"],
        )
        events.delegate_task(
            con, cora, event_id, title="Förstärkt närvaro", owner_org="police", hours=6
        )
    finally:
        con.close()
    for params in ({}, {"mode": "meeting"}):
        at = run_app("pages/lagesbild.py", query_params=params)
        assert any("Öppna händelser" in m.value for m in at.markdown)
        [line] = [x.value for x in at.text if "Skottlossning" in x.value]
        assert line.startswith("Skottlossning vid stationen **nu** – Rimbo station, ")
        assert line.endswith(": 1 öppna uppgifter, 0 försenade.")  # as text, not Markdown
        assert at.metric  # the week still follows below


def test_the_page_in_english(app):
    at = app("pages/handelser.py", lang="English")
    assert at.title[0].value == "Events"
    assert "No open events." in [i.value for i in at.info]
    assert "Open the event" in [b.label for b in at.button]
