"""A coordinator creates, updates and closes an action in the real server; another session
sees the change; an overdue task stands out; a demo action that worked shows its drop."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import (
    ARTIFACTS,
    assert_no_exception,
    serve_copy,
    track_rerun_requests,
    wait_for_app,
)

pytestmark = pytest.mark.browser

TITLE = "Belysning vid Rimbo busstation"
DESCRIPTION = "Två trasiga armaturer vid hållplatsläget, anmält till fastighetsägaren."


@pytest.fixture(scope="module")
def writable_server(pristine_db, tmp_path_factory):
    """A server over a private copy: this test writes."""
    with serve_copy(pristine_db, tmp_path_factory.mktemp("actions-browser")) as url:
        yield url


def settle(page) -> None:
    """Wait for the rerun a widget change starts (it may not have begun yet) to finish."""
    page.wait_for_timeout(250)
    wait_for_app(page)


def open_actions(page, base: str) -> None:
    page.goto(f"{base}/atgarder")
    wait_for_app(page)
    assert_no_exception(page)


def metric(page, label: str) -> int:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return int(re.sub(r"\D", "", box.locator('[data-testid="stMetricValue"]').inner_text()))


def pick(page, label: str, option: str | re.Pattern, search: str | None = None) -> None:
    page.get_by_role("combobox", name=label, exact=True).click()
    if search:  # long option lists are virtual: type to bring the option into view
        page.keyboard.type(search)
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    page.wait_for_timeout(300)


def test_create_update_close_and_see_it_from_another_session(writable_server, browser):
    base = writable_server
    coordinator = browser.new_context(viewport={"width": 1920, "height": 1400}).new_page()
    requests = track_rerun_requests(coordinator)
    other = browser.new_context(viewport={"width": 1920, "height": 1400}).new_page()
    open_actions(coordinator, base)
    open_actions(other, base)
    open_before = metric(other, "Öppna åtgärder")
    assert metric(coordinator, "Försenade") > 0
    # Overdue tasks stand out on the board: a red badge per area group (and red rows).
    assert coordinator.get_by_text(re.compile(r"^\d+ försenade$")).first.is_visible()

    name = coordinator.get_by_role("textbox", name="Ditt namn (visas i ändringsloggen)")
    name.fill("Kim Koordinator")
    name.press("Enter")
    settle(coordinator)
    coordinator.get_by_text("Skriv ditt namn i sidofältet för att kunna göra ändringar.").wait_for(
        state="detached"
    )

    # Create from the meeting.
    tab(coordinator, "Ny åtgärd")
    pick(coordinator, "Områdesgrupp", "Rimbo")  # the area list follows the group: reruns
    # Fields read only on saving do not redraw the page on the shared screen as they are
    # filled in; their values arrive with the save.
    before = len(requests)
    coordinator.get_by_role("textbox", name="Titel").fill(TITLE)
    coordinator.keyboard.press("Tab")
    pick(coordinator, "Område (valfritt)", "Rimbo centrum")
    coordinator.get_by_role("textbox", name="Beskrivning").fill(DESCRIPTION)
    coordinator.keyboard.press("Tab")
    settle(coordinator)
    assert len(requests) == before
    coordinator.get_by_role("button", name="Spara åtgärd").click()
    settle(coordinator)
    assert_no_exception(coordinator)
    assert coordinator.get_by_text(re.compile(f"Åtgärden ”{TITLE}” är sparad")).is_visible()
    assert metric(coordinator, "Öppna åtgärder") == open_before + 1

    # Another session sees it on its next rerun.
    other.reload()
    settle(other)
    assert metric(other, "Öppna åtgärder") == open_before + 1

    # Update: status and a follow-up note.
    tab(coordinator, "Följ upp")
    pick(coordinator, "Välj åtgärd", re.compile(TITLE), search=TITLE)
    assert coordinator.get_by_text(DESCRIPTION).is_visible()
    pick(coordinator, "Ändra status", "Pågår")
    coordinator.get_by_role("textbox", name="Uppföljningsanteckning").fill("Lampor beställda")
    coordinator.keyboard.press("Tab")
    settle(coordinator)
    coordinator.get_by_role("button", name="Spara ändringar").click()
    settle(coordinator)
    assert coordinator.get_by_text("Ändringarna är sparade.").is_visible()
    coordinator.screenshot(path=str(ARTIFACTS / "actions-follow-up.png"))

    # Close it with an outcome: it leaves the open count.
    coordinator.get_by_role("textbox", name="Resultat: vad blev det av åtgärden?").fill(
        "Ny belysning på plats"
    )
    coordinator.keyboard.press("Tab")
    settle(coordinator)
    coordinator.get_by_role("button", name="Avsluta", exact=True).click()
    settle(coordinator)
    coordinator.screenshot(path=str(ARTIFACTS / "actions-closed.png"))
    assert coordinator.get_by_text("Åtgärden är avslutad.").is_visible()
    assert metric(coordinator, "Öppna åtgärder") == open_before
    assert_no_exception(coordinator)


def test_effect_view_shows_the_drop_with_its_uncertainty(server, page):
    open_actions(page, server)
    tab(page, "Effekt")
    pick(
        page,
        "Åtgärd att utvärdera",
        re.compile("Ny belysning och kameror"),
        search="Ny belysning och kameror",
    )
    assert_no_exception(page)
    statement = page.get_by_text(re.compile(r"Målområdet minskade med \d+ %.*konfidensintervall"))
    assert statement.is_visible()
    assert page.get_by_text(re.compile(r"^0,\d+ \(95 % KI 0,\d+–0,\d+\)$")).is_visible()
    assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 1
    page.screenshot(path=str(ARTIFACTS / "actions-effect.png"), full_page=True)
