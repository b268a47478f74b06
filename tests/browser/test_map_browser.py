"""The map in a real browser: hovering shows a cell's tooltip, clicking it lists its events."""

import re
from urllib.parse import quote

import pytest

from tests.browser.conftest import ARTIFACTS, assert_no_exception, wait_for_app

pytestmark = pytest.mark.browser

CELL_TIP = re.compile(r"^\d+ händelser \(")


def test_clicking_a_cell_fills_the_event_table(server, page):
    page.goto(f"{server}/karta?groups=Rimbo&map_res={quote('Stor (ca 5 km²)')}")
    wait_for_app(page)
    page.wait_for_timeout(1500)
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    box = canvas.bounding_box()
    tooltip = page.locator(".deck-tooltip")
    # Walk a grid around the centre (the map frames Rimbo) until the pointer is over a cell.
    target = None
    for dy in range(-200, 201, 40):
        for dx in range(-300, 301, 40):
            x, y = box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy
            page.mouse.move(x, y)
            page.wait_for_timeout(60)
            if (
                tooltip.count()
                and tooltip.first.is_visible()
                and CELL_TIP.match(tooltip.first.inner_text().strip())
            ):
                target = (x, y, tooltip.first.inner_text())
                break
        if target:
            break
    assert target, "no cell found under the pointer"
    # The tooltip names category and time only, never free text.
    assert "Vanligast:" in target[2] and "Senast:" in target[2]
    page.mouse.down()
    page.mouse.up()
    heading = page.get_by_role("heading", name=re.compile("Händelser i vald cell"))
    heading.wait_for(timeout=30_000)
    wait_for_app(page)
    assert_no_exception(page)
    expected = int(target[2].split(" ")[0])
    table = page.locator('[data-testid="stDataFrame"]').last
    table.scroll_into_view_if_needed()
    # The grid shows its row count in an aria attribute (header row + data rows).
    rows = int(table.locator('[role="grid"], [role="table"]').first.get_attribute("aria-rowcount"))
    assert rows - 1 == min(expected, 1000) > 0
    page.screenshot(path=str(ARTIFACTS / "map-cell-selected.png"))
