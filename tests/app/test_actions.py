"""The Actions page through its widgets (AppTest): create, edit, close, conflicts, bad input,
"our tasks", the effect view and read-only mode."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from safetycore import actions, db
from safetycore.access import Actor
from tests.conftest import DEMO_END, ROOT

NAME_LABEL = "Ditt namn (visas i ändringsloggen)"
TITLE = "Extra belysning vid Rimbo busstation"


@pytest.fixture()
def writable_app(fresh_db, monkeypatch):
    """An AppTest of the whole app over a private copy of the demo (these tests write).

    Cached query results are keyed on the data version, not on the database file, so results
    cached over other copies in this test process are cleared before and after.
    """
    from streamlit.testing.v1 import AppTest

    from ui import cache

    monkeypatch.setenv("SAFETY_DB", str(fresh_db))
    cache.clear_cached_results()

    def make(name: str | None = "Kim Koordinator"):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.run()
        at.switch_page("pages/atgarder.py")
        at.run()
        if name:
            sidebar_name(at, name)
        assert not at.exception, [e.value for e in at.exception]
        return at

    yield make
    cache.clear_cached_results()


def sidebar_name(at, name: str) -> None:
    field = next(w for w in at.sidebar.text_input if w.label == NAME_LABEL)
    field.input(name)
    at.run()


def metric(at, label: str) -> int:
    value = next(m.value for m in at.metric if m.label == label)
    return int(value.replace("\u202f", "").replace(" ", ""))


def group_counts(at) -> dict[str, tuple[int, int]]:
    frame = at.dataframe[0].value
    return {r["area_group"]: (int(r["open"]), int(r["overdue"])) for _, r in frame.iterrows()}


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def create(at, title: str = TITLE, group: str = "rimbo", area: str | None = "rimbo-centrum"):
    at.text_input(key="new_action__title").input(title)
    at.selectbox(key="new_action__group").set_value(group)
    at.run()
    if area:
        at.selectbox(key="new_action__area").set_value(area)
    at.multiselect(key="new_action__cats").set_value(["unsafe_place", "vandalism"])
    at.selectbox(key="new_action__owner").set_value("street_park")
    at.button(key="new_action__save").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_create_edit_and_close_through_the_widgets(writable_app, fresh_db):
    at = writable_app(name=None)
    # Without a name nothing can be saved.
    assert at.button(key="new_action__save").disabled
    sidebar_name(at, "Kim Koordinator")
    open_before, counts_before = metric(at, "Öppna åtgärder"), group_counts(at)

    # Bad input: a clear message each, nothing saved, what was typed is kept (not truncated).
    create(at, title="Städa <script>alert('x')</script>")
    assert "HTML eller skript" in " ".join(texts(at.error))
    create(at, title="x" * 10_000)
    assert "har 10000 tecken; högst 200" in " ".join(texts(at.error))
    assert len(at.text_input(key="new_action__title").value) == 10_000
    create(at, title="   ")
    assert "Ge åtgärden en titel." in " ".join(texts(at.error))
    assert metric(at, "Öppna åtgärder") == open_before

    create(at)
    assert any(TITLE in s for s in texts(at.success)), texts(at.success)
    assert metric(at, "Öppna åtgärder") == open_before + 1
    counts = group_counts(at)
    assert counts["Rimbo"][0] == counts_before["Rimbo"][0] + 1
    assert counts["Hallstavik"] == counts_before["Hallstavik"]
    # The form is empty again for the next action.
    assert at.text_input(key="new_action__title").value == ""

    con = db.connect(str(fresh_db))
    new_id, status, who, cats = con.execute(
        "SELECT id, status, created_by, target_categories FROM actions WHERE title = $t",
        {"t": TITLE},
    ).fetchone()
    assert (status, who, sorted(cats)) == ("open", "Kim Koordinator", ["unsafe_place", "vandalism"])
    # It is on the Rimbo board, with labels rather than codes.
    rimbo = next(d.value for d in at.dataframe if TITLE in set(d.value.get("title", [])))
    row = rimbo[rimbo["title"] == TITLE].iloc[0]
    assert row["owner_org"] == "Gata och park" and row["status"] == "Öppen"
    assert row["categories"] == "Otrygg plats, Skadegörelse"

    # Follow up: change status and assignee, add a note.
    at.selectbox(key="follow_action").set_value(new_id)
    at.run()
    at.selectbox(key=f"follow_{new_id}__status").set_value("in_progress")
    at.text_input(key=f"follow_{new_id}__assignee").input("Johan S.")
    at.text_area(key=f"follow_{new_id}__note").input("Lampor beställda")
    at.button(key=f"follow_{new_id}__save").click()
    at.run()
    assert "Ändringarna är sparade." in texts(at.success)
    log = con.execute(
        "SELECT changed_by, field, old_value, new_value FROM action_log "
        "WHERE action_id = $id ORDER BY rowid",
        {"id": new_id},
    ).fetchall()
    assert log[1:] == [
        ("Kim Koordinator", "assignee", "", "Johan S."),
        ("Kim Koordinator", "status", "open", "in_progress"),
        ("Kim Koordinator", "note", None, "Lampor beställda"),
    ]
    history = next(d.value for d in at.dataframe if "changed_by" in d.value.columns)
    assert list(history["new_value"]) == [TITLE, "Johan S.", "Pågår", "Lampor beställda"]

    # Close with an outcome: it leaves the open counts.
    at.text_area(key=f"follow_{new_id}__outcome").input("Belysningen är på plats")
    at.button(key=f"follow_{new_id}__close").click()
    at.run()
    assert "Åtgärden är avslutad." in texts(at.success)
    assert metric(at, "Öppna åtgärder") == open_before
    assert group_counts(at)["Rimbo"] == counts_before["Rimbo"]
    assert con.execute(
        "SELECT status, outcome FROM actions WHERE id = $id", {"id": new_id}
    ).fetchone() == ("done", "Belysningen är på plats")
    con.close()


def test_a_second_save_on_a_stale_version_is_refused_with_the_current_values(
    writable_app, fresh_db
):
    con = db.connect(str(fresh_db))
    new_id = actions.create_action(
        con,
        Actor("Kim Koordinator"),
        actions.ActionDraft(title=TITLE, area_group_id="rimbo", owner_org="street_park"),
        now=dt.datetime(2026, 11, 20, 15),
    )
    at = writable_app()
    at.selectbox(key="follow_action").set_value(new_id)
    at.run()
    # Meanwhile another session reassigns it.
    actions.update_action(
        con,
        Actor("Lena Andersson"),
        new_id,
        1,
        {"assignee": "Lena"},
        now=dt.datetime(2026, 11, 20, 16),
    )
    at.text_input(key=f"follow_{new_id}__assignee").input("Kim")
    at.button(key=f"follow_{new_id}__save").click()
    at.run()
    warning = " ".join(texts(at.warning))
    assert "Någon annan (Lena Andersson) ändrade åtgärden" in warning
    assert (
        con.execute("SELECT assignee FROM actions WHERE id = $id", {"id": new_id}).fetchone()[0]
        == "Lena"
    )
    # The current values are shown, and loading them lets the change be made again.
    shown = [d.value for d in at.dataframe if "value" in d.value.columns]
    assert any("Lena" in set(f["value"]) for f in shown)
    at.button(key=f"follow_{new_id}__reload").click()
    at.run()
    at.text_input(key=f"follow_{new_id}__assignee").input("Kim")
    at.button(key=f"follow_{new_id}__save").click()
    at.run()
    assert (
        con.execute("SELECT assignee FROM actions WHERE id = $id", {"id": new_id}).fetchone()[0]
        == "Kim"
    )
    con.close()


def test_board_inventory_and_our_tasks(app, demo_con):
    at = app("pages/atgarder.py")
    tables = [d for d in at.dataframe if "state" in d.value.columns]
    boards = [d.value for d in tables]
    states = [tag for b in boards for tags in b["state"] for tag in tags]
    # The state is a coloured tag, overdue in red, due this week in orange.
    tags = {
        option["value"]: option["color"]
        for option in json.loads(tables[0].proto.columns)["state"]["type_config"]["options"]
    }
    red, green, blue = (int(tags["Försenad"][i : i + 2], 16) for i in (1, 3, 5))
    assert red > 200 and green < 120 and blue < 120
    assert tags["Inom 7 dagar"] != tags["Försenad"] != tags["I tid"]
    expected = demo_con.execute(
        "SELECT count(*) FILTER (WHERE due_date < $d), "
        "count(*) FILTER (WHERE due_date BETWEEN $d AND $d + INTERVAL 6 DAY) "
        "FROM actions WHERE status IN ('open', 'in_progress')",
        {"d": DEMO_END},
    ).fetchone()
    assert (states.count("Försenad"), states.count("Inom 7 dagar")) == expected
    assert expected[0] > 0 and expected[1] > 0
    assert metric(at, "Klart inom 7 dagar") == expected[1]

    # The inventory: every action, and the summed cost.
    total, cost = demo_con.execute("SELECT count(*), sum(cost_sek) FROM actions").fetchone()
    assert metric(at, "Åtgärder totalt") == total
    shown = next(m.value for m in at.metric if m.label == "Summa kostnad")
    assert int(shown.replace("\u202f", "").replace(" kr", "")) == int(cost)

    # "Our tasks": one owner organisation.
    at.selectbox(key="owner").set_value("police")
    at.run()
    open_, overdue = demo_con.execute(
        "SELECT count(*) FILTER (WHERE status IN ('open','in_progress')), "
        "count(*) FILTER (WHERE status IN ('open','in_progress') AND due_date < $d) "
        "FROM actions WHERE owner_org = 'police'",
        {"d": DEMO_END},
    ).fetchone()
    assert 0 < open_ < len(states)
    assert metric(at, "Öppna åtgärder") == open_
    assert metric(at, "Försenade") == overdue
    boards = [d.value for d in at.dataframe if "state" in d.value.columns]
    assert boards and all(set(b["owner_org"]) == {"Polisen"} for b in boards)


def test_effect_view_shows_the_drop_of_a_demo_action_that_worked(app, demo_con):
    at = app("pages/atgarder.py")
    action_id = demo_con.execute(
        "SELECT id FROM actions WHERE title LIKE 'Ny belysning och kameror%'"
    ).fetchone()[0]
    at.selectbox(key="effect_action").set_value(action_id)
    at.run()
    assert not at.exception
    drop = [s for s in texts(at.success) if s.startswith("Målområdet minskade med")]
    assert drop and "konfidensintervall" in drop[0]
    ratio = next(m.value for m in at.metric if m.label == "Kvot av kvoter")
    assert ratio.startswith("0,") and "95 % KI" in ratio
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")


def test_read_only_mode_hides_every_write_widget(fresh_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SAFETY_DB", str(fresh_db))
    monkeypatch.setenv("SAFETY_READONLY", "1")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/atgarder.py")
    at.run()
    assert not at.exception
    keys = {b.key for b in at.button}
    assert "new_action__save" not in keys
    assert not any(k and k.startswith("follow_") for k in keys)
