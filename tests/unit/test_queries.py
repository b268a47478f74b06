"""The query layer against direct SQL on the demo database."""

import datetime as dt
import threading
from pathlib import Path

import pytest

from safetycore import queries
from safetycore.filters import Filter, iso_week_bounds, period_for_preset
from tests.conftest import DEMO_END, ROOT

FOUR_WEEKS = Filter(start=DEMO_END - dt.timedelta(days=27), end=DEMO_END)


def direct_count(con, where: str = "true", params: dict | None = None) -> int:
    sql = (
        "SELECT count(*) FROM incidents i LEFT JOIN areas a ON a.id = i.area_id "
        "WHERE i.occurred_at >= $s AND i.occurred_at < $e AND " + where
    )
    values = {
        "s": dt.datetime.combine(FOUR_WEEKS.start, dt.time()),
        "e": dt.datetime.combine(FOUR_WEEKS.end + dt.timedelta(days=1), dt.time()),
    }
    values.update(params or {})
    return con.execute(sql, values).fetchone()[0]


def test_kpi_matches_direct_sql(demo_con):
    frame = queries.run(demo_con, "kpi_by_kind", FOUR_WEEKS)
    assert frame["n"].sum() == direct_count(demo_con) > 100


def test_area_group_kind_category_and_source_filters(demo_con):
    flt = Filter(
        start=FOUR_WEEKS.start,
        end=FOUR_WEEKS.end,
        area_groups=("rimbo",),
        kinds=("qol",),
        sources=("property", "street_park"),
    )
    expected = direct_count(
        demo_con,
        "a.area_group_id = 'rimbo' AND i.kind = 'qol' AND i.source IN ('property', 'street_park')",
    )
    assert queries.run(demo_con, "kpi_by_kind", flt)["n"].sum() == expected > 0
    only_graffiti = Filter(start=FOUR_WEEKS.start, end=FOUR_WEEKS.end, categories=("graffiti",))
    assert queries.run(demo_con, "kpi_by_kind", only_graffiti)["n"].sum() == direct_count(
        demo_con, "i.category = 'graffiti'"
    )


def test_sensitive_categories_can_be_excluded(demo_con):
    without = Filter(start=FOUR_WEEKS.start, end=FOUR_WEEKS.end, include_sensitive=False)
    n_without = queries.run(demo_con, "kpi_by_kind", without)["n"].sum()
    assert n_without == direct_count(
        demo_con, "i.category NOT IN ('domestic_violence', 'sexual_offence')"
    )
    assert n_without < queries.run(demo_con, "kpi_by_kind", FOUR_WEEKS)["n"].sum()


def test_counts_by_group_add_up(demo_con):
    frame = queries.run(demo_con, "counts_by_group", FOUR_WEEKS)
    assert len(frame) == 6
    assert (frame["incidents"] + frame["qol"] == frame["total"]).all()
    # Events placed only at the municipality have no area group.
    assert frame["total"].sum() == direct_count(demo_con, "i.area_id IS NOT NULL")


def test_map_cells_never_hold_sensitive_or_coarse_events(demo_con):
    cells = queries.run(demo_con, "map_cells", FOUR_WEEKS, resolution=8)
    coverage = queries.run(demo_con, "map_coverage", FOUR_WEEKS).iloc[0]
    assert cells["n"].sum() == coverage["drawable"]
    assert coverage["drawable"] + coverage["coarse"] <= coverage["total"]
    assert coverage["coarse"] > 0


@pytest.mark.parametrize(
    "end", [DEMO_END, dt.date(2025, 12, 31), dt.date(2026, 1, 3), dt.date(2025, 6, 15)]
)
def test_comparison_windows_match_raw_counts(demo_con, end):
    # The year-to-date windows read whole weeks from the rollup; every window must still
    # equal a plain count of the raw events, also where windows touch New Year.
    from safetycore import analysis

    flt = Filter(
        start=end - dt.timedelta(days=27), end=end, kinds=("qol",), include_sensitive=False
    )
    windows = analysis.comparison_windows(end)
    frame = queries.run(demo_con, "trends_compare", flt, **windows)
    total = frame[frame["dimension"] == "total"].iloc[0]
    pairs = {
        "d7": ("d7", "end"),
        "d7_prev": ("d7_prev", "d7"),
        "d7_ly": ("d7_ly", "d7_ly_end"),
        "d28": ("d28", "end"),
        "d28_prev": ("d28_prev", "d28"),
        "d28_ly": ("d28_ly", "d28_ly_end"),
        "ytd": ("ytd", "end"),
        "ytd_ly": ("ly_ytd", "ly_ytd_end"),
    }
    for column, (start_key, end_key) in pairs.items():
        expected = demo_con.execute(
            "SELECT count(*) FROM incidents WHERE occurred_at >= $s AND occurred_at < $e "
            "AND kind = 'qol' AND NOT sensitive",
            {"s": windows[start_key], "e": windows[end_key]},
        ).fetchone()[0]
        assert total[column] == expected, column
    assert total["ytd"] > 0
    by_group = frame[frame["dimension"] == "group"]
    assert by_group["ytd"].sum() == total["ytd"]


