"""``python -m safetycore situation``: the week's flags and hotspots as one JSON object."""

import json
import subprocess
import sys

from safetycore.__main__ import main
from tests.conftest import ROOT
from tests.helpers import plant_spike

FLAG_KEYS = {"area_group", "kind", "category", "observed", "expected", "low", "high", "direction"}
HOTSPOT_KEYS = {"lat", "lon", "area_group", "area", "observed", "expected", "status", "since"}


def test_the_week_as_json(fresh_db, capsys):
    demo_db = fresh_db  # a private copy: the command opens the file itself, read-only
    # Week 27: youth unrest in Rimbo (the skatepark's first summer), made unusually high.
    plant_spike(demo_db, "rimbo", "youth_unrest", "2026-06-29", "2026-07-06")
    assert main(["situation", "--week", "2026-W27", "--db", str(demo_db), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["week"] == "2026-W27"
    assert out["flags"] and all(set(f) == FLAG_KEYS for f in out["flags"])
    youth = [f for f in out["flags"] if f["category"] == "youth_unrest"]
    assert youth and youth[0]["area_group"] == "rimbo" and youth[0]["kind"] == "qol"
    assert youth[0]["direction"] == "up" and youth[0]["observed"] > youth[0]["high"]
    assert all(HOTSPOT_KEYS <= set(h) for h in out["hotspots"])
    assert {h["status"] for h in out["hotspots"]} <= {"new", "emerging", "persistent", "fading"}
    # One area group only: its own figures, nothing from the others.
    assert (
        main(
            [
                "situation",
                "--week",
                "2026-W27",
                "--area-group",
                "hallstavik",
                "--db",
                str(demo_db),
                "--json",
            ]
        )
        == 0
    )
    only = json.loads(capsys.readouterr().out)
    assert {f["area_group"] for f in only["flags"]} <= {"hallstavik", None}
    assert {h["area_group"] for h in only["hotspots"]} <= {"hallstavik"}


def test_bad_week_or_group_exits_2(fresh_db, capsys):
    demo_db = fresh_db
    assert main(["situation", "--week", "2026-W60", "--db", str(demo_db), "--json"]) == 2
    assert "ISO week" in capsys.readouterr().err
    assert (
        main(["situation", "--week", "2026-W27", "--area-group", "atlantis", "--db", str(demo_db)])
        == 2
    )
    assert "no area group 'atlantis'" in capsys.readouterr().err


def test_a_held_database_exits_3(tmp_path):
    path = tmp_path / "held.duckdb"
    run = [sys.executable, "-m", "safetycore"]
    assert (
        subprocess.run(
            [*run, "init", "--municipality", "0188", "--db", str(path)],
            cwd=ROOT,
            capture_output=True,
            timeout=300,
        ).returncode
        == 0
    )
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('ready', flush=True); time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = subprocess.run(
            [*run, "situation", "--week", "2026-W47", "--db", str(path), "--json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 3 and "in use by another process" in result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_the_running_dashboard_answers_it_on_its_own_connection(fresh_db):
    # While the dashboard holds the file, it runs the command on its connection and sends back
    # the same output (serve_command is what its endpoint calls).
    from safetycore import db
    from safetycore.__main__ import serve_command

    plant_spike(fresh_db, "rimbo", "youth_unrest", "2026-06-29", "2026-07-06")
    con = db.connect(str(fresh_db))
    try:
        answer = serve_command(
            con.cursor(), ["situation", "--week", "2026-W27", "--db", str(fresh_db), "--json"]
        )
    finally:
        con.close()
    assert answer["exit"] == 0, answer["stderr"]
    out = json.loads(answer["stdout"])
    assert out["week"] == "2026-W27" and any(f["category"] == "youth_unrest" for f in out["flags"])
