"""Cost, involved group and number of people: how they are read from people's writing, from a
property department's work orders (XLSX with a mapping) and from the observation form."""

from __future__ import annotations

import datetime as dt

import pytest

from safetycore import db
from safetycore.__main__ import main
from safetycore.access import Actor
from safetycore.errors import UsageError
from safetycore.ingest import import_file
from safetycore.ingest import observation as obs_mod
from safetycore.ingest.tabular import Mapping
from safetycore.involvement import parse_cost, parse_involved, parse_people
from tests.conftest import DEMO_END, ROOT

FIXTURES = ROOT / "tests" / "fixtures"
WORK_ORDERS = FIXTURES / "fastighet_arbetsordrar.xlsx"
WORK_ORDER_MAPPING = FIXTURES / "fastighet_arbetsordrar.toml"
COORDINATOR = Actor("Kim Samordnare", role="coordinator")


@pytest.mark.parametrize(
    "text, value",
    [
        ("1 234,50 kr", 1234.5),
        ("1\u00a0234,50", 1234.5),
        ("1.234,50", 1234.5),
        ("1234.50", 1234.5),
        ("500:-", 500.0),
        ("12 450 SEK", 12450.0),
        ("3820,5", 3820.5),
        ("1,234.50", 1234.5),
        ("0", 0.0),
        ("", None),
        (None, None),
        (750, 750.0),
    ],
)
def test_costs_are_read_as_swedes_write_them(text, value):
    assert parse_cost(text) == value


@pytest.mark.parametrize("text", ["ungefär tusen", "-200", "12,34,56", "2e9", "1 000 000 000"])
def test_a_cost_that_is_not_an_amount_is_refused_with_the_value(text):
    with pytest.raises(UsageError, match="cost"):
        parse_cost(text)


@pytest.mark.parametrize(
    "text, value",
    [("5", 5), ("ca 5", 5), ("~12", 12), ("2-4", 3), ("5 personer", 5), ("", None), (7, 7)],
)
def test_people_are_an_approximate_number(text, value):
    assert parse_people(text) == value


def test_people_and_groups_that_cannot_be_read_are_refused():
    with pytest.raises(UsageError):
        parse_people("många")
    with pytest.raises(UsageError, match="youth, adults, mixed, unknown"):
        parse_involved("Lärare")
    assert parse_involved("Ungdomar") == "youth"
    assert parse_involved("  VUXNA ") == "adults"
    assert parse_involved("Blandat") == "mixed"
    assert parse_involved("unknown") == "unknown"
    assert parse_involved("Elever", {"Elever": "youth"}) == "youth"


def test_mapping_checks_its_involved_table():
    base = {"columns": {"time": "T", "category": "K", "area": "O", "involved": "I"}}
    mapping = Mapping({**base, "involved": {"Elever": "youth"}})
    assert mapping.involved["elever"] == "youth" and mapping.involved["vuxna"] == "adults"
    with pytest.raises(UsageError, match=r"\[involved\] maps 'Lärare' to 'teachers'"):
        Mapping({**base, "involved": {"Lärare": "teachers"}})
    with pytest.raises(UsageError, match="unknown column key"):
        Mapping({"columns": {**base["columns"], "kostnad": "K"}})


def test_work_orders_import_with_costs_groups_and_people(fresh_db):
    con = db.connect(str(fresh_db))
    try:
        result = import_file(con, WORK_ORDERS, COORDINATOR, mapping=WORK_ORDER_MAPPING)
        assert (result.read, result.imported, result.rejected, result.skipped) == (10, 6, 3, 1)
        assert result.reasons == {
            "bad_cost": 1,
            "bad_people": 1,
            "unknown_involved": 1,
            "not_incident": 1,
        }
        rows = {
            r[0]: r[1:]
            for r in con.execute(
                "SELECT source_ref, category, area_id, cost_sek, involved, people FROM incidents "
                "WHERE import_batch_id = $b",
                {"b": result.batch_id},
            ).fetchall()
        }
        assert rows["AO-26-1041"] == ("vandalism", "solbacka", 12450.0, "youth", 4)
        assert rows["AO-26-1042"] == ("graffiti", "solbacka", 3820.5, "youth", 3)  # "Elever", "2-4"
        assert rows["AO-26-1047"] == ("graffiti", "centrum", 1980.0, "unknown", None)
        assert rows["AO-26-1053"][2:] == (2100.0, "adults", None)  # "2 100:-"
        assert rows["AO-26-1055"][2:] == (7600.0, "mixed", 6)
        refused = dict(
            con.execute(
                "SELECT reason, raw FROM rejected_rows WHERE batch_id = $b", {"b": result.batch_id}
            ).fetchall()
        )
        assert set(refused) == {
            "bad_cost: ungefär tusen",
            "unknown_involved: Lärare",
            "bad_people: många",
            "not_incident: Fönsterputs",
        }
        assert "AO-26-1060" in refused["bad_cost: ungefär tusen"]  # the row as it was
    finally:
        con.close()


def test_the_import_command_names_the_new_reasons(fresh_db, capsys):
    code = main(
        ["import", str(WORK_ORDERS), "--mapping", str(WORK_ORDER_MAPPING), "--db", str(fresh_db)]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "imported 6" in out and "cost not readable as kronor" in out
    assert "involved group with no mapping" in out


def test_an_observation_records_cost_group_and_people(fresh_db):
    con = db.connect(str(fresh_db))
    try:
        saved = obs_mod.report_observation(
            con,
            Actor("Rektor", role="reporter"),
            obs_mod.Observation(
                category="vandalism",
                source="schools",
                day=DEMO_END,
                day_part="evening",
                area_id="rimbo-centrum",
                cost_sek="2 500,00 kr",
                involved="Ungdomar",
                people="ca 6",
            ),
            now=dt.datetime.combine(DEMO_END, dt.time(22)),
        )
        row = con.execute(
            "SELECT cost_sek, involved, people FROM incidents WHERE id = $id", {"id": saved.id}
        ).fetchone()
        assert row == (2500.0, "youth", 6)
        with pytest.raises(UsageError, match="cost"):
            obs_mod.report_observation(
                con,
                Actor("Rektor", role="reporter"),
                obs_mod.Observation(
                    category="vandalism",
                    source="schools",
                    day=DEMO_END,
                    day_part="evening",
                    area_id="rimbo-centrum",
                    cost_sek="-5",
                ),
                now=dt.datetime.combine(DEMO_END, dt.time(22)),
            )
    finally:
        con.close()
