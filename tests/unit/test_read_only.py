"""SAFETY_READONLY=1 (a public screen) and the viewer role: every write function refuses,
and nothing reaches the database."""

import datetime as dt

import pytest

from safetycore import actions, db, ratings
from safetycore.access import AccessDenied, Actor, set_role
from safetycore.ingest import import_file, undo_batch
from safetycore.ingest.observation import Observation, report_observation
from tests.unit.test_ingest_samples import POLISEN

SCREEN = Actor("town hall screen", "admin", read_only=True)
VIEWER = Actor("vera@kommun.se", "viewer")
DAY = dt.date(2026, 11, 18)


def every_write(con, actor: Actor):
    action_id, version = con.execute("SELECT id, version FROM actions LIMIT 1").fetchone()
    draft = actions.ActionDraft(title="Ny belysning", area_group_id="rimbo", owner_org="property")
    yield lambda: actions.create_action(con, actor, draft)
    yield lambda: actions.update_action(con, actor, action_id, version, {"priority": "high"})
    yield lambda: actions.add_note(con, actor, action_id, version, "Följs upp")
    yield lambda: actions.set_status(con, actor, action_id, version, "done")
    yield lambda: actions.reassign(con, actor, action_id, version, owner_org="police")
    yield lambda: actions.close_action(con, actor, action_id, version, "Klart")
    yield lambda: ratings.save_rating(con, actor, "rimbo", "2026-W46", 3, "Lugnt")
    yield lambda: import_file(con, POLISEN, actor, fmt="polisen")
    yield lambda: undo_batch(con, 1, actor)
    yield lambda: report_observation(
        con,
        actor,
        Observation(
            category="graffiti", source="schools", day=DAY, time=dt.time(12), area_id="centrum"
        ),
    )
    yield lambda: set_role(con, actor, "x@kommun.se", "viewer")


@pytest.mark.parametrize("actor", [SCREEN, VIEWER], ids=["read-only screen", "viewer"])
def test_every_write_is_refused(fresh_db, actor):
    con = db.connect(str(fresh_db))
    version_before = db.data_version(con)
    refused = 0
    for write in every_write(con, actor):
        with pytest.raises(AccessDenied):
            write()
        refused += 1
    assert refused == 11
    assert db.data_version(con) == version_before  # nothing was written
    con.close()
