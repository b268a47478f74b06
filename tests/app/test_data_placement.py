"""The Data page says how the police's events were placed and lists the types that went to an
"other" category, on a Stockholm database made from the district file."""

import json

from safetycore.__main__ import main
from tests.conftest import ROOT, run_app

FIXTURES = ROOT / "tests" / "fixtures"


def test_data_page_shows_placement_and_other_types(tmp_path, monkeypatch, capsys):
    path = str(tmp_path / "sthlm.duckdb")
    assert (
        main(
            [
                "init",
                "--areas",
                str(FIXTURES / "stockholm_stadsdelar_sweref99tm.geojson"),
                "--municipality",
                "0180",
                "--db",
                path,
            ]
        )
        == 0
    )
    assert main(["import", str(FIXTURES / "polisen_events_sample.json"), "--db", path]) == 0
    events = json.loads((FIXTURES / "polisen_events_sample.json").read_text(encoding="utf-8"))
    novel = dict(
        events[0], id=1, type="Nytt brottstyp", name="20 mars 10:42, Nytt brottstyp, Stockholm"
    )
    (tmp_path / "novel.json").write_text(json.dumps([novel], ensure_ascii=False), encoding="utf-8")
    assert main(["import", str(tmp_path / "novel.json"), "--db", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["imported"] == 1
    monkeypatch.setenv("SAFETY_DB", path)
    at = run_app("pages/datakallor.py")
    metrics = {m.label: m.value for m in at.metric}
    # 23 of the 29 events: 22 of the fixture's Stockholm events and the new one (Vasastaden).
    assert metrics["Efter områdesnamn"] == "23"
    assert metrics["Efter ort"] == "0"
    assert metrics["Vid kommunens mitt"] == "6"
    other = next(d.value for d in at.dataframe if "Källans typ" in d.value.columns)
    assert other.iloc[0].tolist()[:4] == ["Övriga brott", "Nytt brottstyp", "polisen", 1]
