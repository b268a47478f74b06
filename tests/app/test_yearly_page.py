"""Årlig lägesbild through AppTest: the year's figures, the four parts, the privacy rules, and
the analyst's texts (a coordinator writes them, a viewer cannot)."""

from __future__ import annotations

import pytest

from safetycore import db

PAGE = "pages/arsrapport.py"


@pytest.fixture()
def app_fresh(fresh_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setenv("SAFETY_DB", str(fresh_db))

    def make(**query_params):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
        for key, value in query_params.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(PAGE).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make


def frames(at) -> list:
    return [d.value for d in at.dataframe]


def test_the_page_shows_the_four_parts_of_the_last_complete_year(app):
    at = app(PAGE)
    assert at.title[0].value == "Årlig lägesbild 2025"
    assert at.selectbox(key="year").value == 2025
    labels = [tab.label for tab in at.tabs]
    assert labels[:4] == [
        "1. Omfattning",
        "2. Konsekvenser",
        "3. Annan relevant information",
        "4. Analys",
    ]
    tables = frames(at)
    categories = next(f for f in tables if "Kategori" in f.columns and "Per 1 000" in f.columns)
    assert "Skadegörelse" in set(categories["Kategori"])
    # The shareable version by default: no sensitive category anywhere.
    assert not any("Våld i nära relation" in str(f.to_dict()) for f in tables)
    involved = next(f for f in tables if "Inblandade" in f.columns)
    assert list(involved["Inblandade"]) == ["Unga", "Vuxna", "Unga och vuxna", "Okänt"]
    assert any("Kostnad för reparation och sanering" in m.value for m in at.markdown)
    assert [m.label for m in at.metric][:3] == ["Antal 2025", "Per 1 000", "Kostnad 2025 (kr)"]
    # The effect evaluation's verdict on the demo's guards at the bus station.
    actions = next(f for f in tables if "Åtgärd" in f.columns)
    guards = actions[actions["Åtgärd"].str.startswith("Ordningsvakter")]
    assert guards["Effekt (26 veckor före/efter)"].iloc[0].startswith("Minskade")


def test_the_year_is_in_the_address_and_the_running_year_says_so(app):
    at = app(PAGE, year="2026")
    assert at.title[0].value == "Årlig lägesbild 2026"
    assert any("Året pågår" in c.value for c in at.caption)


def test_internal_version_adds_the_sensitive_categories(app):
    at = app(PAGE)
    at.toggle(key="yearly_internal").set_value(True).run()
    assert not at.exception
    assert any("INTERN" in e.value for e in at.error)
    assert any("Våld i nära relation" in str(f.to_dict()) for f in frames(at))


def test_meeting_mode_offers_no_yearly_picture(app):
    # The shared screen shows the meeting and nothing else: no editor, no internal version.
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app(PAGE, mode="meeting")


def test_a_coordinator_writes_the_conclusions_masked_and_signed(app_fresh, fresh_db):
    at = app_fresh()
    from ui.auth import NAME_KEY

    at.sidebar.text_input(key=NAME_KEY).input("Kim Samordnare").run()
    key = "yearly-text-2025-conclusions"
    at.text_area(key=f"{key}-area").input("Klottret kostar mest i Rimbo. Kontakt 070-123 45 67.")
    at.button(key=f"FormSubmitter:{key}-{'Spara texten'}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value.startswith("Texten är sparad.") for s in at.success)
    con = db.connect(str(fresh_db))
    try:
        row = con.execute(
            "SELECT text, written_by FROM yearly_texts WHERE year = 2025 "
            "AND section = 'conclusions'"
        ).fetchone()
    finally:
        con.close()
    assert row == ("Klottret kostar mest i Rimbo. Kontakt [telefonnummer].", "Kim Samordnare")
    assert any("[telefonnummer]" in x.value for x in at.text)


def test_the_page_in_english(app):
    at = app(PAGE, lang="English")
    assert at.title[0].value == "Yearly situation picture 2025"
    assert [tab.label for tab in at.tabs][:2] == ["1. Extent", "2. Consequences"]
    involved = next(d.value for d in at.dataframe if "Involved" in d.value.columns)
    assert list(involved["Involved"]) == [
        "Young people",
        "Adults",
        "Young people and adults",
        "Unknown",
    ]


def test_a_database_without_events_gets_a_plain_page(tmp_path, monkeypatch):
    from safetycore.__main__ import main
    from tests.conftest import run_app

    path = tmp_path / "empty.duckdb"
    assert main(["init", "--municipality", "0188", "--db", str(path)]) == 0
    monkeypatch.setenv("SAFETY_DB", str(path))
    from ui import cache

    cache.clear_cached_results()
    try:
        at = run_app(PAGE)
        assert at.title[0].value.startswith("Årlig lägesbild")
        assert any("Inga händelser alls" in m.value for m in at.markdown)
    finally:
        cache.clear_cached_results()


def test_roles_decide_who_writes_and_who_sees_the_internal_version(demo_db, tmp_path, monkeypatch):
    from tests.app.test_access import AUTH, ROLE_FILE
    from tests.conftest import run_app

    roles = tmp_path / "roles.toml"
    roles.write_text(ROLE_FILE, encoding="utf-8")
    monkeypatch.setenv("SAFETY_DB", str(demo_db))
    monkeypatch.setenv("SAFETY_ROLES_FILE", str(roles))

    def as_user(email):
        return run_app(
            PAGE,
            secrets={"auth": AUTH},
            user={"is_logged_in": True, "email": email, "email_verified": True},
        )

    viewer = as_user("vera@kommun.se")
    assert not viewer.text_area
    assert any("Bara samordnare och administratörer" in c.value for c in viewer.caption)
    assert viewer.toggle(key="yearly_internal").disabled  # a viewer sees no sensitive categories
    coordinator = as_user("cora@kommun.se")
    assert coordinator.text_area(key="yearly-text-2025-extent-area") is not None
    assert not coordinator.toggle(key="yearly_internal").disabled
