"""The Lägesbild page through AppTest: the week's figures match SQL, meeting mode shows no more
than it may (asserted on the element data sent to the browser), and a rating saves and shows."""

import datetime as dt

import pytest

from safetycore import db
from safetycore.taxonomy import CATEGORIES
from tests.conftest import ROOT
from tests.helpers import deck_layer, decks, plant_spike

GROUPS = [
    "norrtalje-stad",
    "rimbo",
    "hallstavik",
    "vaddo-almsta",
    "skargarden",
    "sodra-landsbygden",
]
GROUP_NAMES = [
    "Norrtälje stad",
    "Rimbo",
    "Hallstavik",
    "Väddö/Älmsta",
    "Skärgården",
    "Södra landsbygden",
]
SENSITIVE_LABELS = [c.label_sv for c in CATEGORIES if c.sensitive]


def count(con, week: str, *, sensitive: bool = True, group: str | None = None) -> int:
    monday = dt.date.fromisocalendar(int(week[:4]), int(week[-2:]), 1)
    return (
        con.cursor()
        .execute(
            """SELECT count(*) FROM incidents AS i LEFT JOIN areas AS a ON a.id = i.area_id
           WHERE i.occurred_at >= $s AND i.occurred_at < $e
             AND ($g IS NULL OR a.area_group_id = $g)
             AND ($sens OR i.category NOT IN (SELECT code FROM categories WHERE sensitive))""",
            {"s": monday, "e": monday + dt.timedelta(days=7), "g": group, "sens": sensitive},
        )
        .fetchone()[0]
    )


def cells_sql(con, week: str, group: str, min_n: int) -> dict[str, int]:
    monday = dt.date.fromisocalendar(int(week[:4]), int(week[-2:]), 1)
    rows = (
        con.cursor()
        .execute(
            """SELECT lower(hex(h3_parent(i.h3_cell, 8))), count(*) FROM incidents AS i
           JOIN areas AS a ON a.id = i.area_id
           WHERE i.occurred_at >= $s AND i.occurred_at < $e AND a.area_group_id = $g
             AND i.h3_cell IS NOT NULL AND i.location_precision IN ('exact', 'street')
             AND i.category NOT IN (SELECT code FROM categories WHERE sensitive)
           GROUP BY 1 HAVING count(*) >= $k""",
            {"s": monday, "e": monday + dt.timedelta(days=7), "g": group, "k": min_n},
        )
        .fetchall()
    )
    return dict(rows)


def metrics(at) -> list[tuple[str, int]]:
    return [(m.label, int(m.value.replace("\u202f", ""))) for m in at.metric]


def page_text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [str(h.value) for h in at.header] + [str(s.value) for s in at.subheader]
    return "\n".join(parts)


def test_default_week_figures_match_sql(app, demo_con):
    at = app()
    assert at.title[0].value == "Lägesbild vecka 46"
    assert at.selectbox(key="week").value == "2026-W46"
    found = metrics(at)
    assert found[0] == ("Alla händelser", count(demo_con, "2026-W46"))
    # Every area group has a tab, in meeting order; only the open one is built and drawn.
    tabs = at.get("tab")
    assert [tab.label for tab in tabs] == GROUP_NAMES
    for name, group in zip(GROUP_NAMES, GROUPS, strict=True):
        if name != GROUP_NAMES[0]:
            at.session_state["situation_tab"] = name
            at.run()
        assert not at.exception
        # The open group's own total follows the municipality's three figures.
        assert metrics(at)[3] == ("Alla händelser", count(demo_con, "2026-W46", group=group))
        # Its map, with every cell (the normal page has no k threshold); one map only.
        (spec,) = decks(at)
        cells = deck_layer(spec, "cells")["data"]
        assert {c["hex"]: c["n"] for c in cells} == cells_sql(demo_con, "2026-W46", group, 1)
        assert len(at.get("vega_lite_chart")) == 2  # the trend and the group's categories


def test_week_from_the_address_bar(app, demo_con):
    at = app(week="2026-W40")
    assert at.title[0].value == "Lägesbild vecka 40"
    assert metrics(at)[0][1] == count(demo_con, "2026-W40")
    frames = [d.value for d in at.dataframe]
    groups = next(f for f in frames if "group" in f.columns)
    assert list(groups["week"]) == [count(demo_con, "2026-W40", group=g) for g in GROUPS]
    sources = next(f for f in frames if "status" in f.columns)
    assert sources["week"].sum() == count(demo_con, "2026-W40")


