"""The command line: exit codes and outputs that other tools rely on."""

import json
import subprocess
import sys
import time

from safetycore.__main__ import main
from tests.conftest import ROOT


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "safetycore", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_demo_then_info_json(tmp_path, capsys):
    path = str(tmp_path / "small.duckdb")
    assert (
        main(["demo", "--db", path, "--incidents", "6000", "--seed", "2", "--end", "2026-03-01"])
        == 0
    )
    capsys.readouterr()
    assert main(["info", "--db", path, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["counts"]["incidents"] == 6000
    assert info["last_event"].startswith("2026-03-01")
    assert info["schema_version"] == 1 and info["data_version"] >= 1
    assert info["demo"] is True


def test_demo_refuses_to_overwrite_without_force(tmp_path, capsys):
    path = str(tmp_path / "d.duckdb")
    assert main(["demo", "--db", path, "--incidents", "500", "--end", "2026-01-10"]) == 0
    assert main(["demo", "--db", path, "--incidents", "500"]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["demo", "--db", path, "--incidents", "700", "--end", "2026-01-10", "--force"]) == 0


def test_bad_usage_exits_2(tmp_path, capsys):
    assert run_cli("demo", "--incidents", "many").returncode == 2
    assert run_cli("frobnicate").returncode == 2
    assert main(["info", "--db", str(tmp_path / "missing.duckdb")]) == 2
    assert "python -m safetycore demo" in capsys.readouterr().err


def test_init_for_a_municipality_code(tmp_path, capsys):
    path = str(tmp_path / "m.duckdb")
    assert main(["init", "--municipality", "0180", "--db", path]) == 0
    capsys.readouterr()
    assert main(["info", "--db", path, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["municipality"] == "Stockholm"
    assert info["counts"]["areas"] == 1 and info["counts"]["incidents"] == 0
    assert main(["init", "--municipality", "9999", "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "kommunkod" in capsys.readouterr().err


def test_init_from_an_area_file(tmp_path, capsys):
    areas = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"area": "Norr", "area_group": "Staden", "population": 1200},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[18, 59], [18.1, 59], [18.1, 59.1], [18, 59]]],
                },
            },
            {
                "type": "Feature",
                "properties": {"area": "Söder", "area_group": "Staden"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[18, 58.9], [18.1, 58.9], [18.1, 59], [18, 58.9]]],
                },
            },
        ],
    }
    area_file = tmp_path / "areas.geojson"
    area_file.write_text(json.dumps(areas), encoding="utf-8")
    path = str(tmp_path / "a.duckdb")
    assert main(["init", "--areas", str(area_file), "--db", path]) == 0
    capsys.readouterr()
    main(["info", "--db", path, "--json"])
    counts = json.loads(capsys.readouterr().out)["counts"]
    assert counts["areas"] == 2 and counts["area_groups"] == 1
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
        '"geometry": {"type": "Point", "coordinates": [18, 59]}}]}'
    )
    assert main(["init", "--areas", str(bad), "--db", str(tmp_path / "b.duckdb")]) == 2
    assert "--area-property" in capsys.readouterr().err


def test_busy_database_exits_3(tmp_path):
    path = tmp_path / "held.duckdb"
    assert run_cli("init", "--municipality", "0188", "--db", str(path)).returncode == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        started = time.time()
        result = run_cli("info", "--db", str(path))
        assert result.returncode == 3
        assert "in use by another process" in result.stderr
        assert time.time() - started < 30
        forced = run_cli("demo", "--db", str(path), "--incidents", "100", "--force")
        assert forced.returncode == 3
        assert path.exists()  # never deleted while another process holds it
    finally:
        holder.kill()
        holder.wait()
