"""Day one in a real municipality, clicked through on the real server: the city's own district
file (only `name`, in SWEREF 99 TM), the police's events fetched from their API (a local HTTP
server serving the fixture), and the events placed in the districts they name on Lägesbild,
Karta and Trender."""

from __future__ import annotations

import re

import duckdb
import pytest

from safetycore import fetch
from safetycore.__main__ import main
from tests.browser.conftest import assert_no_exception, serve_copy, wait_for_app
from tests.conftest import ROOT
from tests.unit.test_fetch import PoliceAPI

pytestmark = pytest.mark.browser

DISTRICTS = ROOT / "tests" / "fixtures" / "stockholm_stadsdelar_sweref99tm.geojson"
DISTRICT = "Södermalm"


def open_page(page, url: str) -> str:
    page.goto(url)
    wait_for_app(page)
    page.wait_for_timeout(800)
    wait_for_app(page)
    assert_no_exception(page)
    return page.locator('[data-testid="stMain"]').inner_text()


def figure(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_a_city_from_its_district_file_sees_the_police_events_where_they_happened(
    tmp_path, page, monkeypatch, capsys
):
    path = tmp_path / "stockholm.duckdb"
    assert (
        main(["init", "--areas", str(DISTRICTS), "--municipality", "0180", "--db", str(path)]) == 0
    )
    api = PoliceAPI()
    monkeypatch.setenv(fetch.CONTACT_ENV, "trygghet@stockholm.example")
    try:
        assert main(["fetch", "polisen", "--db", str(path), "--url", api.url, "--json"]) == 0
    finally:
        api.close()
    capsys.readouterr()

    con = duckdb.connect(str(path), read_only=True)
    try:
        placed, total, last_week = con.execute(
            "SELECT count(area_id), count(*), strftime(max(occurred_at), '%G-W%V') "
            "FROM incidents WHERE source = 'police'"
        ).fetchone()
        in_district = con.execute(
            "SELECT count(*) FROM incidents AS i JOIN areas AS a ON a.id = i.area_id "
            "WHERE a.name = $name",
            {"name": DISTRICT},
        ).fetchone()[0]
        week_total, week_unplaced = con.execute(
            "SELECT count(*), count(*) - count(area_id) FROM incidents "
            "WHERE strftime(occurred_at, '%G-W%V') = $week",
            {"week": last_week},
        ).fetchone()
    finally:
        con.close()
    assert placed > 0 and in_district > 0 and week_total > week_unplaced

    with serve_copy(path, tmp_path) as url:
        # The Data page lists the fetch as an import, with the dates it covers.
        data = open_page(page, f"{url}/datakallor")
        assert "polis" in data.lower()
        # Lägesbild opens the week of the latest events (an old week, not this one), and only
        # the events no district claims are outside the area groups.
        situation = open_page(page, f"{url}/lagesbild?week={last_week}")
        assert situation.startswith(f"Lägesbild vecka {int(last_week[-2:])}") or (
            f"Lägesbild vecka {int(last_week[-2:])}" in situation
        )
        metrics = page.locator('[data-testid="stMetricValue"]')
        assert figure(metrics.first.inner_text()) == week_total
        if week_unplaced:
            assert f"{week_unplaced} händelse" in situation
        else:
            assert "saknar känt område" not in situation
        period = "period=Eget+intervall&from=2023-01-01&to=2026-11-30"
        # Trender and Karta narrowed to one district count exactly its events.
        trends = open_page(page, f"{url}/trender?{period}&areas={DISTRICT}")
        assert figure(page.locator('[data-testid="stMetricValue"]').first.inner_text()) == (
            in_district
        ), trends[:500]
        open_page(page, f"{url}/karta?{period}&areas={DISTRICT}")
        on_map = page.locator('[data-testid="stMetricValue"]').first.inner_text()
        assert figure(on_map.split("/")[-1]) == in_district
        page.screenshot(path=str(ROOT / "test-artifacts" / "day-one-karta.png"))