def test_meeting_mode_reveals_no_more(app, demo_con):
    at = app(mode="meeting")
    assert at.toggle(key="_meeting_toggle").value is True
    assert metrics(at)[0][1] == count(demo_con, "2026-W46", sensitive=False)
    assert not decks(at)  # the overview has no map
    seen = []
    tasks_shown = 0
    for group in GROUPS:
        at.button(key="meeting-next").click().run()
        assert not at.exception
        assert at.query_params["step"] == [group] or at.query_params["step"] == group
        found = metrics(at)
        assert found[0][1] == count(demo_con, "2026-W46", sensitive=False, group=group)
        (spec,) = decks(at)
        assert {layer["id"] for layer in spec["layers"]} <= {"areas", "cells"}  # no points
        cells = deck_layer(spec, "cells")
        data = {c["hex"]: c["n"] for c in cells["data"]} if cells else {}
        assert data == cells_sql(demo_con, "2026-W46", group, 3)
        assert all(n >= 3 for n in data.values())
        for frame in (d.value for d in at.dataframe):  # task lists: no assignee names
            assert "assignee" not in frame.columns
        text = page_text(at)
        assert not any(label in text for label in SENSITIVE_LABELS)
        assert not any(name in text for name in ("Anna L.", "Johan S.", "Maria K."))  # assignees
        seen.append(len(data))
        tasks_shown += text.count("-badge[Försenad]")
    assert at.button(key="meeting-next").disabled
    assert sum(seen) > 0 and tasks_shown > 0


def test_meeting_mode_hides_the_small_cells_that_the_normal_page_shows(app, demo_con):
    small = cells_sql(demo_con, "2026-W46", "norrtalje-stad", 1)
    assert any(n < 3 for n in small.values())  # there is something to hide
    at = app(mode="meeting", step="norrtalje-stad")
    cells = deck_layer(decks(at)[0], "cells")["data"]
    assert {c["hex"] for c in cells} < set(small)


@pytest.fixture()
def private_app(fresh_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SAFETY_DB", str(fresh_db))

    def make(**query_params):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.session_state["_editor_name"] = "Anna Lind"
        for key, value in query_params.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make, fresh_db


def test_a_rating_saves_and_shows(private_app):
    make, path = private_app
    at = make(mode="meeting", step="rimbo", week="2026-W45")
    key = "rimbo-2026-W45"
    at.radio(key=f"rating-{key}").set_value(5)
    at.text_input(key=f"comment-{key}").input("Lugn vecka, inga larm")
    at.button[[b.label for b in at.button].index("Spara bedömning")].click().run()
    assert not at.exception
    assert any("Bedömning vecka 45: **5** – Lugn vecka, inga larm" in m.value for m in at.markdown)
    assert ":green-badge[v45 5]" in page_text(at)
    con = db.connect(str(path))  # same process and settings: shares the app's database
    try:
        row = con.execute(
            "SELECT rating, comment, rated_by FROM area_ratings "
            "WHERE area_group_id = 'rimbo' AND iso_week = '2026-W45'"
        ).fetchone()
    finally:
        con.close()
    assert row == (5, "Lugn vecka, inga larm", "Anna Lind")


def test_an_action_agreed_on_the_page_is_prefilled_and_saved(private_app):
    make, path = private_app
    # Week 27: youth unrest in Rimbo (the skatepark's first summer) made three times what the
    # demo holds, so that it stands out against every figure the page tests that week.
    plant_spike(path, "rimbo", "youth_unrest", "2026-06-29", "2026-07-06")
    at = make(mode="meeting", step="rimbo", week="2026-W27")
    assert any("**Oroliga ungdomsgrupper**" in m.value for m in at.markdown)
    key = "situation-action-rimbo-2026-W27"
    assert at.selectbox(key=f"{key}__group").value == "rimbo"
    assert at.multiselect(key=f"{key}__cats").value == ["youth_unrest"]
    at.text_input(key=f"{key}__title").input("Fältsamordnare vid skateparken")
    at.button(key=f"{key}__save").click().run()
    assert not at.exception
    con = db.connect(str(path))
    try:
        row = con.execute(
            "SELECT area_group_id, target_categories, created_by FROM actions "
            "WHERE title = 'Fältsamordnare vid skateparken'"
        ).fetchone()
    finally:
        con.close()
    assert row == ("rimbo", ["youth_unrest"], "Anna Lind")


def test_the_week_is_said_as_an_expected_range(app, demo_con):
    # Each headline figure says what was expected and what came, in words: "väntat 8–19, i år 31".
    import re

    at = app(week="2026-W44")
    said = [
        re.fullmatch(r"väntat (\d+)–(\d+), i år (\d+)", c.value.replace("\u202f", ""))
        for c in at.caption
    ]
    said = [m for m in said if m]
    assert len(said) >= 6  # the municipality's three figures and the open group's three
    low, high, n = map(int, said[0].groups())
    assert n == metrics(at)[0][1] and low <= high
    assert low > 0  # the holiday week of the demo is expected: a real range, not 0–0
