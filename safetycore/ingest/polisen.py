"""The Swedish police's open events API (polisen.se/api/events): a JSON list of events.

Two forms: until early 2026 ``location.name`` names the municipality; since then it names only
the county ("Stockholms län") and the municipality is the last part of ``name``. The event
time is in ``name`` ("21 mars 08:51, Trafikolycka, Norrtälje"; later "21 mars 08.51") without
a year: the year comes from ``datetime`` (the publication time), across New Year too.
``location.gps`` is only the municipality's (or county's) centre. Where the title, the
location name or the summary names one of the municipality's areas (or an alias) or one of
its bundled localities ("På Södermalm ...", "i Rimbo"), the event is placed there: that area,
at the area's centre or the locality's point, with location precision 'locality'
(safetycore.places). The others stay at the municipality's centre with precision
'municipality'. Either way they are counted, never drawn as a hotspot.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from safetycore import places
from safetycore.errors import UsageError
from safetycore.ingest.common import (
    RAW_MAX_CHARS,
    Context,
    Parsed,
    empty_candidates,
    read_json_records,
)
from safetycore.taxonomy import type_map

EXPECTED = (
    "the JSON of the police's events API (a list of events with id, datetime, name, type, location)"
)
DEFAULT_SOURCE = "police"

MONTHS = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
_EVENT_TIME = re.compile(r"^\s*(\d{1,2})\s+([a-zåäö]+)\s+(\d{1,2})[:.](\d{2})\b", re.IGNORECASE)
_PUBLISHED = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")

# Police event types -> our categories: data/taxonomy/polisen.toml (and a municipality's
# data/taxonomy.local/polisen.toml). Types that are not incidents are skipped with that reason;
# a type in neither list goes to "other incident" (listed on the Data page), never dropped.
TYPE_MAP_NAME = "polisen"


def event_time(name: str, published: str) -> dt.datetime | None:
    """The event's local time from ``name``, its year inferred from the publication time."""
    m = _EVENT_TIME.match(name or "")
    p = _PUBLISHED.match(published or "")
    if not m or not p:
        return None
    day, month_name, hour, minute = m.groups()
    month = MONTHS.get(month_name.lower())
    if month is None or int(hour) > 23 or int(minute) > 59:
        return None
    pub_date = dt.date(int(p.group(1)), int(p.group(2)), int(p.group(3)))
    # An event is published after it happened (allow one day of clock differences): one in
    # December published in January belongs to the previous year.
    for year in (pub_date.year, pub_date.year - 1):
        try:
            day_value = dt.date(year, month, int(day))
        except ValueError:
            continue
        if day_value <= pub_date + dt.timedelta(days=1):
            return dt.datetime.combine(day_value, dt.time(int(hour), int(minute)))
    return None


def municipality_of(event: dict) -> str:
    location = (event.get("location") or {}).get("name") or ""
    if location.strip().lower().endswith(" län") or not location.strip():
        parts = [p.strip() for p in (event.get("name") or "").split(",")]
        return parts[-1] if len(parts) >= 3 else location.strip()
    return location.strip()


def load_events(path: Path) -> list[dict]:
    data = read_json_records(path, EXPECTED, "events", "events")
    needed = {"id", "datetime", "name", "type", "location"}
    wrong = [i for i, e in enumerate(data, start=1) if not needed <= e.keys()]
    if wrong:
        raise UsageError(
            f"{path.name}: event {wrong[0]} (and {len(wrong) - 1} more) lacks some of "
            f"{', '.join(sorted(needed))}; expected {EXPECTED}."
        )
    return data


def is_polisen(data) -> bool:
    return (
        isinstance(data, list)
        and bool(data)
        and isinstance(data[0], dict)
        and {"id", "datetime", "name", "type", "location"} <= data[0].keys()
    )


def title_place(name: str, kind: str) -> str:
    """What the title says besides the time and the type: '20 mars 10:42, Rån, Stockholm' ->
    'Stockholm'."""
    rest = name or ""
    m = _EVENT_TIME.match(rest)
    if m:
        rest = rest[m.end() :]
    rest = rest.strip().lstrip(",").strip()
    if kind and rest.casefold().startswith(kind.casefold()):
        rest = rest[len(kind) :]
    return rest.strip().lstrip(",").strip()


def parse(path: Path, ctx: Context, source: str) -> Parsed:
    events = load_events(path)
    n = len(events)
    f = empty_candidates(n)
    home = ctx.municipality.casefold()
    types = type_map(TYPE_MAP_NAME)
    gazetteer = places.gazetteer(ctx.areas, ctx.area_centres, ctx.municipality)
    # one list per output column; None where an event has no value (outcome: still undecided)
    columns: list[list] = [[] for _ in range(12)]
    refs, cats, raws, times, places_, descs, outcome, reason = columns[:8]
    lats, lons, precisions, area_ids = columns[8:]
    for e in events:
        kind = str(e.get("type") or "").strip()
        muni = municipality_of(e)
        name = str(e.get("name") or "")
        refs.append(str(e["id"]))
        raws.append(kind)
        cats.append(types.category(kind) if kind else None)
        times.append(event_time(name, str(e.get("datetime") or "")))
        descs.append(e.get("summary"))
        inside = muni.casefold() == home
        found = None
        if inside:
            location = str((e.get("location") or {}).get("name") or "")
            found = gazetteer.find(title_place(name, kind), location, str(e.get("summary") or ""))
        if found is not None:
            places_.append(found.name)
            precisions.append("locality")
            if found.how == places.AREA:  # placed at the area's centre by settle
                area_ids.append(found.area_id)
                lats.append(np.nan)
                lons.append(np.nan)
            else:  # at the locality's point, which lies in the area
                area_ids.append(None)
                lats.append(found.lat)
                lons.append(found.lon)
        else:
            places_.append(ctx.municipality if inside else muni)
            precisions.append("municipality")
            area_ids.append(None)
            lat, lon = ctx.centre if ctx.centre is not None else (np.nan, np.nan)
            lats.append(lat)
            lons.append(lon)
        if not inside:
            outcome.append("skipped")
            reason.append(f"outside_municipality: {muni}")
        else:
            outcome.append(None)
            reason.append(None)
    f["source_ref"] = pd.Series(refs, dtype=object)
    f["category"] = pd.Series(cats, dtype=object)
    f["category_raw"] = pd.Series(raws, dtype=object)
    f["occurred_at"] = pd.to_datetime(pd.Series(times, dtype=object)).astype("datetime64[us]")
    f["place"] = pd.Series(places_, dtype=object)
    f["description"] = pd.Series(descs, dtype=object)
    f["outcome"] = pd.Series(outcome, dtype=object)
    f["reason"] = pd.Series(reason, dtype=object)
    f["location_precision"] = pd.Series(precisions, dtype=object)
    f["area_id"] = pd.Series(area_ids, dtype=object)
    f["lat"] = np.asarray(lats, dtype=float)
    f["lon"] = np.asarray(lons, dtype=float)

    def raw(positions: np.ndarray) -> list[str]:
        return [json.dumps(events[i], ensure_ascii=False)[:RAW_MAX_CHARS] for i in positions]

    return Parsed(frame=f, raw=raw, format="polisen", source=source)
