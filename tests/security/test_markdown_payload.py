"""User text renders as text: a Markdown payload in an action's title, a rating comment, a source
label and an area group's name from the database shows as its characters on the meeting screen
and the Åtgärder page, and never as an image (fetched from any server as the page is drawn) or
a link; the report leaves comments out and escapes the rest."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from safetycore import actions, db, report
from safetycore.access import Actor
from safetycore.ratings import save_rating
from tests.conftest import DEMO_END, run_app
from tests.security.sent import markdown_fields, sent_text
from ui.text import md

PAYLOAD = "![x](http://127.0.0.1:9/x.png) [klicka](http://evil)"
WEEK = "2026-W46"
COORDINATOR = Actor("Kim Samordnare", role="coordinator")
# Markdown that would make an image or a link of the payload (or of a bare address in it).
ACTIVE = re.compile(r"(?<!\\)!(?<!\\)\[|(?<!\\)\]\(|(?<!\\)https?://|(?<!\\)<img")


def plant(path) -> int:
    con = db.connect(str(path))
    now = dt.datetime.combine(DEMO_END, dt.time(12))
    try:
        con.execute(
            "UPDATE area_groups SET name = $n WHERE id = 'rimbo'", {"n": f"Rimbo {PAYLOAD}"}
        )
        con.execute(
            "UPDATE sources SET label_sv = $n WHERE code = 'schools'", {"n": f"Skolor {PAYLOAD}"}
        )
        action_id = actions.create_action(
            con,
            COORDINATOR,
            actions.ActionDraft(
                title=f"Titel {PAYLOAD}",
                area_group_id="rimbo",
                owner_org="schools",
                target_categories=("vandalism",),
                start_date=DEMO_END - dt.timedelta(days=30),
                due_date=DEMO_END - dt.timedelta(days=2),
            ),
            now=now - dt.timedelta(days=30),
        )
        save_rating(con, COORDINATOR, "rimbo", WEEK, 2, f"Kommentar {PAYLOAD}", now=now)
        return action_id
    finally:
        con.close()


@pytest.fixture()
def planted(fresh_db, monkeypatch):
    from ui import cache

    monkeypatch.setenv("SAFETY_DB", str(fresh_db))
    action_id = plant(fresh_db)
    cache.clear_cached_results()
    yield fresh_db, action_id
    cache.clear_cached_results()


def assert_inert(at) -> None:
    fields = markdown_fields(at)
    active = [f for f in fields if ACTIVE.search(f)]
    assert not active, active


def test_md_escapes_what_would_become_an_image_or_a_link():
    j = "\u2060"  # a word joiner: Streamlit links addresses in the parsed text otherwise
    assert md(PAYLOAD) == (
        r"\!\[x\](http\:" + j + r"//127.0.0.1\:9/x.png) \[klicka\](http\:" + j + "//evil)"
    )
    assert md("www.evil.se a@b.se") == f"www{j}.evil.se a\\@{j}b.se"
    assert md("# Rubrik\n- lista") == r"\# Rubrik - lista"
    assert md(":red-badge[larm] $x$ <img src=x>") == r"\:red-badge\[larm\] \$x\$ \<img src=x\>"
    assert md("Lugn vecka, inga larm") == "Lugn vecka, inga larm"


def test_the_meeting_screen_shows_the_payload_as_text(planted):
    at = run_app(query_params={"mode": "meeting", "step": "rimbo", "week": WEEK})
    assert_inert(at)
    fields = " ".join(markdown_fields(at))
    # The texts are on the screen, as their characters.
    for text in (
        f"Titel {PAYLOAD}",
        f"Kommentar {PAYLOAD}",
        f"Rimbo {PAYLOAD}",
        f"Skolor {PAYLOAD}",
    ):
        assert md(text) in fields, text


def test_the_actions_page_shows_the_payload_as_text(planted):
    _, action_id = planted
    at = run_app("pages/atgarder.py")
    at.selectbox(key="follow_action").select(action_id).run()
    assert not at.exception
    assert_inert(at)
    assert md(f"Titel {PAYLOAD}") in " ".join(markdown_fields(at))  # the follow-up heading
    assert f"Titel {PAYLOAD}" in sent_text(at)  # the boards' cells: plain text


def test_the_public_report_leaves_comments_out_and_escapes_the_rest(planted):
    path, _ = planted
    con = db.connect(str(path))
    try:
        public = report.report_bytes(con, WEEK, fmt="html", today=DEMO_END, internal=False).decode(
            "utf-8"
        )
        internal = report.report_bytes(con, WEEK, fmt="html", today=DEMO_END, internal=True).decode(
            "utf-8"
        )
    finally:
        con.close()
    assert "Kommentar" not in public and "Kommentar" in internal
    assert "<img" not in public.replace('<img alt="', "")  # only the report's own charts
    assert 'href="http://evil"' not in public and "[klicka](http://evil)" in public
