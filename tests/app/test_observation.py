"""The observation form through AppTest: the PII warning, saving, and the event everywhere."""

import datetime as dt

import pytest

from safetycore import db
from tests.conftest import DEMO_END


@pytest.fixture()
def app_fresh(fresh_db, monkeypatch):
    """The whole app over a private copy (the form writes)."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setenv("SAFETY_DB", str(fresh_db))

    def make(page=None, **query_params):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        for key, value in query_params.items():
            at.query_params[key] = value
        at.run()
        if page:
            at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make


def events_in_filter(at) -> int:
    for m in at.metric:
        if m.label == "Händelser i urvalet":
            return int(m.value.replace("\u202f", "").replace(",", ""))
    raise AssertionError("no metric Händelser i urvalet")


def test_form_warns_masks_saves_and_shows_everywhere(app_fresh, fresh_db):
    at = app_fresh("pages/datakallor.py")
    before = events_in_filter(at)
    at.switch_page("pages/rapportera.py").run()
    at.text_input(key="_obs_name").input("Rektor Rimbo skola").run()
    at.selectbox(key="obs_cat").select("vandalism").run()
    area = at.selectbox(key="obs_area").options[0]
    at.selectbox(key="obs_area").select_index(0).run()
    at.radio(key="obs_part").set_value("evening").run()
    at.selectbox(key="obs_org").select("schools").run()
    at.text_area(key="obs_text").input(
        "Krossade rutor vid idrottshallen. Eleven Kalle Svensson såg det, ring 070-123 45 67"
    ).run()
    warnings = [w.value for w in at.warning]
    assert any("telefonnummer" in w and "namn" in w for w in warnings), warnings
    assert any("[telefonnummer]" in c.value and "[namn]" in c.value for c in at.code)
    at.button(key="obs_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    success = [s.value for s in at.success]
    assert success and "Skadegörelse" in success[0] and "kvällen" in success[0], success
    assert area.split(" (")[0] in success[0]
    # The form is empty again for the next report; the organisation is kept.
    assert at.text_area(key="obs_text").value == "" and at.selectbox(key="obs_cat").value is None
    assert at.selectbox(key="obs_org").value == "schools"
    # Stored masked, at 20:00 with day precision, from the school, by the named reporter's form.
    saved_id = at.session_state["_obs_saved"]["id"]
    con = db.connect(str(fresh_db))
    row = con.execute(
        "SELECT category, source, occurred_at, time_precision, location_precision, description "
        "FROM incidents WHERE id = $id",
        {"id": saved_id},
    ).fetchone()
    assert row == (
        "vandalism",
        "schools",
        dt.datetime.combine(DEMO_END, dt.time(20)),
        "day",
        "locality",
        "Krossade rutor vid idrottshallen. Eleven [namn] såg det, ring [telefonnummer]",
    )
    # The next rerun of any page counts it.
    at.switch_page("pages/datakallor.py").run()
    assert events_in_filter(at) == before + 1


def test_form_refuses_without_the_essentials(app):
    at = app("pages/rapportera.py")
    at.button(key="obs_save").click().run()
    assert at.error and "Vad hände" in at.error[0].value


def test_form_records_cost_group_and_people(app_fresh, fresh_db):
    at = app_fresh("pages/rapportera.py")
    at.text_input(key="_obs_name").input("Fastighetsskötare").run()
    at.selectbox(key="obs_cat").select("graffiti").run()
    at.selectbox(key="obs_area").select_index(0).run()
    at.radio(key="obs_part").set_value("morning").run()
    at.selectbox(key="obs_org").select("property").run()
    assert at.selectbox(key="obs_involved").options == ["Unga", "Vuxna", "Unga och vuxna", "Okänt"]
    at.number_input(key="obs_cost").set_value(4250.5).run()
    at.selectbox(key="obs_involved").select("youth").run()
    at.number_input(key="obs_people").set_value(3).run()
    at.button(key="obs_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("4\u202f250 kr" in c.value and "Unga" in c.value for c in at.caption)
    # Empty again for the next report.
    assert at.number_input(key="obs_cost").value is None
    assert at.selectbox(key="obs_involved").value is None
    con = db.connect(str(fresh_db))
    row = con.execute(
        "SELECT cost_sek, involved, people FROM incidents WHERE id = $id",
        {"id": at.session_state["_obs_saved"]["id"]},
    ).fetchone()
    assert row == (4250.5, "youth", 3)
