"""A database last written by an earlier version opens read-only with this version's query
macros: the command line reads it as the dashboard would."""

import duckdb

from safetycore import db, queries
from safetycore.filters import Filter
from tests.conftest import DEMO_END


def test_a_file_with_older_macros_is_renewed_when_opened_read_only(tmp_path):
    path = str(tmp_path / "old.duckdb")
    db.connect(path).close()
    old = duckdb.connect(path)  # as an earlier version left it: another macro signature
    old.execute(
        "CREATE OR REPLACE MACRO filtered_counts(a, b, c, d, e, f, g, h) AS TABLE "
        "SELECT * FROM rollup_weekly"
    )
    old.execute("UPDATE meta SET value = 'older' WHERE key = 'macros_version'")
    old.close()

    con = db.connect(path, read_only=True, create=False)
    try:
        flt = Filter(start=DEMO_END, end=DEMO_END)
        # an empty file: the query runs (with the old macro it would not) and finds nothing
        assert queries.run(con, "data_start", flt)["first_event"].isna().all()
        assert db.meta_get(con, "macros_version") == db.macros_version()
    finally:
        con.close()
