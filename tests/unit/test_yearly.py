"""The yearly situation picture: its figures against the database, the privacy rules, the
demo's planted places and actions, the analyst's texts, and the report command."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest

from safetycore import db, effect, queries, yearly
from safetycore.__main__ import main
from safetycore.access import AccessDenied, Actor
from safetycore.involvement import INVOLVED
from tests.conftest import DEMO_END

YEAR = 2025  # the last complete year of the demo (which ends 2026-11-20)


def runner(con):
    return lambda name, flt=None, **extra: queries.run(con, name, flt, **extra)


@pytest.fixture(scope="module")
def shared(demo_con):
    return yearly.yearly_picture(runner(demo_con), YEAR, today=DEMO_END)


@pytest.fixture(scope="module")
def internal(demo_con):
    return yearly.yearly_picture(runner(demo_con), YEAR, today=DEMO_END, internal=True)


def count(con, start, end, where="TRUE", what="count(*)"):
    return con.execute(
        f"SELECT {what} FROM incidents WHERE occurred_at >= $s AND occurred_at < $e AND {where}",
        {
            "s": dt.datetime.combine(start, dt.time()),
            "e": dt.datetime.combine(end + dt.timedelta(days=1), dt.time()),
        },
    ).fetchone()[0]


def test_spans_are_whole_years_or_the_same_dates_so_far():
    done = yearly.spans_for(2025, DEMO_END)
    assert [(s.start, s.end) for s in done] == [
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        (dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        (dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
    ]
    running = yearly.spans_for(2026, DEMO_END)
    assert [s.end for s in running] == [DEMO_END, dt.date(2025, 11, 20), dt.date(2024, 11, 20)]
    leap = yearly.spans_for(2028, dt.date(2028, 2, 29))
    assert leap[1].end == dt.date(2027, 2, 28)
    with pytest.raises(Exception, match="has not begun"):
        yearly.spans_for(2027, DEMO_END)


def test_extent_matches_the_database(demo_con, shared, internal):
    jan, dec = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    assert shared.complete and shared.years == (2025, 2024, 2023)
    by_key = {f.key: f for f in internal.categories}
    for code in ("vandalism", "graffiti", "assault", "domestic_violence"):
        f = by_key[code]
        assert f.count == count(demo_con, jan, dec, f"category = '{code}'")
        assert f.previous[2024] == count(
            demo_con, dt.date(2024, 1, 1), dt.date(2024, 12, 31), f"category = '{code}'"
        )
        assert f.per_1000 == pytest.approx(1000 * f.count / internal.population)
        assert f.cost_sek == pytest.approx(
            count(demo_con, jan, dec, f"category = '{code}'", "coalesce(sum(cost_sek), 0)")
        )
    # The shareable version leaves the sensitive categories out of every figure.
    assert "domestic_violence" not in {f.key for f in shared.categories}
    assert shared.total.count == count(demo_con, jan, dec, "NOT sensitive")
    assert internal.total.count == count(demo_con, jan, dec)
    groups = {f.key: f for f in shared.area_groups}
    rimbo = groups["rimbo"]
    assert rimbo.count == count(demo_con, jan, dec, "area_group_id = 'rimbo' AND NOT sensitive")
    assert rimbo.per_1000 == pytest.approx(1000 * rimbo.count / rimbo.population)
    assert sum(f.count for f in shared.area_groups) + shared.unplaced.count == shared.total.count
    # The expected range comes from the two years before; a count inside it is "normal".
    for f in shared.categories:
        if f.expected_low is not None and f.change == "normal":
            assert f.expected_low <= f.count <= f.expected_high


def test_consequences_involved_and_costs(demo_con, shared):
    jan, dec = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    # Every event counts once: not recorded goes with unknown, and says how many.
    assert sum(shared.involved.values()) == shared.total.count
    assert shared.involved["youth"] == count(
        demo_con, jan, dec, "involved = 'youth' AND NOT sensitive"
    )
    assert shared.not_recorded == count(demo_con, jan, dec, "involved IS NULL AND NOT sensitive")
    assert shared.people["youth"] == count(
        demo_con, jan, dec, "involved = 'youth' AND NOT sensitive", "sum(people)"
    )
    # Young people dominate youth unrest, adults public intoxication (the demo's mix).
    by_cat = shared.involved_by_category.set_index("category")
    assert by_cat.loc["youth_unrest", "youth"] > 5 * by_cat.loc["youth_unrest", "adults"]
    assert by_cat.loc["public_intoxication", "adults"] > by_cat.loc["public_intoxication", "youth"]
    assert shared.total.cost_sek == pytest.approx(
        count(demo_con, jan, dec, "NOT sensitive", "sum(cost_sek)")
    )
    # Weekend nights are the busiest (the demo's disorder and assault).
    assert shared.busiest and shared.busiest[0][0] in (5, 6, 7)


def test_the_planted_places_persist_and_emerge(demo_con):
    running = yearly.yearly_picture(runner(demo_con), 2026, today=DEMO_END)
    status = {}
    for pl in running.places:
        status.setdefault(pl.area_id, set()).add(pl.status)
    assert "persistent" in status["centrum"]  # the bus station and the town square
    import h3

    assert all(
        h3.is_valid_cell(pl.cell) and h3.get_resolution(pl.cell) == 8 for pl in running.places
    )
    # Rimbo skatepark rises this spring: its cell is new this year.
    emerging = [pl for pl in running.places if pl.status == "emerging"]
    assert any(
        pl.area_group_id == "rimbo" and pl.counts[2026] > 3 * (pl.counts[2025] + 1)
        for pl in emerging
    ), emerging[:3]
    # The shareable version names places by their area only; the internal one by their text.
    assert all(pl.place is None for pl in running.places)
    inside = yearly.yearly_picture(runner(demo_con), 2026, today=DEMO_END, internal=True)
    assert "Rimbo skatepark" in {pl.place for pl in inside.places}


def test_actions_carry_the_effect_evaluation(demo_con, shared):
    by_title = {a.title: a for a in shared.actions}
    guards = by_title["Ordningsvakter fredag och lördag kväll vid busstationen"]
    assert guards.verdict == "drop" and guards.high < 1
    assert guards.cost_sek == 480_000
    # The same verdict effect.summarise gives on the weekly counts, for every action.
    boundaries = queries.run(demo_con, "area_boundaries")
    nbrs = effect.neighbours(boundaries)
    for a in shared.actions:
        if a.verdict == "not_evaluable":
            continue
        action = demo_con.execute("SELECT * FROM actions WHERE id = $id", {"id": a.id}).df()
        row = action.to_dict("records")[0]
        row["start_date"] = a.start_date
        row["target_categories"] = list(a.categories)
        win = effect.window(a.start_date, yearly.EFFECT_WEEKS, DEMO_END)
        params = effect.query_params(
            row, win, neighbour_ids=nbrs.get(row["area_id"], ()), comparison_area=None
        )
        params["sensitive"] = False
        weekly = queries.run(demo_con, "actions_effect_weekly", **params)
        expected = effect.summarise(weekly, win, has_neighbours=True)
        assert (a.verdict, a.events_before, a.events_after) == (
            expected.verdict,
            expected.target_before,
            expected.target_after,
        ), a.title


def test_small_counts_are_suppressed_in_the_shareable_version(demo_con):
    strict = yearly.yearly_picture(runner(demo_con), YEAR, today=DEMO_END, min_count=200)
    robbery = next(f for f in strict.categories if f.key == "robbery")
    assert robbery.count is None and robbery.cost_sek is None and robbery.change == "too_small"
    assert yearly.as_json(strict)["categories"][1]["count"] is None or any(
        c["count"] is None for c in yearly.as_json(strict)["categories"]
    )
    open_ = yearly.yearly_picture(
        runner(demo_con), YEAR, today=DEMO_END, min_count=200, internal=True
    )
    assert next(f for f in open_.categories if f.key == "robbery").count > 0


def test_gaps_are_said_plainly(demo_con, shared):
    codes = {g.code for g in shared.gaps}
    assert {"unplaced", "involved_missing", "cost_partial", "sensitive_left_out"} <= codes
    first = yearly.yearly_picture(runner(demo_con), 2023, today=DEMO_END)
    short = next(g for g in first.gaps if g.code == "short_history")
    assert short.values["needed"] == "2021-01-01"
    running = yearly.yearly_picture(runner(demo_con), 2026, today=DEMO_END)
    assert {"code": "partial_year", "end": DEMO_END.isoformat()} in yearly.as_json(running)["gaps"]


def test_texts_are_scrubbed_kept_with_their_author_and_need_a_coordinator(fresh_db):
    con = db.connect(str(fresh_db))
    try:
        with pytest.raises(AccessDenied):
            yearly.save_text(con, Actor("Rektor", role="reporter"), YEAR, "conclusions", "x")
        with pytest.raises(Exception, match="Unknown section"):
            yearly.save_text(con, Actor("Kim", role="coordinator"), YEAR, "gossip", "x")
        saved = yearly.save_text(
            con,
            Actor("kim@kommun.se", role="coordinator"),
            YEAR,
            "conclusions",
            "Skadegörelsen kostar mest. Ring 070-123 45 67.",
        )
        assert saved.text == "Skadegörelsen kostar mest. Ring [telefonnummer]."
        yearly.save_text(
            con, Actor("ali@kommun.se", role="admin"), YEAR, "conclusions", "Prioritera Rimbo."
        )
        rows = con.execute("SELECT text, written_by FROM yearly_texts").fetchall()
        assert rows == [("Prioritera Rimbo.", "ali@kommun.se")]
        shared = yearly.yearly_picture(runner(con), YEAR, today=DEMO_END)
        assert shared.text("conclusions") == "Prioritera Rimbo."
        assert shared.texts["conclusions"].written_by == ""  # no names in the shared version
        inside = yearly.yearly_picture(runner(con), YEAR, today=DEMO_END, internal=True)
        assert inside.texts["conclusions"].written_by == "ali@kommun.se"
    finally:
        con.close()


# --- the command ---------------------------------------------------------------------------


def test_report_year_json_has_the_documented_fields(fresh_db, tmp_path, capsys):
    out = tmp_path / "year.json"
    assert main(["report", "--year", str(YEAR), "--db", str(fresh_db), "--out", str(out)]) == 0
    assert "yearly situation picture for 2025" in capsys.readouterr().out
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["year"] == YEAR
    cat = data["categories"][0]
    assert {"category", "kind", "count", "per_1000", "cost_sek", "previous_years"} <= set(cat)
    assert set(cat["previous_years"]) == {"2024", "2023"}
    vandalism = next(c for c in data["categories"] if c["category"] == "vandalism")
    assert vandalism["kind"] == "qol" and vandalism["cost_sek"] > 0
    assert {"area_group", "name", "count", "per_1000", "cost_sek", "previous_years"} <= set(
        data["area_groups"][0]
    )
    assert set(data["involved"]) == set(INVOLVED)
    assert sum(data["involved"].values()) == data["total"]["count"]
    assert isinstance(data["actions"], list) and data["actions"]
    assert {"title", "status", "cost_sek", "effect"} <= set(data["actions"][0])
    assert not any(
        c["category"] in ("domestic_violence", "sexual_offence") for c in data["categories"]
    )
    out2 = tmp_path / "internal.json"
    assert (
        main(
            ["report", "--year", str(YEAR), "--db", str(fresh_db), "--out", str(out2), "--internal"]
        )
        == 0
    )
    inside = json.loads(out2.read_text(encoding="utf-8"))
    assert "domestic_violence" in {c["category"] for c in inside["categories"]}


def test_report_year_html_and_pdf(fresh_db, tmp_path):
    page = tmp_path / "year.html"
    assert main(["report", "--year", str(YEAR), "--db", str(fresh_db), "--out", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "Årlig lägesbild 2025" in text and "1. Omfattning" in text and "4. Analys" in text
    assert "data:image/png;base64," in text and "http://" not in text and "https://" not in text
    assert "Våld i nära relation" not in text
    pdf = tmp_path / "year.pdf"
    assert main(["report", "--year", str(YEAR), "--db", str(fresh_db), "--out", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        words = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Årlig lägesbild 2025" in words and "Vilka var inblandade?" in words
        assert "2. Konsekvenser" in words and "Prioriteringar" in words


def test_report_year_refuses_bad_input(fresh_db, tmp_path, capsys):
    out = str(tmp_path / "y.json")
    assert main(["report", "--year", "20x5", "--db", str(fresh_db), "--out", out]) == 2
    assert "not a year" in capsys.readouterr().err
    assert main(["report", "--year", "2031", "--db", str(fresh_db), "--out", out]) == 2
    assert "has not begun" in capsys.readouterr().err
    assert (
        main(["report", "--year", "2025", "--db", str(fresh_db), "--out", str(tmp_path / "y.docx")])
        == 2
    )
    with pytest.raises(SystemExit) as both:
        main(
            ["report", "--year", "2025", "--week", "2025-W03", "--db", str(fresh_db), "--out", out]
        )
    assert both.value.code == 2


def test_report_year_takes_k_from_the_meeting_setting(fresh_db, tmp_path, monkeypatch):
    monkeypatch.setenv("SAFETY_MEETING_MIN_CELL", "100")
    out = tmp_path / "k.json"
    assert main(["report", "--year", str(YEAR), "--db", str(fresh_db), "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["min_count"] == 100
    robbery = next(c for c in data["categories"] if c["category"] == "robbery")
    assert robbery["count"] is None and robbery["cost_sek"] is None
