"""PII canaries: a Luhn-valid personal identity number, phone numbers, an e-mail address and a
name, written into every text field of every table through every write path (a mapped CSV,
police events JSON, Open311 JSON, the observation form, actions, ratings, the area
configuration), must not be found afterwards: not by SQL in any text column of any table,
not in the bytes of the database file, and not in what the Data page sends to the browser
for a coordinator, a viewer or the read-only screen.
"""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest

from safetycore import actions, area_admin, db, geo, privacy, ratings
from safetycore.access import Actor
from safetycore.ingest import import_file
from safetycore.ingest.observation import Observation, report_observation
from tests.conftest import DEMO_END, run_app

PNR = "19811218-9876"  # Luhn-valid
CANARY = (
    "Eleven Kalle Kanarisson, pnr " + PNR + " och 811218\u20139876, ring 070/918 27 36 "
    "eller (070) 918 27 36, kim.kanarie@example.se"
)
NUMBERS_ONLY = "pnr 811218-9876, 070/918 27 36, kim.kanarie@example.se"  # for fields with names
# What no stored or shown text may contain: a part of each canary.
NEEDLES = ("811218", "918 27 36", "kanarie@", "Kanarisson")
CONTROL = "Kontrolltext-Q7Z4"  # stored next to the canaries, to show the data did arrive

COORDINATOR = Actor("Kim Samordnare", role="coordinator")
ADMIN = Actor("Ada Admin", role="admin")
DAY = DEMO_END - dt.timedelta(days=2)
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "trygghet",
    "client_secret": "s",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def write_everything(con, tmp_path) -> dict:
    """The canary through every write path; returns the import batch ids."""
    areas = geo.load_areas(con)
    area = areas[0]
    point = area.geometry.representative_point()
    group = con.execute(
        "SELECT area_group_id FROM areas WHERE id = $id", {"id": area.id}
    ).fetchone()[0]
    batches = {}

    # A mapped CSV: an imported row with the canary in the description and the place; rows
    # refused for an unknown category and an unknown area that quote the canary; a source and
    # a file named with it.
    csv_path = tmp_path / "vecka.csv"
    rows = [
        ["Tid", "Typ", "Område", "Plats", "Text", "Extra"],
        [f"{DAY} 21:30", "Klotter", area.name, CANARY, f"{CONTROL} {CANARY}", CANARY],
        [f"{DAY} 22:30", CANARY, area.name, CANARY, CANARY, CANARY],
        [f"{DAY} 23:30", "Klotter", CANARY, CANARY, CANARY, CANARY],
    ]
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    mapping = {
        "columns": {
            "time": "Tid",
            "category": "Typ",
            "area": "Område",
            "place": "Plats",
            "description": "Text",
        }
    }
    result = import_file(
        con,
        csv_path,
        COORDINATOR,
        fmt="csv",
        mapping=mapping,
        source="Väktare " + NUMBERS_ONLY,
        file_name=f"rapport {PNR}.csv",
    )
    assert (result.imported, result.rejected) == (1, 2)
    batches["csv"] = result.batch_id

    # Police events: one in the municipality (imported), one outside it (skipped, kept raw).
    municipality = db.meta_get(con, "municipality")
    events = [
        {
            "id": 990001,
            "datetime": f"{DAY} 20:00:00 +01:00",
            "name": f"{DAY.day} november 19:40, Misshandel, {municipality}",
            "summary": CANARY,
            "url": "/x",
            "type": "Misshandel",
            "location": {"name": municipality, "gps": f"{point.y},{point.x}"},
        },
        {
            "id": 990002,
            "datetime": f"{DAY} 20:00:00 +01:00",
            "name": f"{DAY.day} november 19:40, Misshandel, Solna",
            "summary": CANARY,
            "url": "/y",
            "type": "Misshandel",
            "location": {"name": "Solna", "gps": "59.36,18.0"},
        },
    ]
    police = tmp_path / "polisen.json"
    police.write_text(json.dumps(events, ensure_ascii=False), encoding="utf-8")
    result = import_file(con, police, COORDINATOR, fmt="polisen")
    assert (result.imported, result.skipped) == (1, 1)
    batches["polisen"] = result.batch_id

    # Open311: an imported request and one without a location (rejected, kept raw).
    requests = [
        {
            "service_request_id": "k1",
            "service_name": "Klotter",
            "requested_datetime": f"{DAY}T10:00:00+01:00",
            "lat": point.y,
            "long": point.x,
            "address": CANARY,
            "description": CANARY,
        },
        {
            "service_request_id": "k2",
            "service_name": "Klotter",
            "requested_datetime": f"{DAY}T11:00:00+01:00",
            "address": CANARY,
            "description": CANARY,
        },
    ]
    open311 = tmp_path / "open311.json"
    open311.write_text(json.dumps(requests, ensure_ascii=False), encoding="utf-8")
    result = import_file(con, open311, COORDINATOR, fmt="open311")
    assert result.imported == 1 and result.rejected == 1
    batches["open311"] = result.batch_id

    # The observation form.
    report_observation(
        con,
        Actor("Rektor", role="reporter"),
        Observation(
            category="vandalism",
            source="schools",
            day=DAY,
            day_part="evening",
            area_id=area.id,
            place=CANARY,
            description=CANARY,
        ),
    )

    # Actions: created, followed up, reassigned and closed, every text with the canary.
    action_id = actions.create_action(
        con,
        COORDINATOR,
        actions.ActionDraft(
            title=CANARY,
            area_group_id=group,
            owner_org="schools",
            description=CANARY,
            assignee="Kim " + NUMBERS_ONLY,
        ),
    )
    version = actions.get_action(con, action_id)["version"]
    version = actions.add_note(con, COORDINATOR, action_id, version, CANARY)
    version = actions.update_action(
        con,
        COORDINATOR,
        action_id,
        version,
        {"title": "Ny " + CANARY, "assignee": "Per " + NUMBERS_ONLY},
    )
    actions.close_action(con, COORDINATOR, action_id, version, CANARY)

    # The meeting's rating.
    ratings.save_rating(con, COORDINATOR, group, "2026-W47", 2, CANARY)

    # The area configuration (names of places: numbers and addresses are masked).
    area_admin.rename_group(con, ADMIN, group, "Grupp " + NUMBERS_ONLY)
    return batches


