"""The shared screen at 1920x1080 in the real server: deep links open without a dialog, in
Swedish; every meeting step fits the screen; no table header is cut."""

import pytest

from tests.browser.conftest import assert_no_exception, serve_copy, snap, wait_for_app

pytestmark = pytest.mark.browser


def no_dialog(page) -> None:
    dialogs = page.locator('[role="dialog"]')
    assert dialogs.count() == 0, dialogs.first.inner_text()
    assert page.get_by_text("Page not found").count() == 0


def open_and_check(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    page.wait_for_timeout(500)  # a dialog comes with the run's first messages
    no_dialog(page)
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text().startswith("Lägesbild vecka")


def test_deep_links_open_without_a_dialog_also_as_a_servers_first_request(
        pristine_db, tmp_path, page):
    with serve_copy(pristine_db, tmp_path) as url:
        open_and_check(page, f"{url}/lagesbild?mode=meeting")  # the very first request
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        assert "/lagesbild?mode=meeting" in page.url
        open_and_check(page, f"{url}/lagesbild")
        assert page.get_by_role("link", name="Karta").is_visible()
        assert page.get_by_text("Urval").first.is_visible()  # the shared sidebar filters
        open_and_check(page, f"{url}/")  # the start page is still Lägesbild
        snap(page, "deep-link-lagesbild")
