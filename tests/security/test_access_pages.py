"""Pages for every role: no crash, no sensitive figure or label for a role that may not see it.

Each test drives the whole app through AppTest (dashboard.py with its gate, sidebar and
navigation) over a copy of the demo database and reads what the page sends to the browser.
"""

from __future__ import annotations

import datetime as dt

import pytest

from safetycore import actions, db
from safetycore.access import Actor
from tests.conftest import DEMO_END, run_app

COORDINATOR = Actor("Kim Samordnare", role="coordinator")


@pytest.fixture()
def writable(fresh_db, monkeypatch):
    """The app over a private copy of the demo, with its cached results forgotten."""
    from ui import cache

    monkeypatch.setenv("SAFETY_DB", str(fresh_db))
    cache.clear_cached_results()
    yield fresh_db
    cache.clear_cached_results()


def add_action(path, **fields) -> int:
    con = db.connect(str(path))
    try:
        draft = actions.ActionDraft(
            **{
                "title": "Trygghetsvandring",
                "area_group_id": "rimbo",
                "owner_org": "schools",
                "start_date": DEMO_END - dt.timedelta(days=60),
                **fields,
            }
        )
        return actions.create_action(
            con, COORDINATOR, draft, now=dt.datetime.combine(DEMO_END, dt.time(12))
        )
    finally:
        con.close()


def test_actions_page_opens_with_an_action_without_target_categories(writable):
    # The only action of its area group and owner, and it names no category: the inventory
    # row of that pair then has no category list at all.
    add_action(writable, title="Möte med skolans elevråd", target_categories=())
    at = run_app("pages/atgarder.py")
    assert not at.exception
    inventory = at.dataframe[-1].value
    row = inventory[(inventory["owner_org"] == "Skolor") & (inventory["area_group"] == "Rimbo")]
    assert len(row) == 1 and row.iloc[0]["categories"] == ""
    titles = set().union(
        *(set(d.value["title"]) for d in at.dataframe if "title" in d.value.columns)
    )
    assert "Möte med skolans elevråd" in titles
