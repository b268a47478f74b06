"""The one writer of incidents: every event (the demo's, an import's, an observation) is stored
by ``insert_incidents``, through the single statement ``queries/incidents_insert.sql``.

A caller stages its rows as the temporary view ``incident_rows`` on its cursor, with the
columns in ``COLUMNS`` (a registered frame, see ``staged_frame``, or a view over its own
tables), and the writer derives the rest in the same statement: kind and sensitivity from the
category, the area group from the area, the H3 cell only for the drawable precisions, NULL for
empty text, and the source's own type only for an "other" category. Free text arrives masked
(``safetycore.privacy``): the writer stores what it is given.

Later changes to what is copied keep incidents in step in their own statements: an area moved
to another group (``area_admin``), the areas replaced (``area_admin.replace_areas``), a
category that became sensitive (``taxonomy.seed_taxonomy``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from safetycore import queries
from safetycore.geo import MAPPABLE_PRECISIONS
from safetycore.taxonomy import OTHER_CODES

STAGED = "incident_rows"  # the temporary view the statement reads

# The staged columns and the pandas type a frame holds each in (nullable where a value may be
# missing; an H3 cell needs all 64 bits, so never a float).
COLUMNS: dict[str, str] = {
    "id": "Int64",  # None: the next value of the sequence; an import gives its own
    "source": "object",
    "source_ref": "object",
    "category": "object",
    "occurred_at": "datetime64[ns]",
    "time_precision": "object",
    "lat": "float64",
    "lon": "float64",
    "location_precision": "object",
    "h3_cell": "UInt64",  # 0 or None: no cell
    "area_id": "object",
    "place": "object",
    "description": "object",
    "cost_sek": "float64",
    "involved": "object",
    "people": "Int32",
    "reported_by": "object",
    "import_batch_id": "Int64",
    "category_raw": "object",
}


def staged_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows (dicts by column name; a missing column is None) as a frame in the staged shape."""
    rows = list(rows)
    unknown = {key for row in rows for key in row} - COLUMNS.keys()
    if unknown:
        raise ValueError(f"Not columns of a staged incident: {sorted(unknown)}")
    return pd.DataFrame(
        {
            name: pd.Series([row.get(name) for row in rows], dtype=dtype)
            for name, dtype in COLUMNS.items()
        }
    )


def insert_incidents(cur, rows: pd.DataFrame | None = None) -> None:
    """Write the staged rows into incidents (inside the caller's transaction).

    ``rows`` is a frame in the staged shape, registered as ``incident_rows`` for the statement;
    without it the caller has staged ``incident_rows`` on ``cur`` itself.
    """
    if rows is None:
        _execute(cur)
        return
    missing = COLUMNS.keys() - set(rows.columns)
    if missing:
        raise ValueError(f"The staged rows lack the columns {sorted(missing)}")
    cur.register(STAGED, rows)
    _execute(cur)
    cur.unregister(STAGED)  # on failure the transaction's cursor takes it away


def insert_incident(cur, **values: Any) -> int:
    """Write one incident (columns of ``COLUMNS`` by name) and return its id: the one given,
    else the next of the sequence, drawn first (the bulk statement returns no ids)."""
    if values.get("id") is None:
        values["id"] = int(queries.execute(cur, "incidents_next_id").fetchall()[0][0])
    insert_incidents(cur, staged_frame([values]))
    return int(values["id"])


def _execute(cur) -> None:
    queries.execute(
        cur, "incidents_insert", drawable=list(MAPPABLE_PRECISIONS), other=list(OTHER_CODES)
    )
