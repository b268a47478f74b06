"""The weekly meeting on a 1920x1080 shared screen: meeting mode, walked through with the
next button, one screenshot per step (saved in test-artifacts/ to look at)."""

import re

import pytest

from tests.browser.conftest import ARTIFACTS, assert_no_exception, wait_for_app

pytestmark = pytest.mark.browser

STEPS = [
    "Översikt",
    "Norrtälje stad",
    "Rimbo",
    "Hallstavik",
    "Väddö/Älmsta",
    "Skärgården",
    "Södra landsbygden",
]


def test_meeting_mode_walks_through_every_area_group(server, page):
    page.goto(server + "/")
    wait_for_app(page)
    page.goto(server + "/?mode=meeting")
    wait_for_app(page)
    assert_no_exception(page)
    # The shared screen: no sidebar, large type.
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    value_px = page.locator('[data-testid="stMetricValue"] p').first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert value_px >= 48
    for i, name in enumerate(STEPS, start=1):
        heading = page.locator("h3", has_text=f"{i} av {len(STEPS)}: {name}")
        heading.wait_for(timeout=30_000)
        wait_for_app(page)
        assert_no_exception(page)
        if i > 1:  # every area group shows its map on the screen without scrolling
            deck = page.locator('[data-testid="stDeckGlJsonChart"]').first
            deck.wait_for(timeout=30_000)
            box = deck.bounding_box()
            assert box and box["y"] < 1080 - 150 and box["height"] > 250
        page.screenshot(path=str(ARTIFACTS / f"meeting-{i}-{name.replace('/', '-')}.png"))
        button = page.get_by_role("button", name=re.compile("^Nästa"))
        if i == 1:  # a presentation clicker's PageDown moves on, too
            page.locator("h1").first.click()
            page.keyboard.press("PageDown")
        elif i < len(STEPS):
            button.click()  # the next heading is awaited at the top of the loop
        else:
            assert button.is_disabled()
    assert "mode=meeting" in page.url and "step=sodra-landsbygden" in page.url
