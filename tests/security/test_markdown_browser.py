"""The Markdown payload is inert in a real browser: on the meeting screen the planted title,
comment, source label and area group name show as their characters, no <img> or link is made
of them, and the browser asks nothing of the payload's addresses."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    assert_no_exception,
    free_port,
    start_server,
    wait_for_app,
)
from tests.conftest import copy_db
from tests.security.test_markdown_payload import PAYLOAD, WEEK, plant

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def planted_server(pristine_db, tmp_path_factory):
    ARTIFACTS.mkdir(exist_ok=True)
    path = copy_db(pristine_db, tmp_path_factory.mktemp("markdown"))
    plant(path)
    port = free_port()
    proc = start_server(path, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_the_payload_is_text_on_the_meeting_screen(planted_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
            asked: list[str] = []
            page.on("request", lambda r: asked.append(r.url))
            page.goto(f"{planted_server}/?mode=meeting&step=rimbo&week={WEEK}")
            wait_for_app(page)
            page.get_by_text("Titel ![x]", exact=False).first.wait_for(timeout=30_000)
            assert_no_exception(page)
            page.screenshot(path=str(ARTIFACTS / "markdown-payload-meeting.png"))
            # As its characters (the word joiners that keep addresses unlinked are invisible).
            body = page.locator('[data-testid="stMain"]').inner_text().replace("\u2060", "")
            for text in (f"Titel {PAYLOAD}", f"Kommentar {PAYLOAD}", f"Skolor {PAYLOAD}"):
                assert text in body, text
            images = page.eval_on_selector_all("img", "els => els.map(e => e.src)")
            links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            assert not [s for s in images if "127.0.0.1:9" in s], images
            # Only the app's own links (a heading's anchor carries its words in the fragment).
            assert not [h for h in links if not h.startswith(planted_server + "/")], links
            assert not [u for u in asked if "127.0.0.1:9/" in u or "evil" in u], asked
        finally:
            browser.close()


@pytest.mark.parametrize(
    "path",
    [
        "/lagesbild?situation_group=Rimbo",
        "/atgarder",
        "/karta",
        "/trender",
        "/datakallor",
        "/rapportera",
    ],
)
def test_no_page_makes_an_image_or_a_link_of_the_payload(planted_server, path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
            asked: list[str] = []
            page.on("request", lambda r: asked.append(r.url))
            page.goto(planted_server + path)
            wait_for_app(page)
            assert_no_exception(page)
            page.wait_for_timeout(1500)  # charts, maps and tabs drawn
            images = page.eval_on_selector_all("img", "els => els.map(e => e.src)")
            links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            assert not [s for s in images if "127.0.0.1:9" in s], images
            assert not [h for h in links if not h.startswith(planted_server + "/")], links
            assert not [u for u in asked if "127.0.0.1:9/" in u or "evil" in u], asked
        finally:
            browser.close()
