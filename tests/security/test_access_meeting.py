"""The meeting screen fixes its filters and shows no place-level count below k.

The attack: in meeting mode, add ``?cats=assault`` (or an area, a source) to the address and
compare the map with and without it; differencing singled out one assault in one cell. Here
the address bar's filters must change nothing on the meeting screen, no cell of the map may
hold fewer than k events, and a cell's incident / quality-of-life split appears only where
both parts reach k.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers import deck_layer
from tests.security.sent import deck_specs, elements, sent_text

K = 3  # SAFETY_MEETING_MIN_CELL's default
NARROWING = {
    "cats": "assault",
    "kinds": "incident",
    "areas": "centrum",
    "sources": "police",
    "groups": "rimbo",
    "period": "custom",
    "from": "2026-11-16",
    "to": "2026-11-16",
}
SENSITIVE = ("Våld i nära relation", "Sexualbrott", "domestic_violence", "sexual_offence")


def cells_of(at) -> list[dict]:
    cells = []
    for spec in deck_specs(at):
        layer = deck_layer(spec, "cells")
        cells.extend(layer["data"] if layer else [])
    return cells


def assert_k(cells: list[dict]) -> None:
    for cell in cells:
        assert cell["n"] >= K, cell
        split = (cell["incidents"], cell["qol"])
        assert split == ("–", "–") or min(split) >= K, cell


@pytest.mark.parametrize("week", ["2026-W46", "2026-W44"])
def test_url_filters_change_nothing_on_the_meeting_screen(app, week):
    plain = app(mode="meeting", step="norrtalje-stad", week=week)
    narrowed = app(mode="meeting", step="norrtalje-stad", week=week, **NARROWING)
    assert cells_of(plain) and cells_of(narrowed) == cells_of(plain)
    assert [m.value for m in narrowed.metric] == [m.value for m in plain.metric]
    assert_k(cells_of(narrowed))
    # The tooltip names the split; its values are the cells' own, checked above.
    tooltip = json.loads(
        next(p.tooltip for _, p in elements(narrowed) if p.DESCRIPTOR.name == "DeckGlJsonChart")
    )["text"]
    assert "{incidents}" in tooltip and "{qol}" in tooltip


GROUPS = (
    "norrtalje-stad",
    "rimbo",
    "hallstavik",
    "vaddo-almsta",
    "skargarden",
    "sodra-landsbygden",
)


def test_no_map_cell_below_k_in_any_group_even_with_url_filters(app):
    seen = 0
    for group in GROUPS:
        at = app(mode="meeting", step=group, week="2026-W46", cats="vandalism")
        cells = cells_of(at)
        assert_k(cells)
        seen += len(cells)
    assert seen  # there were cells to check


def test_the_meeting_screen_draws_no_filter_and_no_sensitive_option(app):
    at = app(mode="meeting", cats="domestic_violence")  # no login: a coordinator's session
    assert not list(at.sidebar.multiselect)  # the filters are not drawn, hidden or not
    sent = sent_text(at)
    assert not [label for label in SENSITIVE if label in sent]


def test_meeting_mode_offers_no_other_page(app):
    # Karta in meeting mode would show cells of one event: only the meeting is registered.
    # (Lägesbild is registered twice: at "/" and at its address /lagesbild)
    with pytest.raises(ValueError, match=r"Known pages: \[(?:'[^,]*lagesbild\.py'(?:, )?)+\]"):
        app("pages/karta.py", mode="meeting")


def test_a_cells_split_is_withheld_when_either_part_is_below_k():
    import pandas as pd

    from safetycore import disclosure

    cells = pd.DataFrame(
        {"cell": ["a", "b", "c"], "n": [2, 5, 8], "incidents": [1, 1, 4], "qol": [1, 4, 4]}
    )
    shown = disclosure.meeting_cells(cells, 3)
    assert list(shown["cell"]) == ["b", "c"]  # "a" has fewer than k events
    assert shown.loc[0, ["incidents", "qol"]].tolist() == ["–", "–"]  # 1 would give 4 away
    assert shown.loc[1, ["incidents", "qol"]].tolist() == [4, 4]


def test_the_meeting_names_an_action_on_a_sensitive_matter_by_its_number():
    import pandas as pd

    from safetycore import disclosure

    tasks = pd.DataFrame(
        {
            "id": [7, 8],
            "title": ["Stöd till familjen Andersson", "Klotter"],
            "target_categories": [["domestic_violence"], ["graffiti"]],
        }
    )
    shown = disclosure.meeting_tasks(tasks, {"domestic_violence"})
    assert shown["title"].tolist() == ["#7", "Klotter"]


def test_the_meeting_screen_and_public_report_hide_a_sensitive_actions_title(fresh_db, monkeypatch):
    import datetime as dt

    from safetycore import actions, db, report
    from safetycore.access import Actor
    from tests.conftest import DEMO_END, run_app
    from ui import cache

    title = "Stöd till familjen Andersson efter larm"
    con = db.connect(str(fresh_db))
    try:
        action_id = actions.create_action(
            con,
            Actor("Kim", role="coordinator"),
            actions.ActionDraft(
                title=title,
                area_group_id="rimbo",
                owner_org="social_services",
                target_categories=("domestic_violence",),
                due_date=DEMO_END - dt.timedelta(days=3),
                start_date=DEMO_END - dt.timedelta(days=20),
            ),
            now=dt.datetime.combine(DEMO_END - dt.timedelta(days=20), dt.time(9)),
        )
        public = report.report_bytes(
            con, "2026-W46", fmt="html", today=DEMO_END, internal=False
        ).decode("utf-8")
    finally:
        con.close()
    monkeypatch.setenv("SAFETY_DB", str(fresh_db))
    cache.clear_cached_results()
    try:
        at = run_app(query_params={"mode": "meeting", "step": "rimbo", "week": "2026-W46"})
        sent = sent_text(at)
    finally:
        cache.clear_cached_results()
    assert title not in sent and f"#{action_id}" in sent
    assert title not in public and f"#{action_id}" in public
