"""Observations written directly: a point picked on the map, a part of the day, refusals."""

import datetime as dt

import pytest

from safetycore import db, geo
from safetycore.access import AccessDenied, Actor
from safetycore.errors import UsageError
from safetycore.ingest.observation import Observation, pick_cells, report_observation
from tests.conftest import DEMO_END

REPORTER = Actor("Rektor", role="reporter")


def test_point_on_the_map_and_refusals(fresh_db):
    con = db.connect(str(fresh_db))
    try:
        cells = pick_cells(geo.load_areas(con))
        rimbo = next(c for c in cells if c["area_id"].startswith("rimbo"))
        saved = report_observation(
            con,
            REPORTER,
            Observation(
                category="graffiti",
                source="schools",
                day=DEMO_END,
                time=dt.time(21, 35),
                cell=rimbo["hex"],
                description="Ring 0701234567",
            ),
        )
        row = con.execute(
            "SELECT area_id, location_precision, h3_cell IS NOT NULL, occurred_at, time_precision, "
            "description, reported_by FROM incidents WHERE id = $id",
            {"id": saved.id},
        ).fetchone()
        assert row == (
            rimbo["area_id"],
            "street",
            True,
            dt.datetime.combine(DEMO_END, dt.time(21, 35)),
            "exact",
            "Ring [telefonnummer]",
            "Rektor",
        )
        assert saved.findings == frozenset({"phone"})
        by_place = report_observation(
            con,
            REPORTER,
            Observation(
                category="disorder",
                source="schools",
                day=DEMO_END,
                day_part="night",
                place=rimbo["area"],
            ),
        )
        assert (by_place.area_id, by_place.time_precision, by_place.occurred_at.hour) == (
            rimbo["area_id"],
            "day",
            2,
        )
        with pytest.raises(UsageError, match="where"):
            report_observation(
                con,
                REPORTER,
                Observation(
                    category="disorder",
                    source="schools",
                    day=DEMO_END,
                    day_part="evening",
                    place="Ingenstans",
                ),
            )
        with pytest.raises(UsageError, match="future"):
            report_observation(
                con,
                REPORTER,
                Observation(
                    category="disorder",
                    source="schools",
                    day=dt.date(2099, 1, 1),
                    day_part="evening",
                    area_id=rimbo["area_id"],
                ),
                now=dt.datetime(2026, 11, 20, 12),
            )
        with pytest.raises(AccessDenied):
            report_observation(
                con,
                Actor("Skärm", role="viewer"),
                Observation(
                    category="disorder",
                    source="schools",
                    day=DEMO_END,
                    day_part="evening",
                    area_id=rimbo["area_id"],
                ),
            )
    finally:
        con.close()
