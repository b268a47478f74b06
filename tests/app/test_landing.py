"""An honest landing: Lägesbild shows any week with data (from the address bar and the picker)
and says when a week has none; the Data page says what time each import's events cover and
links to Lägesbild at that week."""

import datetime as dt

from safetycore import db
from safetycore import situation as sit
from safetycore.__main__ import main
from tests.app.test_observation import app_fresh  # noqa: F401 (fixture)
from tests.app.test_situation import count, metrics
from tests.conftest import DEMO_END
from tests.unit.test_ingest_samples import POLISEN


def test_the_picker_reaches_back_to_the_first_week_with_data():
    choices = sit.week_choices(DEMO_END, oldest=dt.date(2023, 3, 22), extra=("2019-W12",))
    assert choices[0] == "2026-W46"  # newest first, from the meeting's default week
    assert "2023-W12" in choices and choices[-2] == "2023-W12" and choices[-1] == "2019-W12"
    assert len(choices) == len(set(choices))
    assert len(sit.week_choices(DEMO_END)) == 105  # without older data: two years as before


def test_a_week_older_than_two_years_opens_from_the_link(app, demo_con):
    first = demo_con.cursor().execute("SELECT min(occurred_at) FROM incidents").fetchone()[0]
    old = sit.Week.of(first.date()).shifted(2).label  # beyond the picker's former 105 weeks
    at = app(week=old)
    assert at.title[0].value == f"Lägesbild vecka {int(old[-2:])}"
    assert at.selectbox(key="week").value == old
    assert old in at.selectbox(key="week").options
    assert metrics(at)[0][1] == count(demo_con, old) > 0
    assert not [i for i in at.info if "Inga händelser" in i.value]


def test_a_week_without_data_says_so_and_offers_the_latest(app):
    at = app(week="2019-W12")
    assert at.title[0].value == "Lägesbild vecka 12"  # the week asked for, not silently another
    notice = next(i.value for i in at.info if "Inga händelser" in i.value)
    assert "2019-W12" in notice and "2019-03-18" in notice and "2026-W47" in notice
    assert metrics(at)[0][1] == 0
    at.button(key="week-latest").click().run()
    assert at.title[0].value == "Lägesbild vecka 46"
    assert not [i for i in at.info if "Inga händelser" in i.value]


def test_a_week_that_is_no_iso_week_gets_a_message(app):
    at = app(week="2026-W60")
    assert at.title[0].value == "Lägesbild vecka 46"
    assert "2026-W60" in at.warning[0].value and "ISO-vecka" in at.warning[0].value


def test_the_data_page_shows_what_an_import_covers_with_a_link(app_fresh, fresh_db):  # noqa: F811
    assert main(["import", str(POLISEN), "--db", str(fresh_db), "--json"]) == 0
    con = db.connect(str(fresh_db))
    first, last = con.execute(
        "SELECT min(occurred_at), max(occurred_at) FROM incidents WHERE import_batch_id = 1"
    ).fetchone()
    con.close()
    at = app_fresh("pages/datakallor.py")
    history = next(d.value for d in at.dataframe if "Första händelse" in d.value.columns)
    row = history.iloc[0]
    assert (row["Första händelse"], row["Sista händelse"]) == (
        first.strftime("%Y-%m-%d"),
        last.strftime("%Y-%m-%d"),
    )
    week = sit.Week.of(last.date()).label
    assert row["Visa i Lägesbild"] == f"lagesbild?week={week}"
    span = next(c.value for c in at.caption if c.value.startswith("Importens händelser"))
    assert first.strftime("%Y-%m-%d") in span and last.strftime("%Y-%m-%d") in span
    links = at.get("page_link")
    assert any(f"Visa vecka {week}" in str(link.proto.label) for link in links)
    # The link's week opens on Lägesbild with the import's events.
    at = app_fresh(week=week)
    assert at.title[0].value == f"Lägesbild vecka {int(week[-2:])}"
    assert metrics(at)[0][1] > 0


def test_the_open_area_group_is_in_the_address_by_its_id(app, demo_con):
    from tests.app.test_situation import GROUPS

    for asked in ("rimbo", "Rimbo"):  # the id, and a name as older links carry it
        at = app(situation_group=asked)
        # The open tab's own figures are Rimbo's.
        assert metrics(at)[3] == ("Alla händelser", count(demo_con, "2026-W46", group="rimbo"))
    at = app(situation_group="hallstavik")
    assert metrics(at)[3][1] == count(demo_con, "2026-W46", group=GROUPS[2])


def test_an_observation_refused_in_the_pages_language(app_fresh):  # noqa: F811
    from safetycore.ingest.observation import ObservationRefused
    from ui.i18n import catalogue

    # Every reason the form can be refused for has its Swedish and English text.
    for key in ("category_missing", "source_missing", "future_time", "future_date"):
        entry = catalogue()[f"observation.refused.{key}"]
        assert entry["sv"] and entry["en"] and entry["sv"] != entry["en"]
    assert ObservationRefused("x", "future_time").key == "future_time"
    # The sidebar's lists offer no English "Select all": empty means all.
    at = app_fresh()
    for key in ("groups", "areas", "kinds", "cats", "sources"):
        assert at.sidebar.multiselect(key=key).proto.select_all == 0
