"""The weekly rollup gives exactly the counts of the incidents themselves, for any period,
and follows every write."""

import datetime as dt

import pytest

from safetycore import db
from safetycore.filters import Filter
from safetycore.incidents import insert_incident
from tests.conftest import DEMO_END

COUNT_RAW = "SELECT count(*) FROM filtered_incidents($start, $end, $selection)"
COUNT_ROLLUP = "SELECT coalesce(sum(n), 0) FROM filtered_counts($start, $end, $selection)"


def both(con, flt: Filter) -> tuple[int, int]:
    cur = con.cursor()
    params = {k: v for k, v in flt.params().items() if k in ("start", "end", "selection")}
    return (
        cur.execute(COUNT_RAW, params).fetchone()[0],
        cur.execute(COUNT_ROLLUP, params).fetchone()[0],
    )


@pytest.mark.parametrize(
    "days,offset", [(1, 0), (3, 2), (7, 0), (9, 4), (28, 0), (100, 13), (365, 0), (1100, 0)]
)
def test_rollup_matches_raw_counts_for_any_period(demo_con, days, offset):
    end = DEMO_END - dt.timedelta(days=offset)
    flt = Filter(start=end - dt.timedelta(days=days - 1), end=end)
    raw, rolled = both(demo_con, flt)
    assert raw == rolled
    assert raw > 0


def test_rollup_respects_every_filter(demo_con):
    flt = Filter(
        start=dt.date(2025, 3, 5),
        end=dt.date(2026, 2, 10),
        area_groups=("rimbo",),
        kinds=("qol",),
        sources=("property", "schools"),
        include_sensitive=False,
    )
    raw, rolled = both(demo_con, flt)
    assert raw == rolled > 0
    sensitive_only = Filter(
        start=dt.date(2024, 1, 1),
        end=DEMO_END,
        categories=("domestic_violence",),
        include_sensitive=False,
    )
    assert both(demo_con, sensitive_only) == (0, 0)


def test_rollup_follows_inserts_and_deletes(fresh_db):
    con = db.connect(str(fresh_db))
    flt = Filter(start=dt.date(2026, 1, 1), end=DEMO_END)
    before = both(con, flt)
    with db.transaction(con) as cur:
        insert_incident(
            cur,
            source="schools",
            source_ref="x-1",
            category="graffiti",
            occurred_at=dt.datetime(2026, 3, 4, 12, 0),
            time_precision="exact",
            location_precision="street",
            area_id="centrum",
        )
    after_insert = both(con, flt)
    assert after_insert == (before[0] + 1, before[1] + 1)
    area_group = con.execute(
        "SELECT area_group_id FROM incidents WHERE source_ref = 'x-1'"
    ).fetchone()[0]
    assert area_group == "norrtalje-stad"  # derived by the writer
    with db.transaction(con) as cur:
        cur.execute(
            "DELETE FROM incidents WHERE source = 'police' AND occurred_at >= TIMESTAMP '2026-06-01'"
        )
    raw, rolled = both(con, flt)
    assert raw == rolled < before[0]
    con.close()


def test_a_source_seen_only_in_imported_data_is_offered_in_the_filters(fresh_db):
    from safetycore import queries

    con = db.connect(str(fresh_db))
    assert "tenant_survey" not in set(queries.run(con, "sources")["code"])
    with db.transaction(con) as cur:
        insert_incident(
            cur,
            source="tenant_survey",
            source_ref="t-1",
            category="littering",
            occurred_at=dt.datetime(2026, 3, 4, 12, 0),
            time_precision="exact",
            location_precision="street",
            area_id="centrum",
        )
    sources = queries.run(con, "sources").set_index("code")
    assert sources.loc["tenant_survey", "label_sv"] == "tenant_survey"
    assert sources.index[-1] == "tenant_survey"  # after the known ones
    with db.transaction(con) as cur:
        cur.execute("DELETE FROM incidents WHERE source = 'tenant_survey'")
    assert "tenant_survey" not in set(queries.run(con, "sources")["code"])
