"""Every page through AppTest: real figures that match direct SQL for the same filter."""

import datetime as dt

import pytest

from safetycore import queries
from safetycore.filters import Filter
from tests.conftest import DEMO_END
from tests.helpers import chart_data, charts, deck_layer, decks

LAST_28 = Filter(start=DEMO_END - dt.timedelta(days=27), end=DEMO_END)
PAGES = [
    "pages/lagesbild.py",
    "pages/karta.py",
    "pages/trender.py",
    "pages/atgarder.py",
    "pages/rapportera.py",
    "pages/datakallor.py",
]


def metric(at, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r}; have {[m.label for m in at.metric]}")


def as_int(text: str) -> int:
    return int(text.replace("\u202f", "").replace(",", "").split("/")[0].strip())


def sql_count(con, flt: Filter) -> int:
    return int(queries.run(con, "kpi_by_kind", flt)["n"].sum())


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(app, page):
    at = app(page)
    assert at.title[0].value
    assert any("Syntetisk demodata" in i.value for i in at.info)  # the demo banner


ENGLISH_TITLES = ["Situation, week 46", "Map", "Trends", "Actions", "Report an observation", "Data"]


@pytest.mark.parametrize(("page", "title"), zip(PAGES, ENGLISH_TITLES, strict=True))
def test_every_page_in_english(app, page, title):
    at = app(page, lang="English")
    assert at.title[0].value == title
    assert any("Synthetic demo data" in i.value for i in at.info)
    assert at.sidebar.selectbox(key="lang").label == "Language"


def test_situation_headline_is_the_last_complete_week(app, demo_con):
    at = app()
    week = Filter(start=dt.date(2026, 11, 9), end=dt.date(2026, 11, 15))  # 2026-W46
    assert as_int(metric(at, "Alla händelser")) == sql_count(demo_con, week)
    by_kind = queries.run(demo_con, "kpi_by_kind", week).set_index("kind")["n"]
    assert as_int(metric(at, "Livskvalitetsbrott")) == by_kind["qol"]


def test_changing_a_filter_changes_the_figure(app, demo_con):
    at = app("pages/datakallor.py")
    before = as_int(metric(at, "Händelser i urvalet"))
    assert before == sql_count(demo_con, LAST_28)
    at.sidebar.multiselect(key="groups").select("rimbo").run()
    after = as_int(metric(at, "Händelser i urvalet"))
    rimbo = Filter(start=LAST_28.start, end=LAST_28.end, area_groups=("rimbo",))
    assert after == sql_count(demo_con, rimbo) < before
    # The filter survives a page switch (the browser test checks the address bar).
    at.switch_page("pages/trender.py").run()
    at.switch_page("pages/datakallor.py").run()
    assert as_int(metric(at, "Händelser i urvalet")) == after
    assert at.sidebar.multiselect(key="groups").value == ["rimbo"]


def test_url_opens_the_same_view(app, demo_con):
    at = app("pages/datakallor.py", period="Senaste 7 dagarna", kinds="Livskvalitetsbrott")
    expected = Filter(start=DEMO_END - dt.timedelta(days=6), end=DEMO_END, kinds=("qol",))
    assert as_int(metric(at, "Händelser i urvalet")) == sql_count(demo_con, expected)


def test_english_labels(app):
    at = app(lang="English")
    # Labels drawn before the language widget (its own label) are English on a shared link too.
    assert at.sidebar.selectbox(key="lang").label == "Language"
    assert at.title[0].value == "Situation, week 46"
    assert any("Synthetic demo data" in i.value for i in at.info)
    labels = [m.label for m in at.metric]
    assert "All events" in labels and "Quality-of-life offences" in labels


def test_map_page_counts_match_sql(app, demo_con):
    at = app("pages/karta.py")
    coverage = queries.run(demo_con, "map_coverage", LAST_28).iloc[0]
    assert metric(at, "Händelser på kartan").replace("\u202f", "") == (
        f"{coverage['drawable']} / {coverage['total']}"
    )
    spec = decks(at)[0]
    # No basemap provider and no style URL: the map fetches nothing from the internet.
    assert "mapProvider" not in spec and spec.get("mapStyle") == "__MAP_STYLE__"
    cells = deck_layer(spec, "cells")["data"]
    assert sum(c["n"] for c in cells) == coverage["drawable"]
    assert len(deck_layer(spec, "areas")["data"]["features"]) == 31


def test_trends_page_has_a_weekly_chart(app, demo_con):
    at = app("pages/trender.py")
    assert as_int(metric(at, "Händelser")) == sql_count(demo_con, LAST_28)
    rows = chart_data(charts(at)[0])
    assert rows["n"].sum() == sql_count(demo_con, LAST_28)


def test_actions_page_counts_open_and_overdue(app, demo_con):
    at = app("pages/atgarder.py")
    open_, overdue = demo_con.execute(
        "SELECT count(*) FILTER (WHERE status IN ('open','in_progress')), "
        "count(*) FILTER (WHERE status IN ('open','in_progress') AND due_date < $d) FROM actions",
        {"d": DEMO_END},
    ).fetchone()
    assert as_int(metric(at, "Öppna åtgärder")) == open_
    assert as_int(metric(at, "Försenade")) == overdue > 0
