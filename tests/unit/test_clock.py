"""Times in the municipality's zone (meta.timezone), whatever the server's clock says."""

import datetime as dt
import time

import pytest

from safetycore import clock, db
from safetycore.__main__ import main
from safetycore.access import Actor
from safetycore.ingest.common import context_for
from safetycore.ingest.observation import Observation, report_observation

REPORTER = Actor("Rektor", role="reporter")


@pytest.fixture()
def utc_server(monkeypatch):
    """The process runs with TZ=UTC, as many servers do."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture()
def norrtalje(tmp_path):
    path = str(tmp_path / "n.duckdb")
    assert main(["init", "--municipality", "0188", "--db", path]) == 0
    con = db.connect(path)
    yield con
    con.close()


def test_just_after_midnight_swedish_time_is_not_the_future(utc_server, norrtalje, monkeypatch):
    # 22:30 UTC on 14 June is 00:30 on 15 June in Stockholm (summer time, UTC+2); the server's
    # own wall clock (TZ=UTC) still says the 14th.
    instant = dt.datetime(2026, 6, 14, 22, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "utc_now", lambda: instant)
    assert dt.datetime.fromtimestamp(instant.timestamp()).date() == dt.date(2026, 6, 14)
    assert clock.now_for(norrtalje) == dt.datetime(2026, 6, 15, 0, 30)
    saved = report_observation(
        norrtalje,
        REPORTER,
        Observation(
            category="disorder",
            source="schools",
            day=dt.date(2026, 6, 15),
            time=dt.time(0, 20),
            area_id="norrtalje",
        ),
    )
    stored = norrtalje.execute(
        "SELECT occurred_at FROM incidents WHERE id = $id", {"id": saved.id}
    ).fetchone()[0]
    assert stored == dt.datetime(2026, 6, 15, 0, 20)
    # Imports compare with the same clock: the 'future' limit is Swedish time, not UTC.
    assert context_for(norrtalje).now == dt.datetime(2026, 6, 15, 0, 30)
    # Winter: 23:10 UTC on 31 December is already New Year in Stockholm (UTC+1).
    monkeypatch.setattr(clock, "utc_now", lambda: dt.datetime(2026, 12, 31, 23, 10, tzinfo=dt.UTC))
    assert clock.today_for(norrtalje) == dt.date(2027, 1, 1)


def test_real_clock_on_a_utc_server(utc_server, norrtalje):
    # Stockholm is one or two hours ahead of UTC at any time of year: an observation made at
    # this minute in Stockholm lies 45+ minutes ahead of the server's wall clock, which the
    # 15-minute tolerance against a UTC clock would refuse as "in the future".
    local = clock.now_for(norrtalje)
    assert local - dt.datetime.now() >= dt.timedelta(minutes=59)
    saved = report_observation(
        norrtalje,
        REPORTER,
        Observation(
            category="vandalism",
            source="schools",
            day=local.date(),
            time=local.time().replace(second=0),
            area_id="norrtalje",
        ),
    )
    assert saved.occurred_at == local.replace(second=0)


def test_the_zone_comes_from_the_database(norrtalje, monkeypatch):
    monkeypatch.setattr(clock, "utc_now", lambda: dt.datetime(2026, 6, 14, 22, 30, tzinfo=dt.UTC))
    norrtalje.execute("UPDATE meta SET value = 'America/New_York' WHERE key = 'timezone'")
    assert clock.now_for(norrtalje) == dt.datetime(2026, 6, 14, 18, 30)
    assert clock.zone_of(None) == clock.DEFAULT_ZONE