def test_every_query_file_binds_its_values():
    for path in Path(ROOT / "safetycore" / "queries").glob("*.sql"):
        text = path.read_text()
        assert "{" not in text and "%s" not in text, f"{path.name} looks formatted, not bound"


def test_missing_parameter_is_a_clear_error(demo_con):
    with pytest.raises(TypeError, match="resolution"):
        queries.run(demo_con, "map_cells", FOUR_WEEKS)


def test_periods():
    assert period_for_preset("7d", dt.date(2026, 11, 20)) == (
        dt.date(2026, 11, 14),
        dt.date(2026, 11, 20),
    )
    assert period_for_preset("ytd", dt.date(2026, 11, 20))[0] == dt.date(2026, 1, 1)
    assert iso_week_bounds("2026-W01") == (dt.date(2025, 12, 29), dt.date(2026, 1, 4))
    assert FOUR_WEEKS.previous_period().end == FOUR_WEEKS.start - dt.timedelta(days=1)
    leap = Filter(start=dt.date(2024, 2, 29), end=dt.date(2024, 2, 29)).same_period_last_year()
    assert leap.start == dt.date(2023, 2, 28)
    with pytest.raises(ValueError):
        Filter(start=dt.date(2026, 2, 2), end=dt.date(2026, 2, 1))


def test_dashboard_connection_serves_eight_threads(demo_db, monkeypatch):
    """8 threads x 25 queries through the dashboard's one connection, each on its own cursor."""
    from ui import data

    monkeypatch.setenv("SAFETY_DB", str(demo_db))
    con = data.connection(str(demo_db))
    expected = queries.run(con, "kpi_by_kind", FOUR_WEEKS)["n"].sum()
    errors, results = [], []

    def worker(offset: int):
        try:
            for i in range(25):
                flt = FOUR_WEEKS.shifted(-((offset * 25 + i) % 300))
                shifted = queries.run(con, "kpi_by_kind", flt)["n"].sum()
                same = queries.run(con, "kpi_by_kind", FOUR_WEEKS)["n"].sum()
                results.append((shifted, same))
        except Exception as exc:  # noqa: BLE001 (collect every failure, assert below)
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len(results) == 8 * 25
    assert all(same == expected for _, same in results)
    assert all(shifted > 0 for shifted, _ in results)


def test_quiet_sources_are_those_silent_lately(fresh_db):
    from safetycore import db
    from safetycore.incidents import insert_incident

    con = db.connect(str(fresh_db))
    today = DEMO_END
    with db.transaction(con) as cur:
        for ref, source, days_ago in (
            ("q-1", "watch_a", 30),
            ("q-2", "watch_a", 20),
            ("q-3", "watch_b", 30),
            ("q-4", "watch_b", 3),
            ("q-5", "watch_c", 200),
        ):
            insert_incident(
                cur,
                source=source,
                source_ref=ref,
                category="graffiti",
                occurred_at=dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(12)),
                time_precision="exact",
                location_precision="street",
                area_id="centrum",
            )
    quiet = queries.run(con, "data_quiet_sources", today=today, quiet_days=14)
    con.close()
    rows = quiet.set_index("source")
    # watch_a reported 20 and 30 days ago, not in the last 14: quiet, last seen 20 days ago.
    assert rows.loc["watch_a", "events_before"] == 2 and rows.loc["watch_a", "events_recent"] == 0
    assert rows.loc["watch_a", "last_event"].date() == today - dt.timedelta(days=20)
    assert "watch_b" not in rows.index  # reported 3 days ago
    assert "watch_c" not in rows.index  # silent for long before the eight weeks: not "went quiet"
