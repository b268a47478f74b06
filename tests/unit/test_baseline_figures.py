"""The pandas baseline computes the same figures as our SQL, so its speed ratio is fair."""

from benchmarks.baseline import MAP_RESOLUTION, _filter, pandas_figures
from safetycore import queries
from tests.conftest import DEMO_INCIDENTS


def test_pandas_baseline_figures_equal_the_sql_figures(demo_con):
    flt = _filter(demo_con)
    frame = demo_con.execute("SELECT * FROM incidents").df()
    figures = pandas_figures(frame, flt.params(), flt.previous_period().params())

    kpi = queries.run(demo_con, "kpi_by_kind", flt).set_index("kind")["n"]
    assert figures["kpi"].sort_index().to_dict() == kpi.sort_index().to_dict()
    previous = queries.run(demo_con, "kpi_by_kind", flt.previous_period()).set_index("kind")["n"]
    assert figures["kpi_previous"].sort_index().to_dict() == previous.sort_index().to_dict()

    weekly = queries.run(demo_con, "weekly_by_kind", flt)
    pandas_weekly = {
        (period.start_time.date(), kind): n for (period, kind), n in figures["weekly"].items()
    }
    assert pandas_weekly == {(row.week.date(), row.kind): row.n for row in weekly.itertuples()}

    groups = queries.run(demo_con, "counts_by_group", flt).set_index("area_group_id")
    pandas_groups = figures["groups"]
    for group_id, row in groups.iterrows():
        counted = pandas_groups.loc[group_id] if group_id in pandas_groups.index else None
        assert (0 if counted is None else counted.get("incident", 0)) == row["incidents"]
        assert (0 if counted is None else counted.get("qol", 0)) == row["qol"]

    cells = queries.run(demo_con, "map_cells", flt, resolution=MAP_RESOLUTION)
    pandas_cells = figures["cells"]
    pandas_cells = pandas_cells.set_axis([f"{int(c):x}" for c in pandas_cells.index])
    assert len(cells) > 100 and len(pandas_cells) == len(cells)
    cells = cells.set_index("cell")
    for column in ("n", "incidents", "qol", "latest"):
        assert pandas_cells[column].to_dict() == cells[column].to_dict(), column
    # The most frequent category may tie: each side must name one with the cell's top count.
    per_category = figures["cell_categories"]
    per_category.index = per_category.index.set_levels(
        [f"{int(c):x}" for c in per_category.index.levels[0]], level=0
    )
    for cell, row in cells.iterrows():
        counts = per_category.loc[cell]
        assert counts[row["top_category"]] == counts.max(), cell
        assert counts[pandas_cells.loc[cell, "top_category"]] == counts.max(), cell


def test_common_pattern_loads_once_and_hands_each_rerun_its_own_copy(fresh_db):
    from benchmarks import baseline

    path = str(fresh_db)
    baseline.LOADS.clear()
    result = baseline.run_pandas(path, "cache-data")
    # Loaded once; the reruns after it were answered by st.cache_data, not by reloading.
    assert result["loads"] == 1 and result["rerun_s"] > 0
    loader = baseline.cached_loader()
    try:
        first, second = loader(path), loader(path)
        assert first is not second and first.equals(second)
        assert len(first) == DEMO_INCIDENTS
        assert baseline.LOADS == [path]
    finally:
        loader.clear()