def text_columns(con) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'main' AND (data_type = 'VARCHAR' OR data_type LIKE '%[]') "
        "ORDER BY ALL"
    ).fetchall()


def found_by_sql(con, needle: str) -> list[str]:
    hits = []
    for table, column in text_columns(con):
        n = con.execute(
            f'SELECT count(*) FROM "{table}" WHERE contains(CAST("{column}" AS VARCHAR), $n)',  # noqa: S608
            {"n": needle},
        ).fetchone()[0]
        if n:
            hits.append(f"{table}.{column}")
    return hits


@pytest.fixture(scope="module")
def canary_db(pristine_db, tmp_path_factory):
    from tests.conftest import copy_db

    tmp = tmp_path_factory.mktemp("pii")
    path = copy_db(pristine_db, tmp)
    con = db.connect(str(path))
    try:
        batches = write_everything(con, tmp)
    finally:
        con.close()
    return path, batches


def test_no_canary_is_stored_in_any_text_column_of_any_table(canary_db):
    path, _ = canary_db
    con = db.connect(str(path), read_only=True)
    try:
        for needle in NEEDLES:
            assert found_by_sql(con, needle) == [], needle
        # ... because they were masked, not lost: every table got its masked text.
        for table, column in [
            ("incidents", "description"),
            ("incidents", "place"),
            ("rejected_rows", "raw"),
            ("rejected_rows", "reason"),
            ("import_batches", "file_name"),
            ("sources", "label_sv"),
            ("actions", "title"),
            ("actions", "description"),
            ("actions", "outcome"),
            ("actions", "assignee"),
            ("action_log", "new_value"),
            ("area_ratings", "comment"),
            ("area_groups", "name"),
            ("area_log", "new_value"),
        ]:
            n = con.execute(
                f'SELECT count(*) FROM "{table}" WHERE contains("{column}", \'[personnummer]\')'  # noqa: S608
            ).fetchone()[0]
            assert n > 0, f"{table}.{column}"
        assert (
            con.execute(
                "SELECT count(*) FROM incidents WHERE contains(description, $c)", {"c": CONTROL}
            ).fetchone()[0]
            == 1
        )
        # Names stay where a field names a person by design, the numbers do not.
        assert (
            con.execute("SELECT assignee FROM actions WHERE contains(assignee, 'Per ')")
            .fetchone()[0]
            .startswith("Per pnr [personnummer], [telefonnummer]")
        )
        assert (
            con.execute(
                "SELECT count(*) FROM rejected_rows WHERE contains(raw, '[e-post]')"
            ).fetchone()[0]
            >= 4
        )
    finally:
        con.close()


def test_no_canary_is_in_the_bytes_of_the_database_file(canary_db):
    path, _ = canary_db
    content = path.read_bytes()
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        content += wal.read_bytes()
    assert CONTROL.encode() in content  # the file keeps plain text: the test can see it
    for needle in NEEDLES:
        assert needle.encode() not in content, needle


def element_bytes(node) -> bytes:
    """Everything an AppTest run would send to the browser, as serialised protobuf (tables
    are Arrow IPC inside it, with their strings in plain UTF-8)."""
    out = b""
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "SerializeToString"):
        out += proto.SerializeToString()
    for child in getattr(node, "children", {}).values():
        out += element_bytes(child)
    return out


