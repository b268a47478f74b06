"""Datakällor's view without Streamlit: the figures of the filter, and the imports with what
time they cover and what undoing them would remove."""

import datetime as dt

import pandas as pd

from safetycore import db, queries
from safetycore import sources_view as sv
from safetycore.access import Actor
from safetycore.filters import Filter
from safetycore.ingest import EXPORT_CAP, import_file, undo_batch
from tests.conftest import DEMO_END, ROOT

LAST_28 = Filter(start=DEMO_END - dt.timedelta(days=27), end=DEMO_END)
POLISEN = ROOT / "tests" / "fixtures" / "polisen_events_sample.json"
COORDINATOR = Actor("Kim Samordnare", role="coordinator")


def runner(con):
    def run(name, flt=None, **extra):
        return queries.run(con, name, flt, **extra)

    return run


def test_the_filters_figures(demo_con):
    view = sv.sources_view(runner(demo_con), LAST_28, today=DEMO_END)
    (total,) = (
        demo_con.cursor()
        .execute(
            "SELECT count(*) FROM incidents WHERE occurred_at >= $s AND occurred_at < $e",
            {"s": LAST_28.start, "e": DEMO_END + dt.timedelta(days=1)},
        )
        .fetchone()
    )
    assert view.in_filter == view.quality.total == total
    assert 0 <= view.quality.coarse_location <= total
    assert view.export_capped == (total > EXPORT_CAP)
    assert len(view.events) == min(total, sv.EVENT_ROWS)
    assert set(view.table_counts["what"]) >= {"incidents", "areas"}
    assert view.batches.empty and view.span(1) is None and view.undoable(1) == 0


def test_an_import_has_a_span_until_it_is_undone(fresh_db):
    con = db.connect(str(fresh_db))
    try:
        result = import_file(con, POLISEN, COORDINATOR)
        view = sv.sources_view(runner(con), LAST_28, today=DEMO_END)
        span = view.span(result.batch_id)
        assert span is not None and span.first_event <= span.last_event
        assert (
            span.last_week
            == f"{span.last_event.isocalendar()[0]}-W{span.last_event.isocalendar()[1]:02d}"
        )
        assert view.undoable(result.batch_id) == result.imported > 0
        row = view.batches.set_index("id").loc[result.batch_id]
        assert row["last_week"] == span.last_week
        assert view.placement.total == result.imported
        assert view.placement.by_area + view.placement.by_locality <= view.placement.total
        undo_batch(con, result.batch_id, COORDINATOR)
        undone = sv.sources_view(runner(con), LAST_28, today=DEMO_END)
        assert undone.span(result.batch_id) is None and undone.undoable(result.batch_id) == 0
        assert pd.isna(undone.batches.set_index("id").loc[result.batch_id, "last_week"])
    finally:
        con.close()


def test_with_ranges_leaves_an_import_without_events_blank():
    batches = pd.DataFrame({"id": [2, 1], "imported": [3, 0]})
    ranges = pd.DataFrame(
        {
            "first_event": [pd.Timestamp("2026-01-01")],
            "last_event": [pd.Timestamp("2026-01-05")],
            "last_week": ["2026-W02"],
        },
        index=pd.Index([2], name="id"),
    )
    out = sv.with_ranges(batches, ranges)
    assert list(out["last_week"].isna()) == [False, True]
    assert out.loc[0, "last_event"] == pd.Timestamp("2026-01-05")
