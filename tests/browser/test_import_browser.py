"""Uploading a file on the Data page and reporting from a phone-sized window, in chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    ARTIFACTS,
    assert_no_exception,
    serve_copy,
    track_rerun_requests,
    wait_for_app,
    wait_for_rerun_request,
)
from tests.unit.test_ingest_samples import POLISEN

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def writable_server(pristine_db, tmp_path_factory):
    """A server over a private database: these tests write."""
    with serve_copy(pristine_db, tmp_path_factory.mktemp("import-browser")) as url:
        yield url


def metric_value(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(f"^{label}$"))
    )
    return box.locator('[data-testid="stMetricValue"]').first.inner_text().replace("\u202f", "")


def choose(page, label: str, option: str) -> None:
    # A rerun that lands while the list is open (e.g. from the field before) redraws the
    # select, closing the list and losing the click: open it again until the select shows
    # the option as chosen.
    choice = page.get_by_role("option", name=option, exact=True)
    select = page.get_by_role("combobox", name=re.compile(label))
    for _ in range(4):
        wait_for_app(page)
        select.click()
        try:
            choice.wait_for(timeout=5_000)
            choice.click()
            wait_for_app(page)
            expect(select).to_have_value(option, timeout=5_000)
            return
        except Exception:  # noqa: BLE001 (Playwright's timeout; try once more)
            page.keyboard.press("Escape")
    raise AssertionError(f"{option!r} could not be chosen in {label!r}")


def test_upload_police_events_and_see_the_counts(writable_server, page):
    page.goto(f"{writable_server}/datakallor")
    wait_for_app(page)
    page.get_by_role("textbox", name="Ditt namn (visas i ändringsloggen)").first.fill(
        "Kim Samordnare"
    )
    page.keyboard.press("Enter")
    wait_for_app(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(
        str(POLISEN)
    )
    wait_for_app(page)
    page.get_by_role("button", name="Importera", exact=True).click()
    page.get_by_text("Import 1 klar").wait_for(timeout=60_000)
    wait_for_app(page)
    assert_no_exception(page)
    assert metric_value(page, "Lästa rader") == "405"
    assert metric_value(page, "Importerade") == "90"
    assert metric_value(page, "Dubbletter") == "0"
    assert metric_value(page, "Avvisade") == "0"
    assert metric_value(page, "Överhoppade") == "315"
    # The reasons table is a data grid that fills its cells after the run has finished.
    page.get_by_text("Utanför kommunen").first.wait_for(state="attached", timeout=15_000)
    page.screenshot(path=str(ARTIFACTS / "import-upload.png"), full_page=True)


def test_report_an_observation_from_a_phone(writable_server, browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        requests = track_rerun_requests(page)
        page.goto(f"{writable_server}/rapportera")
        wait_for_app(page)
        loaded = len(requests)  # the page's first run may have been asked for too
        # Pressed on the field itself: should a redraw have taken the focus away since the
        # fill, a key sent to the page would go nowhere and the name would not be set.
        name = page.get_by_role("textbox", name="Ditt namn (visas i ändringsloggen)").first
        name.fill("Fältsamordnare Rimbo")
        name.press("Enter")
        wait_for_rerun_request(page, requests, loaded)
        # What, where and which organisation are read only on saving: choosing them must not
        # rerun the page (a round trip each on a phone), yet must arrive with the save.
        before = len(requests)
        choose(page, "Vad hände", "Klotter")
        choose(page, "^Område$", "Rimbo centrum (Rimbo)")
        choose(page, "Organisation", "Fältsamordnare")
        page.wait_for_timeout(500)
        assert len(requests) == before
        page.get_by_text("Under kvällen").click()  # shows or hides the time field: reruns
        wait_for_rerun_request(page, requests, before)
        expect(page.get_by_role("combobox", name=re.compile("^Område$"))).to_have_value(
            "Rimbo centrum (Rimbo)"
        )
        text = page.get_by_role("textbox", name="Kort beskrivning")
        text.fill("Nytt klotter på gångtunneln, ring 070-123 45 67")
        text.press("Control+Enter")
        wait_for_app(page)
        assert page.get_by_text("telefonnummer").first.is_visible()
        # Nothing wider than the phone: no horizontal scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_role("button", name="Spara iakttagelsen").click()
        # The save is a write transaction; on a CI machine busy with the other worker's browser
        # it once took over 30 s to be confirmed.
        saved = page.get_by_text(
            re.compile(r"^Sparat: Klotter i Rimbo centrum \(Rimbo\), .* \(från Fältsamordnare\)")
        ).first
        problem = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
        saved.or_(problem.first).wait_for(timeout=90_000)
        if problem.count():  # say what the page said instead of timing out
            page.screenshot(path=str(ARTIFACTS / "observation-phone-failed.png"))
        assert problem.count() == 0, problem.first.inner_text()
        wait_for_app(page)
        assert_no_exception(page)
        # The confirmation is also a toast, seen wherever the reporter has scrolled to.
        assert (
            page.locator('[data-testid="stToast"]').filter(has_text="Sparat: Klotter").count() == 1
        )
        page.get_by_text(re.compile("^Sparat: Klotter")).first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "observation-phone.png"))
    finally:
        context.close()