def data_page(monkeypatch, path, tmp_path, who: str, batch: int):
    monkeypatch.setenv("SAFETY_DB", str(path))
    if who == "read-only":
        monkeypatch.setenv("SAFETY_READONLY", "1")
        at = run_app("pages/datakallor.py")
    elif who == "viewer":
        roles = tmp_path / "roles.toml"
        roles.write_text('[users]\n"vera@kommun.se" = "viewer"\n', encoding="utf-8")
        monkeypatch.setenv("SAFETY_ROLES_FILE", str(roles))
        at = run_app(
            "pages/datakallor.py",
            secrets={"auth": AUTH},
            user={"is_logged_in": True, "email": "vera@kommun.se", "email_verified": True},
        )
    else:
        at = run_app("pages/datakallor.py")
    at.selectbox(key="hist_batch").select(batch).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("who", ["coordinator", "viewer", "read-only"])
def test_no_canary_reaches_the_data_page(canary_db, monkeypatch, tmp_path, who):
    from ui import cache

    path, batches = canary_db
    cache.clear_cached_results()
    at = data_page(monkeypatch, path, tmp_path, who, batches["csv"])
    sent = element_bytes(at._tree)
    for needle in NEEDLES:
        assert needle.encode() not in sent, (who, needle)
    # The events table shows the imported rows, masked, to everyone.
    assert b"[personnummer]" in sent and CONTROL.encode() in sent
    raw_shown = any("Innehåll" in frame.value.columns for frame in at.dataframe)
    assert raw_shown == (who == "coordinator")


def test_a_database_from_before_the_scrubber_is_scrubbed_once_when_opened(fresh_db):
    """Personal data written straight into every free-text column (as an older version
    stored it) is masked when the database is next opened, and the version is recorded."""
    con = db.connect(str(fresh_db))
    try:
        write_everything_raw(con)
        con.execute("DELETE FROM meta WHERE key = 'privacy_version'")
        assert found_by_sql(con, "918 27 36")  # planted
    finally:
        con.close()
    con = db.connect(str(fresh_db))
    try:
        for needle in NEEDLES:
            assert found_by_sql(con, needle) == [], needle
        assert db.meta_get(con, "privacy_version") == str(privacy.VERSION)
        assert (
            con.execute(
                "SELECT count(*) FROM incidents WHERE description = $d",
                {"d": "Klotter, ring [telefonnummer]"},
            ).fetchone()[0]
            == 3
        )
    finally:
        con.close()
    con = db.connect(str(fresh_db))  # once: a scrubbed database is not read again
    try:
        assert db.scrub_if_needed(con) is None
    finally:
        con.close()


def write_everything_raw(con) -> None:
    text = "Klotter, ring 070-918 27 36"
    ids = [r[0] for r in con.execute("SELECT id FROM incidents ORDER BY id LIMIT 3").fetchall()]
    con.execute(
        "UPDATE incidents SET description = $t, place = $c, category_raw = $c "
        "WHERE list_contains($ids, id)",
        {"t": text, "c": CANARY, "ids": ids},
    )
    con.execute(
        "INSERT INTO rejected_rows VALUES (1, 2, 'rejected', $r, $c, NULL, NULL)",
        {"r": "unknown_category: " + CANARY, "c": CANARY},
    )
    con.execute(
        "INSERT INTO import_batches (id, source, file_name, format, imported_by) "
        "VALUES (77, 'x', $c, 'csv', 'k')",
        {"c": CANARY},
    )
    action = con.execute("SELECT min(id) FROM actions").fetchone()[0]
    con.execute(
        "UPDATE actions SET title = $c, description = $c, outcome = $c, assignee = $n "
        "WHERE id = $id",
        {"c": CANARY[:190], "n": NUMBERS_ONLY, "id": action},
    )
    con.execute(
        "INSERT INTO action_log VALUES ($id, now()::TIMESTAMP, 'k', 'note', $c, $c)",
        {"id": action, "c": CANARY},
    )
    con.execute(
        "UPDATE area_ratings SET comment = $c WHERE iso_week = "
        "(SELECT max(iso_week) FROM area_ratings)",
        {"c": CANARY},
    )
    con.execute(
        "INSERT INTO area_log VALUES (now()::TIMESTAMP, 'k', 'area', 'a', 'name', $n, $n)",
        {"n": NUMBERS_ONLY},
    )
    con.execute(
        "UPDATE area_groups SET name = name || ' ' || $n WHERE id = "
        "(SELECT min(id) FROM area_groups)",
        {"n": NUMBERS_ONLY},
    )
    con.execute(
        "UPDATE areas SET name = name || ' ' || $n WHERE id = (SELECT min(id) FROM areas)",
        {"n": NUMBERS_ONLY},
    )
    con.execute("UPDATE sources SET label_sv = $n WHERE code = 'schools'", {"n": NUMBERS_ONLY})


def test_the_observation_form_warns_about_an_email_address_and_shows_it_masked(app):
    at = app("pages/rapportera.py")
    at.text_area(key="obs_text").input("Klottret anmält av kim.kanarie@example.se").run()
    warnings = [w.value for w in at.warning]
    assert any("e-postadress" in w for w in warnings), warnings
    assert any(c.value == "Klottret anmält av [e-post]" for c in at.code)
