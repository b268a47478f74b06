"""The action write path: create, update, conflicts, invalid input, the log, a killed writer."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import textwrap

import pytest

from safetycore import actions, db
from safetycore.access import AccessDenied, Actor
from tests.conftest import ROOT

NOW = dt.datetime(2026, 11, 20, 15, 30)
ANNA = Actor("Anna Andersson")
BO = Actor("Bo Berg")


@pytest.fixture()
def con(fresh_db):
    con = db.connect(str(fresh_db))
    yield con
    con.close()


def draft(**changes) -> actions.ActionDraft:
    values = dict(
        title="Laga belysningen i parken",
        area_group_id="rimbo",
        area_id="rimbo-centrum",
        owner_org="street_park",
        target_categories=("vandalism", "unsafe_place"),
        assignee="Maria K.",
        due_date=dt.date(2026, 12, 4),
        cost_sek=25_000,
    )
    values.update(changes)
    return actions.ActionDraft(**values)


def log_rows(con, action_id: int) -> list[tuple]:
    return con.execute(
        "SELECT changed_by, field, old_value, new_value FROM action_log WHERE action_id = $id "
        "ORDER BY changed_at, rowid",
        {"id": action_id},
    ).fetchall()


def problems(exc_info) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in exc_info.value.problems}


def test_create_stores_the_action_its_log_row_and_bumps_the_data_version(con):
    version_before = db.data_version(con)
    new_id = actions.create_action(con, ANNA, draft(), now=NOW)
    stored = actions.get_action(con, new_id)
    assert stored["title"] == "Laga belysningen i parken"
    assert stored["area_id"] == "rimbo-centrum" and stored["owner_org"] == "street_park"
    assert stored["target_categories"] == ["vandalism", "unsafe_place"]
    assert stored["status"] == "open" and stored["version"] == 1
    assert stored["created_by"] == "Anna Andersson" and stored["created_at"] == NOW
    assert stored["start_date"] == NOW.date()  # defaults to the day it was created
    assert log_rows(con, new_id) == [
        ("Anna Andersson", "created", None, "Laga belysningen i parken")
    ]
    assert db.data_version(con) == version_before + 1


def test_update_writes_one_log_row_per_changed_field_with_old_and_new(con):
    new_id = actions.create_action(con, ANNA, draft(), now=NOW)
    later = NOW + dt.timedelta(days=7)
    version = actions.update_action(
        con,
        BO,
        new_id,
        1,
        {"status": "in_progress", "assignee": "Johan S.", "priority": "normal"},  # priority same
        note="Lampor beställda",
        now=later,
    )
    assert version == 2
    stored = actions.get_action(con, new_id)
    assert (stored["status"], stored["assignee"], stored["version"]) == (
        "in_progress",
        "Johan S.",
        2,
    )
    assert log_rows(con, new_id)[1:] == [
        ("Bo Berg", "assignee", "Maria K.", "Johan S."),
        ("Bo Berg", "status", "open", "in_progress"),
        ("Bo Berg", "note", None, "Lampor beställda"),
    ]


def test_close_sets_done_at_and_outcome_and_reassign_changes_owner(con):
    new_id = actions.create_action(con, ANNA, draft(), now=NOW)
    v = actions.reassign(con, BO, new_id, 1, owner_org="property", assignee="", now=NOW)
    v = actions.close_action(con, BO, new_id, v, "Ny belysning på plats", now=NOW)
    stored = actions.get_action(con, new_id)
    assert stored["status"] == "done" and stored["done_at"] == NOW
    assert stored["outcome"] == "Ny belysning på plats" and stored["owner_org"] == "property"
    assert ("Bo Berg", "owner_org", "street_park", "property") in log_rows(con, new_id)
    with pytest.raises(actions.InvalidAction) as exc:
        actions.close_action(con, BO, new_id, v, "   ")
    assert problems(exc) == {("outcome", "outcome_missing")}


def test_a_stale_version_is_refused_with_the_current_values(con):
    new_id = actions.create_action(con, ANNA, draft(), now=NOW)
    actions.update_action(con, ANNA, new_id, 1, {"assignee": "Anna själv"}, now=NOW)
    before = db.data_version(con)
    with pytest.raises(actions.ActionConflict) as exc:
        actions.update_action(con, BO, new_id, 1, {"assignee": "Bo"}, now=NOW)
    assert exc.value.current["assignee"] == "Anna själv"
    assert exc.value.current["version"] == 2
    assert exc.value.current["last_changed_by"] == "Anna Andersson"
    assert "changed by Anna Andersson" in str(exc.value)
    assert actions.get_action(con, new_id)["assignee"] == "Anna själv"  # not overwritten
    assert db.data_version(con) == before  # nothing written


def test_two_sessions_writing_at_once_one_wins_the_other_gets_a_conflict(con):
    new_id = actions.create_action(con, ANNA, draft(), now=NOW)
    first = con.cursor()
    first.execute("BEGIN TRANSACTION")
    first.execute(
        "UPDATE actions SET assignee = 'X', version = version + 1 WHERE id = $id", {"id": new_id}
    )
    with pytest.raises(actions.ActionConflict):
        actions.update_action(con, BO, new_id, 1, {"assignee": "Bo"}, now=NOW)
    first.execute("COMMIT")
    assert actions.get_action(con, new_id)["assignee"] == "X"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title": "   "}, {("title", "title_missing")}),
        ({"title": "x" * 10_000}, {("title", "too_long")}),
        ({"description": "y" * 4001}, {("description", "too_long")}),
        ({"title": "Städa <script>alert(1)</script>"}, {("title", "markup")}),
        ({"description": '<img src=x onerror="alert(1)">'}, {("description", "markup")}),
        ({"due_date": dt.date(2026, 11, 19)}, {("due_date", "due_before_created")}),
        ({"area_id": "atlantis"}, {("area_id", "unknown_area")}),
        ({"area_group_id": "nowhere", "area_id": None}, {("area_group_id", "unknown_group")}),
        ({"area_id": "centrum"}, {("area_id", "area_not_in_group")}),
        ({"target_categories": ("vandalism", "ufo")}, {("target_categories", "unknown_category")}),
        ({"owner_org": ""}, {("owner_org", "owner_missing")}),
        ({"owner_org": "mafia"}, {("owner_org", "unknown_org")}),
        ({"priority": "urgent"}, {("priority", "bad_choice")}),
        ({"cost_sek": -5}, {("cost_sek", "bad_cost")}),
        ({"lat": 59.7, "lon": None}, {("lat", "bad_point")}),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message_and_nothing_written(con, changes, expected):
    count = con.execute("SELECT count(*) FROM actions").fetchone()[0]
    with pytest.raises(actions.InvalidAction) as exc:
        actions.create_action(con, ANNA, draft(**changes), now=NOW)
    assert problems(exc) == expected
    assert str(exc.value)  # an English message for logs
    assert con.execute("SELECT count(*) FROM actions").fetchone()[0] == count


def test_all_problems_are_reported_at_once_and_nothing_is_truncated(con):
    with pytest.raises(actions.InvalidAction) as exc:
        actions.create_action(con, ANNA, draft(title="", area_id="atlantis", owner_org=""), now=NOW)
    assert problems(exc) == {
        ("title", "title_missing"),
        ("area_id", "unknown_area"),
        ("owner_org", "owner_missing"),
    }
    long_title = "Å" * 200  # exactly the limit is fine and stored whole
    new_id = actions.create_action(con, ANNA, draft(title=long_title), now=NOW)
    assert actions.get_action(con, new_id)["title"] == long_title


def test_plain_text_with_angle_brackets_in_words_is_allowed(con):
    new_id = actions.create_action(
        con, ANNA, draft(description="Färre än 5 händelser > förra året"), now=NOW
    )
    assert actions.get_action(con, new_id)["description"] == "Färre än 5 händelser > förra året"


def test_an_update_is_validated_too(con):
    new_id = actions.create_action(con, ANNA, draft(), now=NOW)
    with pytest.raises(actions.InvalidAction) as exc:
        actions.update_action(con, BO, new_id, 1, {"due_date": dt.date(2026, 1, 1)}, now=NOW)
    assert problems(exc) == {("due_date", "due_before_created")}
    with pytest.raises(actions.InvalidAction):
        actions.update_action(con, BO, new_id, 1, {"created_by": "someone else"}, now=NOW)
    assert actions.get_action(con, new_id)["version"] == 1


def test_writes_need_a_named_actor_with_permission(con):
    with pytest.raises(AccessDenied):
        actions.create_action(con, Actor("  "), draft(), now=NOW)
    with pytest.raises(AccessDenied):
        actions.create_action(con, Actor("Vera", role="viewer"), draft(), now=NOW)
    with pytest.raises(AccessDenied, match="read-only"):
        actions.create_action(con, Actor("Skärm", read_only=True), draft(), now=NOW)
    new_id = actions.create_action(con, ANNA, draft(), now=NOW)
    with pytest.raises(AccessDenied):
        actions.add_note(con, Actor("Vera", role="reporter"), new_id, 1, "hej")


def test_a_point_gets_the_default_radius(con):
    new_id = actions.create_action(con, ANNA, draft(lat=59.745, lon=18.37), now=NOW)
    stored = actions.get_action(con, new_id)
    assert (stored["lat"], stored["lon"], stored["radius_m"]) == (59.745, 18.37, 300)


def test_pick_cells_cover_an_area_with_a_bounded_number_of_cells(demo_con):
    boundary = demo_con.execute(
        "SELECT boundary_geojson FROM areas WHERE id = 'solbacka'"
    ).fetchone()[0]
    cells = actions.pick_cells(boundary, max_cells=400)
    assert 50 <= len(cells) <= 400
    assert cells["lat"].between(59.6, 59.9).all() and cells["lon"].between(18.5, 18.9).all()


WRITER = textwrap.dedent("""
    import datetime as dt, sys, time
    from safetycore import actions, db
    from safetycore.access import Actor

    con = db.connect(sys.argv[1])
    who = Actor("Killed writer")
    kept = actions.create_action(con, who, actions.ActionDraft(
        title="Committed before the crash", area_group_id="rimbo", owner_org="police"))
    print("COMMITTED", kept, flush=True)

    def stall(*args, **kwargs):  # the action row is written; its log row never will be
        print("MIDWAY", flush=True)
        time.sleep(600)

    actions._log = stall
    actions.create_action(con, who, actions.ActionDraft(
        title="Half-written action", area_group_id="rimbo", owner_org="police"))
""")


def test_a_writer_killed_mid_save_leaves_no_half_written_action(fresh_db):
    con = db.connect(str(fresh_db))
    before_count = con.execute("SELECT count(*) FROM actions").fetchone()[0]
    before_version = db.data_version(con)
    con.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(fresh_db)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        committed = proc.stdout.readline().split()
        assert committed[0] == "COMMITTED"
        assert proc.stdout.readline().strip() == "MIDWAY"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    con = db.connect(str(fresh_db))
    try:
        titles = [r[0] for r in con.execute("SELECT title FROM actions ORDER BY id").fetchall()]
        assert len(titles) == before_count + 1
        assert "Committed before the crash" in titles
        assert "Half-written action" not in titles
        assert (
            con.execute(
                "SELECT count(*) FROM action_log WHERE action_id = $id", {"id": int(committed[1])}
            ).fetchone()[0]
            == 1
        )
        assert (
            con.execute(
                "SELECT count(*) FROM action_log l ANTI JOIN actions a ON a.id = l.action_id"
            ).fetchone()[0]
            == 0
        )
        assert db.data_version(con) == before_version + 1
    finally:
        con.close()
