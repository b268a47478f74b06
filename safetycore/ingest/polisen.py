"""The Swedish police's open events API (polisen.se/api/events): a JSON list of events.

Two forms: until early 2026 ``location.name`` names the municipality; since then it names only
the county ("Stockholms län") and the municipality is the last part of ``name``. The event
time is in ``name`` ("21 mars 08:51, Trafikolycka, Norrtälje"; later "21 mars 08.51") without
a year: the year comes from ``datetime`` (the publication time), across New Year too.
``location.gps`` is only the municipality's (or county's) centre, so events are stored with
location precision 'municipality': counted, never drawn as a hotspot.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from safetycore.errors import UsageError
from safetycore.ingest.common import (
    RAW_MAX_CHARS,
    SKIP,
    Context,
    Parsed,
    empty_candidates,
    norm_key,
    read_json_records,
)

EXPECTED = "the JSON of the police's events API (a list of events with id, datetime, name, type, location)"
DEFAULT_SOURCE = "police"

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
_EVENT_TIME = re.compile(r"^\s*(\d{1,2})\s+([a-zåäö]+)\s+(\d{1,2})[:.](\d{2})\b", re.IGNORECASE)
_PUBLISHED = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")

# Police event types -> our categories. Types that are not incidents are skipped with that
# reason; a type in neither list is rejected as an unknown category (add it here).
TYPE_CATEGORIES = {
    "Misshandel": "assault", "Misshandel, grov": "assault", "Mord/dråp": "assault",
    "Mord/dråp, försök": "assault", "Vållande till kroppsskada": "assault",
    "Rån": "robbery", "Rån, försök": "robbery", "Rån övrigt": "robbery", "Rån väpnat": "robbery",
    "Rån, väpnat": "robbery",
    "Olaga hot": "threat", "Våld/hot mot tjänsteman": "threat", "Bombhot": "threat",
    "Olaga frihetsberövande/människorov": "threat", "Hets mot folkgrupp": "threat",
    "Stöld/inbrott": "burglary", "Inbrott": "burglary", "Inbrott, försök": "burglary",
    "Larm Inbrott": "burglary", "Hemfridsbrott": "burglary",
    "Stöld": "theft", "Stöld, försök": "theft", "Häleri": "theft",
    "Motorfordon, stöld": "vehicle_crime", "Motorfordon, anträffat stulet": "vehicle_crime",
    "Narkotikabrott": "drug_offence",
    "Vapenlagen": "weapons", "Knivlagen": "weapons", "Skottlossning": "weapons",
    "Skottlossning, misstänkt": "weapons", "Explosion": "weapons", "Detonation": "weapons",
    "Mordbrand": "arson",
    "Bedrägeri": "fraud", "Åldringsbrott": "fraud", "Ekobrott": "fraud",
    "Missbruk av urkund": "fraud",
    "Våldtäkt": "sexual_offence", "Våldtäkt, försök": "sexual_offence",
    "Sexualbrott": "sexual_offence", "Sedlighetsbrott": "sexual_offence",
    "Skadegörelse": "vandalism", "Sabotage mot blåljusverksamhet": "vandalism",
    "Ofredande/förargelse": "disorder", "Bråk": "disorder", "Ordningslagen": "disorder",
    "Olaga intrång": "disorder", "Smällar": "disorder",
    "Fylleri/LOB": "public_intoxication", "Fylleri": "public_intoxication",
    "Alkohollagen": "public_intoxication",
}
NOT_INCIDENTS = {
    "Trafikolycka", "Trafikolycka, personskada", "Trafikolycka, singel", "Trafikolycka, vilt",
    "Trafikolycka, smitning från", "Trafikbrott", "Rattfylleri", "Olovlig körning",
    "Trafikkontroll", "Trafikhinder", "Kontroll person/fordon", "Kontroll", "Brand",
    "Brand automatlarm", "Räddningsinsats", "Arbetsplatsolycka", "Djur", "Anträffad död",
    "Anträffat gods", "Efterlyst person", "Försvunnen person", "Sjukdom/olycksfall",
    "Polisinsats/kommendering", "Farligt föremål, misstänkt", "Larm Överfall", "Övrigt",
    "Information", "Sammanfattning natt", "Sammanfattning dag", "Sammanfattning dygn",
    "Sammanfattning kväll och natt", "Sammanfattning helg", "Sammanfattning vecka",
    "Fjällräddning", "Varningslarm/haveri", "Luftfartslagen", "Sjölagen", "Utlänningslagen",
    "Skyddslagen", "Miljöbrott", "Naturkatastrof", "Spridning smittsamma kemikalier",
    "Tillfälligt obemannat", "Uppdatering",
}
_TYPE_MAP = {norm_key(k): v for k, v in TYPE_CATEGORIES.items()}
_TYPE_MAP.update({norm_key(k): SKIP for k in NOT_INCIDENTS})


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
            f"{', '.join(sorted(needed))}; expected {EXPECTED}.")
    return data


def is_polisen(data) -> bool:
    return (isinstance(data, list) and bool(data) and isinstance(data[0], dict)
            and {"id", "datetime", "name", "type", "location"} <= data[0].keys())


def parse(path: Path, ctx: Context, source: str) -> Parsed:
    events = load_events(path)
    n = len(events)
    f = empty_candidates(n)
    home = ctx.municipality.casefold()
    refs, cats, raws, times, places, descs, outcome, reason = ([] for _ in range(8))
    for e in events:
        kind = str(e.get("type") or "").strip()
        muni = municipality_of(e)
        refs.append(str(e["id"]))
        raws.append(kind)
        cats.append(_TYPE_MAP.get(norm_key(kind)))
        times.append(event_time(str(e.get("name") or ""), str(e.get("datetime") or "")))
        places.append(ctx.municipality if muni.casefold() == home else muni)
        descs.append(e.get("summary"))
        if muni.casefold() != home:
            outcome.append("skipped")
            reason.append(f"outside_municipality: {muni}")
        else:
            outcome.append(None)
            reason.append(None)
    f["source_ref"] = pd.Series(refs, dtype=object)
    f["category"] = pd.Series(cats, dtype=object)
    f["category_raw"] = pd.Series(raws, dtype=object)
    f["occurred_at"] = pd.to_datetime(pd.Series(times, dtype=object)).astype("datetime64[us]")
    f["place"] = pd.Series(places, dtype=object)
    f["description"] = pd.Series(descs, dtype=object)
    f["outcome"] = pd.Series(outcome, dtype=object)
    f["reason"] = pd.Series(reason, dtype=object)
    f["location_precision"] = "municipality"
    if ctx.centre is not None:
        f["lat"], f["lon"] = ctx.centre

    def raw(positions: np.ndarray) -> list[str]:
        return [json.dumps(events[i], ensure_ascii=False)[:RAW_MAX_CHARS] for i in positions]

    return Parsed(frame=f, raw=raw, format="polisen", source=source)
