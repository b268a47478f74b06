"""'Now' in the municipality's zone (``meta.timezone``), whatever the server's clock says.

Times are stored as wall-clock time in the municipality's zone, so every "now" and "today"
the program compares them with comes from here: a server set to UTC must not call an
observation made at 00:30 Swedish time "in the future". ``utc_now`` is the one place the
real clock is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from safetycore import db, queries

DEFAULT_ZONE = "Europe/Stockholm"


def utc_now() -> dt.datetime:
    """The current instant (aware, UTC)."""
    return dt.datetime.now(dt.UTC)


@lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def zone_of(con) -> str:
    """The municipality's zone as the database says (``meta.timezone``), else the default."""
    if con is None:
        return DEFAULT_ZONE
    cur = con.cursor()
    try:
        row = queries.execute(cur, "clock_timezone").fetchone()
    except Exception:  # a database without meta yet (being built)
        row = None
    finally:
        cur.close()
    return (row[0] if row and row[0] else None) or DEFAULT_ZONE


def now(zone: str | None = None) -> dt.datetime:
    """Local wall-clock time in ``zone`` (naive, seconds precision), as times are stored."""
    local = utc_now().astimezone(_zone(zone or DEFAULT_ZONE))
    return local.replace(tzinfo=None, microsecond=0)


def today(zone: str | None = None) -> dt.date:
    """Today's date in ``zone``."""
    return now(zone).date()


def from_epoch(epoch: float, zone: str | None = None) -> dt.datetime:
    """An instant (epoch seconds) as local wall-clock time in ``zone`` (naive, seconds)."""
    local = dt.datetime.fromtimestamp(epoch, dt.UTC).astimezone(_zone(zone or DEFAULT_ZONE))
    return local.replace(tzinfo=None, microsecond=0)


def now_for(con) -> dt.datetime:
    """Now in the zone of the municipality whose database ``con`` is."""
    return now(zone_of(con))


def today_for(con) -> dt.date:
    return now_for(con).date()


def reference_day(meta: Mapping[str, str | None]) -> dt.date:
    """'Today' for a database with these meta values: the demo's last day for demo data, else
    the real date in its time zone (the default zone when it names none)."""
    demo_end = meta.get("demo_end")
    if meta.get("demo") == "true" and demo_end:
        return dt.date.fromisoformat(demo_end)
    return today(meta.get("timezone"))


def reference_date(con) -> dt.date:
    """``reference_day`` for the database ``con`` (the dashboard reads the same from its cached
    copy of the meta table, ``ui.cache.reference_date``)."""
    return reference_day(
        {
            "demo": db.meta_get(con, "demo"),
            "demo_end": db.meta_get(con, "demo_end"),
            "timezone": zone_of(con),
        }
    )
