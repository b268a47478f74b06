"""Händelser's views over a private demo: the list to choose from, and one event with the
organisations taking part, released and still to invite, its counts, tasks and log."""

from __future__ import annotations

import pytest

from safetycore import db, events, queries
from safetycore.access import Actor
from safetycore.actions import owner_orgs
from safetycore.events_view import event_list, event_page

CORA = Actor("cora@kommun.se", "coordinator")


def runner(con):
    return lambda name, flt=None, **extra: queries.run(con, name, flt, **extra)


@pytest.fixture()
def con(fresh_db):
    con = db.connect(str(fresh_db))
    yield con
    con.close()


def test_no_events_is_an_empty_list_with_the_area_groups(con):
    now = events.clock.now_for(con).replace(tzinfo=None, second=0, microsecond=0)
    listing = event_list(runner(con), now)
    assert listing.empty and not listing.any_open and listing.ids == ()
    groups = queries.run(con, "area_groups")
    assert list(listing.group_names) == list(groups["id"])


def test_one_event_splits_its_organisations_and_counts_its_tasks(con):
    now = events.clock.now_for(con).replace(tzinfo=None, second=0, microsecond=0)
    event_id = events.open_event(
        con,
        CORA,
        title="Brand i skolan",
        place="Rimbo skola",
        area_group_id="rimbo",
        occurred_at=now,
        organisations=["schools", "police"],
        now=now,
    )
    events.delegate_task(con, CORA, event_id, title="Vakt", owner_org="police", hours=6, now=now)
    events.release(con, CORA, event_id, "schools", now=now)
    listing = event_list(runner(con), now)
    assert listing.ids == (event_id,) and listing.any_open and not listing.empty
    assert listing.row(event_id)["title"] == "Brand i skolan"

    orgs = tuple(owner_orgs(con))
    view = event_page(runner(con), event_id, now, orgs)
    assert view.event["title"] == "Brand i skolan" and view.is_open
    assert view.active == ("police",)
    assert list(view.released["organisation"]) == ["schools"]
    assert view.outside == tuple(o for o in orgs if o != "police")
    assert "schools" in view.outside  # a released organisation may be invited again
    assert view.open_tasks == 1 and list(view.tasks["title"]) == ["Vakt"]
    assert view.organisations == int(listing.row(event_id)["organisations"])
    assert list(view.log["entry"])[0] == "opened"

    events.close_event(con, CORA, event_id, "Klart.", now=now)
    assert not event_page(runner(con), event_id, now, orgs).is_open


def test_an_unknown_event_is_refused(con):
    now = events.clock.now_for(con).replace(tzinfo=None, second=0, microsecond=0)
    with pytest.raises(events.EventError):
        event_page(runner(con), 999_999, now, ())
