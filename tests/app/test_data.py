"""The Data page through AppTest: upload with the same counts as the command line, history,
undo, refused rows, export, data quality."""

import json

import pytest

from safetycore.__main__ import main
from tests.app.test_observation import app_fresh  # noqa: F401 (fixture)
from tests.unit.test_ingest_samples import POLISEN


def metric(at, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r}; have {[m.label for m in at.metric]}")


def frame_with(at, column: str):
    for element in at.dataframe:
        if column in element.value.columns:
            return element.value
    raise AssertionError(f"no table with the column {column!r}")


def as_int(text: str) -> int:
    return int(text.replace("\u202f", "").replace(",", ""))


@pytest.fixture()
def cli_counts(pristine_db, tmp_path, capsys):
    """What the command line reports for the police sample on the same database."""
    from tests.conftest import copy_db

    path = copy_db(pristine_db, tmp_path, "cli.duckdb")
    assert main(["import", str(POLISEN), "--db", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_upload_shows_the_cli_counts_and_undo_removes_the_batch(app_fresh, cli_counts):  # noqa: F811
    at = app_fresh("pages/datakallor.py", period="Senaste 365 dagarna")
    before = as_int(metric(at, "Händelser i urvalet"))
    # Data quality and the export's cap are stated.
    assert 0 < as_int(metric(at, "Utan område")) < before
    assert any("högst 50" in c.value for c in at.caption)
    at.sidebar.text_input(key="_editor_name").input("Kim Samordnare").run()
    # A file that is not what it claims is refused with a message, nothing imported.
    at.file_uploader(key="imp_file").set_value(("events.json", b'[{"id": 1, ', "application/json"))
    at.run()
    at.button(key="imp_run").click().run()
    assert at.error and "importerades inte" in at.error[0].value and "JSON" in at.error[0].value
    assert as_int(metric(at, "Händelser i urvalet")) == before
    at.file_uploader(key="imp_file").set_value(
        (POLISEN.name, POLISEN.read_bytes(), "application/json")
    )
    at.run()
    at.button(key="imp_run").click().run()
    # The police events of the last year are in the selection on the same run.
    assert as_int(metric(at, "Händelser i urvalet")) > before
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    for key, label in (
        ("read", "Lästa rader"),
        ("imported", "Importerade"),
        ("duplicates", "Dubbletter"),
        ("rejected", "Avvisade"),
        ("skipped", "Överhoppade"),
    ):
        assert as_int(metric(at, label)) == cli_counts[key], key
    reasons = frame_with(at, "Orsak")
    assert set(reasons["Orsak"]) == {
        "Utanför kommunen",
        "Ingen händelse för lägesbilden (t.ex. trafik, sammanfattning)",
    }
    # History lists the batch with who imported it.
    history = frame_with(at, "Av")
    assert list(history["Av"]) == ["Kim Samordnare"]
    assert list(history["Importerade"]) == [cli_counts["imported"]]
    # Import the same file again: nothing new.
    at.button(key="imp_run").click().run()
    assert as_int(metric(at, "Importerade")) == 0
    assert as_int(metric(at, "Dubbletter")) == cli_counts["imported"]
    # Undo the first batch.
    first = min(at.selectbox(key="hist_batch").options, key=lambda o: int(o.split(":")[0]))
    at.selectbox(key="hist_batch").select(int(first.split(":")[0])).run()
    batch = int(first.split(":")[0])
    at.checkbox(key=f"undo_sure_{batch}").check().run()
    at.button(key="undo_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert as_int(metric(at, "Händelser i urvalet")) == before
    statuses = list(frame_with(at, "Status")["Status"])
    assert statuses[-1].startswith("Ångrad") and statuses[0] == "Aktiv"
