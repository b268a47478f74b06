"""The deterministic demo municipality: real geography, synthetic events.

Everything is drawn from one seeded generator and built vectorised (numpy, then one bulk
insert), so ten million incidents take well under two minutes. The model:

* expected events per day and category = base rate x season x weekday x school holidays
  x a slow trend; background events spread over the areas by population, hotspot events
  concentrated at named places whose strength can be persistent, emerging or fading;
* seasons change gradually (the month shapes are the levels of mid-month, interpolated day
  by day; the archipelago's summer residents arrive over late May and June and leave over
  late August), as they do in the world: a level that jumps on the 1st would put a different
  share of the new season into the same ISO week every year;
* demo actions at some hotspots lower the hotspot's target categories from their start date,
  so the effect view has something real to find;
* sources, time precision and location precision follow what each reporting organisation
  typically sends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from safetycore import clock, db, demo_costs, queries
from safetycore.demo_geo import (
    AREA_GROUPS,
    MUNICIPALITY_CODE,
    MUNICIPALITY_NAME,
    build_demo_areas,
    km_offset,
    localities,
    municipal_border,
)
from safetycore.geo import Area, assign_areas, h3_cells, write_areas
from safetycore.incidents import insert_incidents
from safetycore.taxonomy import CATEGORIES, CATEGORY_BY_CODE, SOURCES, seed_taxonomy

DEFAULT_INCIDENTS = 40_000
DEFAULT_SEED = 7
HOTSPOT_SHARE = 0.3

SRCS = [s.code for s in SOURCES]

BASE_RATE = {
    "assault": 4,
    "robbery": 0.6,
    "threat": 2.5,
    "burglary": 3,
    "theft": 8,
    "shoplifting": 5,
    "vehicle_crime": 4,
    "drug_offence": 3,
    "weapons": 0.6,
    "arson": 0.8,
    "fraud": 2,
    "domestic_violence": 1.5,
    "sexual_offence": 0.7,
    "vandalism": 12,
    "graffiti": 9,
    "littering": 10,
    "disorder": 8,
    "public_intoxication": 5,
    "public_drug_use": 2,
    "youth_unrest": 5,
    "moped_disturbance": 4,
    "unsafe_place": 2,
}
# The demo's own categories, in the catalogue's order (other categories get no synthetic events).
CATS = [c.code for c in CATEGORIES if c.code in BASE_RATE]

# Hour-of-day shapes (24 weights) and the categories that follow each.
HOUR_SHAPES: dict[str, list[float]] = {
    "night": [
        6,
        5,
        4,
        3,
        1,
        0.5,
        0.5,
        0.5,
        0.5,
        0.5,
        0.7,
        1,
        1,
        1,
        1,
        1.2,
        1.5,
        2,
        2.5,
        3,
        4,
        5,
        6,
        6,
    ],
    "evening": [
        2,
        1,
        0.5,
        0.3,
        0.2,
        0.2,
        0.3,
        0.5,
        0.7,
        0.8,
        1,
        1.2,
        1.5,
        2,
        2.5,
        3,
        3.5,
        4,
        5,
        6,
        6,
        5,
        4,
        3,
    ],
    "day": [
        0.3,
        0.2,
        0.2,
        0.2,
        0.2,
        0.3,
        0.6,
        1.2,
        2,
        3,
        4,
        4.5,
        4.5,
        4.5,
        4.5,
        4.5,
        4,
        3.5,
        2.5,
        2,
        1.5,
        1,
        0.6,
        0.4,
    ],
    "flat": [1] * 24,
}
HOUR_SHAPE_OF = {
    "assault": "night",
    "robbery": "evening",
    "threat": "evening",
    "burglary": "day",
    "theft": "day",
    "shoplifting": "day",
    "vehicle_crime": "night",
    "drug_offence": "evening",
    "weapons": "night",
    "arson": "night",
    "fraud": "day",
    "domestic_violence": "evening",
    "sexual_offence": "night",
    "vandalism": "evening",
    "graffiti": "night",
    "littering": "flat",
    "disorder": "night",
    "public_intoxication": "night",
    "public_drug_use": "evening",
    "youth_unrest": "evening",
    "moped_disturbance": "evening",
    "unsafe_place": "evening",
}
# Weekday weights Monday..Sunday.
WEEKDAY_SHAPES: dict[str, list[float]] = {
    "weekend": [0.7, 0.7, 0.8, 0.9, 1.4, 1.9, 1.3],
    "weekday": [1.15, 1.15, 1.1, 1.1, 1.1, 0.75, 0.65],
    "flat": [1] * 7,
}
WEEKDAY_SHAPE_OF = {
    "assault": "weekend",
    "disorder": "weekend",
    "public_intoxication": "weekend",
    "youth_unrest": "weekend",
    "moped_disturbance": "weekend",
    "vandalism": "weekend",
    "graffiti": "weekend",
    "sexual_offence": "weekend",
    "theft": "weekday",
    "shoplifting": "weekday",
    "fraud": "weekday",
    "burglary": "weekday",
}
# Month-of-year weights January..December.
MONTH_SHAPES: dict[str, list[float]] = {
    "summer": [0.7, 0.7, 0.85, 1.0, 1.2, 1.45, 1.6, 1.5, 1.05, 0.95, 0.8, 0.75],
    "dark": [1.25, 1.15, 1.0, 0.9, 0.8, 0.75, 0.8, 0.85, 0.95, 1.1, 1.25, 1.3],
    "flat": [1] * 12,
}
MONTH_SHAPE_OF = {
    "vandalism": "summer",
    "graffiti": "summer",
    "littering": "summer",
    "disorder": "summer",
    "public_intoxication": "summer",
    "youth_unrest": "summer",
    "moped_disturbance": "summer",
    "assault": "summer",
    "burglary": "dark",
    "vehicle_crime": "dark",
    "unsafe_place": "dark",
}
# Categories that rise in school holidays (summer, sport, autumn and Christmas breaks).
HOLIDAY_CATS = {"vandalism", "graffiti", "youth_unrest", "moped_disturbance", "littering"}
HOLIDAY_WEEKS = set(range(25, 33)) | {8, 44, 52, 1}

SOURCE_MIX: dict[str, dict[str, float]] = {
    "assault": {"police": 8, "security_guards": 2, "public_transport": 0.5, "schools": 0.5},
    "robbery": {"police": 9, "security_guards": 1},
    "threat": {"police": 6, "schools": 1.5, "public_transport": 1, "municipal_staff": 1},
    "burglary": {"police": 8, "property": 2},
    "theft": {"police": 7, "security_guards": 1.5, "property": 1},
    "shoplifting": {"police": 4, "security_guards": 6},
    "vehicle_crime": {"police": 9, "property": 1},
    "drug_offence": {"police": 9, "security_guards": 1},
    "weapons": {"police": 10},
    "arson": {"police": 6, "property": 3, "street_park": 1},
    "fraud": {"police": 10},
    "domestic_violence": {"police": 8, "social_services": 2},
    "sexual_offence": {"police": 10},
    "vandalism": {
        "property": 4,
        "schools": 2,
        "public_transport": 1.5,
        "street_park": 2,
        "police": 2,
        "security_guards": 1,
    },
    "graffiti": {
        "property": 4,
        "street_park": 3,
        "schools": 1.5,
        "public_transport": 1.5,
        "municipal_staff": 1,
    },
    "littering": {"street_park": 6, "municipal_staff": 2, "property": 1.5, "schools": 0.5},
    "disorder": {"police": 4, "security_guards": 4, "public_transport": 1, "field_coordinators": 1},
    "public_intoxication": {"police": 5, "security_guards": 4, "field_coordinators": 1},
    "public_drug_use": {
        "field_coordinators": 3,
        "security_guards": 2,
        "social_services": 1,
        "police": 2,
    },
    "youth_unrest": {
        "field_coordinators": 5,
        "security_guards": 2,
        "schools": 1.5,
        "public_transport": 1,
        "police": 1,
    },
    "moped_disturbance": {
        "field_coordinators": 3,
        "police": 2,
        "municipal_staff": 1,
        "street_park": 1,
    },
    "unsafe_place": {"municipal_staff": 3, "field_coordinators": 2, "street_park": 2, "schools": 1},
}
# Per source: share of exact times (else day) and location precision weights.
SOURCE_PRECISION = {
    "police": (0.9, {"street": 0.6, "locality": 0.22, "municipality": 0.18}),
    "security_guards": (1.0, {"exact": 0.7, "street": 0.3}),
    "field_coordinators": (1.0, {"exact": 0.75, "street": 0.25}),
    "schools": (0.6, {"exact": 0.3, "street": 0.7}),
    "social_services": (0.8, {"street": 0.4, "locality": 0.6}),
    "property": (0.55, {"exact": 0.4, "street": 0.6}),
    "public_transport": (0.95, {"exact": 0.8, "street": 0.2}),
    "street_park": (0.5, {"exact": 0.6, "street": 0.4}),
    "municipal_staff": (0.7, {"exact": 0.5, "street": 0.5}),
}
DESCRIPTIONS = {
    "vandalism": ["Krossad ruta", "Sönderslagen belysning", "Skadad bänk och papperskorg"],
    "graffiti": ["Klotter på fasad", "Klotter på busskur", "Taggar på elskåp"],
    "littering": ["Nedskräpning efter helgen", "Dumpade sopsäckar", "Glaskross på gångväg"],
    "disorder": ["Högljutt bråk", "Störande sällskap", "Bråk utanför restaurang"],
    "public_intoxication": ["Kraftigt berusad person", "Berusat sällskap"],
    "public_drug_use": ["Misstänkt droganvändning", "Sprutor hittade"],
    "youth_unrest": ["Större ungdomsgrupp, stökigt", "Ungdomar tände eld i papperskorg"],
    "moped_disturbance": ["Mopedbuskörning på gångväg", "EPA-traktorer kör i centrum"],
    "unsafe_place": ["Mörk gångtunnel", "Trasig belysning gör platsen otrygg"],
}


@dataclass(frozen=True)
class Hotspot:
    name: str
    locality: str  # anchor in the locality table
    east_km: float
    north_km: float
    categories: dict[str, float]
    strength: float
    profile: str = "persistent"  # persistent | emerging | fading | summer
    pivot_days_ago: int = 0  # emerging: when it rises; fading: when it has halved


HOTSPOTS = (
    Hotspot(
        "Norrtälje busstation",
        "Norrtälje",
        0.25,
        -0.2,
        {
            "disorder": 3,
            "public_intoxication": 3,
            "youth_unrest": 2,
            "assault": 1.5,
            "public_drug_use": 1.5,
            "vandalism": 1,
            "threat": 1,
            "littering": 1,
        },
        1.0,
    ),
    Hotspot(
        "Stora torget",
        "Norrtälje",
        0.0,
        0.1,
        {
            "disorder": 2,
            "assault": 1.5,
            "theft": 1.5,
            "shoplifting": 2,
            "littering": 1.5,
            "public_intoxication": 1.5,
        },
        0.8,
    ),
    Hotspot(
        "Solbackaskolan",
        "Norrtälje",
        0.9,
        1.1,
        {"vandalism": 3, "graffiti": 3, "youth_unrest": 2, "littering": 1, "arson": 0.3},
        0.6,
    ),
    Hotspot(
        "Lommarstranden badplats",
        "Norrtälje",
        1.4,
        -1.0,
        {"littering": 3, "disorder": 1.5, "public_intoxication": 1.5},
        0.5,
        "summer",
    ),
    Hotspot(
        "Flygfältets handelsområde",
        "Norrtälje",
        -1.2,
        -1.2,
        {"shoplifting": 3, "theft": 2, "vehicle_crime": 2},
        0.5,
    ),
    Hotspot(
        "Rimbo busstation",
        "Rimbo",
        0.1,
        0.05,
        {"youth_unrest": 2, "moped_disturbance": 2, "vandalism": 1.5, "disorder": 1},
        0.45,
    ),
    Hotspot(
        "Rimbo skatepark",
        "Rimbo",
        -0.3,
        -0.6,
        {"vandalism": 3, "graffiti": 2.5, "youth_unrest": 1.5},
        0.7,
        "emerging",
        240,
    ),
    Hotspot(
        "Hallstavik centrum",
        "Hallstavik",
        0.05,
        0.0,
        {"public_intoxication": 2, "disorder": 1.5, "drug_offence": 1.5, "public_drug_use": 1},
        0.45,
    ),
    Hotspot(
        "Folkets park Hallstavik",
        "Hallstavik",
        -0.6,
        0.5,
        {"youth_unrest": 2, "moped_disturbance": 2, "vandalism": 1},
        0.6,
        "fading",
        500,
    ),
    Hotspot(
        "Älmsta kanalen",
        "Älmsta",
        0.05,
        0.0,
        {"littering": 2.5, "disorder": 1.5, "public_intoxication": 1},
        0.35,
        "summer",
    ),
    Hotspot(
        "Grisslehamns hamn",
        "Grisslehamn",
        0.1,
        0.0,
        {"littering": 2, "vehicle_crime": 1, "theft": 1},
        0.25,
        "summer",
    ),
)


@dataclass(frozen=True)
class DemoAction:
    """A demo action at a hotspot, with the effect it has on the hotspot's events."""

    title: str
    hotspot: str
    categories: tuple[str, ...]
    started_days_ago: int
    effect: float  # multiplier on the hotspot's target categories after the start
    status: str
    owner_org: str
    cost_sek: float
    radius_m: int = 300


DEMO_ACTIONS = (
    DemoAction(
        "Ordningsvakter fredag och lördag kväll vid busstationen",
        "Norrtälje busstation",
        ("disorder", "public_intoxication", "assault"),
        420,
        0.45,
        "in_progress",
        "security_guards",
        480_000,
    ),
    DemoAction(
        "Ny belysning och kameror på Solbackaskolans skolgård",
        "Solbackaskolan",
        ("vandalism", "graffiti"),
        270,
        0.4,
        "done",
        "property",
        350_000,
    ),
    DemoAction(
        "Fältsamordnare i Folkets park helgkvällar",
        "Folkets park Hallstavik",
        ("youth_unrest", "moped_disturbance"),
        560,
        0.6,
        "done",
        "field_coordinators",
        120_000,
    ),
    DemoAction(
        "Klottersanering och trygghetsvandring vid skateparken",
        "Rimbo skatepark",
        ("vandalism", "graffiti"),
        12,
        1.0,
        "open",
        "street_park",
        40_000,
        250,
    ),
)


def _weights(shape: list[float]) -> np.ndarray:
    arr = np.asarray(shape, dtype=float)
    return arr / arr.mean()


def _season(shape: list[float], days: pd.DatetimeIndex) -> np.ndarray:
    """A month shape as a smooth daily curve: each month's weight is its level in mid-month,
    interpolated between months (around the year's end too)."""
    levels = _weights(shape)
    mid_month = (np.arange(12) + 0.5) * 365.25 / 12
    position = days.day_of_year.to_numpy() - 0.5
    return np.interp(
        position,
        np.concatenate([mid_month[-1:] - 365.25, mid_month, mid_month[:1] + 365.25]),
        np.concatenate([levels[-1:], levels, levels[:1]]),
    )


def _summer(days: pd.DatetimeIndex) -> np.ndarray:
    """0 to 1: how far into the summer season a day is (rising from 25 May to 15 June,
    full until 17 August, gone by 7 September)."""
    day = days.day_of_year.to_numpy().astype(float)
    return np.clip((day - 145) / 21, 0, 1) * np.clip((250 - day) / 21, 0, 1)


def _day_weights(days: pd.DatetimeIndex, end: dt.date) -> np.ndarray:
    """Expected relative count per (category, day): shape (categories, days)."""
    weekdays = days.day_of_week.to_numpy()
    weeks = days.isocalendar().week.to_numpy()
    holiday = np.isin(weeks, list(HOLIDAY_WEEKS))
    years_before_end = (pd.Timestamp(end) - days).days.to_numpy() / 365.25
    trend = 1.0 - 0.04 * years_before_end  # a slow rise of about 4 % a year
    out = np.empty((len(CATS), len(days)))
    for i, code in enumerate(CATS):
        w = BASE_RATE[code] * trend
        w = w * _season(MONTH_SHAPES[MONTH_SHAPE_OF.get(code, "flat")], days)
        w = w * _weights(WEEKDAY_SHAPES[WEEKDAY_SHAPE_OF.get(code, "flat")])[weekdays]
        if code in HOLIDAY_CATS:
            w = w * np.where(holiday, 1.5, 1.0)
        out[i] = w
    return out


def _hotspot_strength(h: Hotspot, days_ago: np.ndarray, summer: np.ndarray) -> np.ndarray:
    if h.profile == "emerging":
        return h.strength / (1 + np.exp((days_ago - h.pivot_days_ago) / 25.0))
    if h.profile == "fading":
        return h.strength / (1 + np.exp((h.pivot_days_ago - days_ago) / 90.0))
    if h.profile == "summer":
        return h.strength * (0.3 + 2.7 * summer)
    return np.full(days_ago.shape, h.strength)


def _pool(rng, area: Area, anchor: tuple[float, float] | None, size: int) -> np.ndarray:
    """Candidate locations ("addresses") inside an area: (size, 2) array of lat, lon."""
    geom = area.geometry
    shapely.prepare(geom)
    minx, miny, maxx, maxy = geom.bounds
    found: list[np.ndarray] = []
    have = 0
    while have < size:
        n = size * 4
        if anchor is not None:  # settlements cluster around the locality
            lat = rng.normal(anchor[0], 0.012, n)
            lon = rng.normal(anchor[1], 0.024, n)
            uniform = rng.random(n) < 0.35
            lat[uniform] = rng.uniform(miny, maxy, uniform.sum())
            lon[uniform] = rng.uniform(minx, maxx, uniform.sum())
        else:
            lat = rng.uniform(miny, maxy, n)
            lon = rng.uniform(minx, maxx, n)
        inside = shapely.contains_xy(geom, lon, lat)
        found.append(np.column_stack([lat[inside], lon[inside]]))
        have += int(inside.sum())
    return np.concatenate(found)[:size]


def _choose(rng, options: list[str], weights: dict[str, float], n: int) -> np.ndarray:
    p = np.array([weights.get(o, 0.0) for o in options], dtype=float)
    return rng.choice(len(options), size=n, p=p / p.sum())


def _planned_weights(
    end: dt.date, areas: list[Area]
) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
    """The generator's plan, before anything is drawn: its days, the background's (area,
    category, day) weights and the hotspots' (hotspot, category, day) weights. The draws and
    ``planted_truth`` both read it, so the truth is the plan the events were drawn from."""
    start = demo_costs.demo_start(end)  # three full years before the last day's year
    days = pd.date_range(start, end, freq="D")
    days_ago = (pd.Timestamp(end) - days).days.to_numpy()
    cat_day = _day_weights(days, end)  # (C, D)

    # Background: (area, category, day) cells weighted by population.
    pops = np.array([a.population or 1 for a in areas], dtype=float)
    archipelago = np.array([a.area_group_id == "skargarden" for a in areas])
    summer = _summer(days)
    bg = (pops**0.9)[:, None, None] * cat_day[None, :, :]
    bg[archipelago] *= (0.8 + 1.4 * summer)[None, None, :]  # summer residents

    # Hotspots: (hotspot, category, day) cells with their strength and action effects.
    hs_w = np.zeros((len(HOTSPOTS), len(CATS), len(days)))
    for h_index, h in enumerate(HOTSPOTS):
        strength = _hotspot_strength(h, days_ago, summer)
        for code, affinity in h.categories.items():
            c = CATS.index(code)
            hs_w[h_index, c] = strength * affinity * cat_day[c] / BASE_RATE[code]
        for action in DEMO_ACTIONS:
            if action.hotspot == h.name:
                after = days_ago < action.started_days_ago
                for code in action.categories:
                    hs_w[h_index, CATS.index(code), after] *= action.effect
    return days, bg, hs_w


def generate_incidents(n: int, end: dt.date, seed: int, areas: list[Area]) -> pd.DataFrame:
    """The demo incidents as a DataFrame for the writer (kind, sensitivity and area group are
    derived when written: safetycore/incidents.py)."""
    rng = np.random.default_rng(seed)
    days, bg, hs_w = _planned_weights(end, areas)
    n_hot = int(round(n * HOTSPOT_SHARE))
    bg_counts = rng.multinomial(n - n_hot, (bg / bg.sum()).ravel())
    hs_counts = rng.multinomial(n_hot, (hs_w / hs_w.sum()).ravel())

    bg_cell = np.repeat(np.arange(bg_counts.size), bg_counts)
    hs_cell = np.repeat(np.arange(hs_counts.size), hs_counts)
    bg_area, bg_cat, bg_day = np.unravel_index(bg_cell, bg.shape)
    hs_spot, hs_cat, hs_day = np.unravel_index(hs_cell, hs_w.shape)

    # Locations: background events pick an "address" from their area's pool; hotspot events
    # pick from a tight cluster around the hotspot.
    border = municipal_border()
    places = localities(border)
    town_centres = {
        "Centrum": "Norrtälje",
        "Rimbo centrum": "Rimbo",
        "Hallstavik centrum": "Hallstavik",
    }
    pool_parts, pool_start, pool_size = [], [], []
    offset = 0
    for a in areas:
        size = 1500 if a.population and a.population > 2000 else 500
        anchor = None
        for place_lat, place_lon in places.values():
            if a.geometry.contains(shapely.Point(place_lon, place_lat)):
                anchor = (place_lat, place_lon)
                break
        if a.name in town_centres:
            anchor = places[town_centres[a.name]]
        pts = _pool(rng, a, anchor, size)
        pool_parts.append(pts)
        pool_start.append(offset)
        pool_size.append(len(pts))
        offset += len(pts)
    spot_parts, spot_names = [], []
    for h in HOTSPOTS:
        lat0, lon0 = km_offset(*places[h.locality], h.east_km, h.north_km)
        pts = np.column_stack([rng.normal(lat0, 0.0004, 40), rng.normal(lon0, 0.0008, 40)])
        spot_parts.append(pts)
        spot_names.append(h.name)
    pool = np.concatenate(pool_parts)
    spots = np.concatenate(spot_parts)
    # Everything per event is kept as small integer codes (area index, place index, ...) and
    # turned into categoricals at the end: no Python loop runs per event.
    area_index = {a.id: i for i, a in enumerate(areas)}

    def area_codes(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        return np.array(
            [area_index.get(a, -1) if a else -1 for a in assign_areas(lat, lon, areas)],
            dtype=np.int64,
        )

    pool_area = area_codes(pool[:, 0], pool[:, 1])
    spot_area = area_codes(spots[:, 0], spots[:, 1])
    pool_h3 = h3_cells(pool[:, 0], pool[:, 1])
    spot_h3 = h3_cells(spots[:, 0], spots[:, 1])

    pick_bg = np.asarray(pool_start)[bg_area] + (
        rng.random(bg_area.size) * np.asarray(pool_size)[bg_area]
    ).astype(int)
    pick_hs = hs_spot * 40 + rng.integers(0, 40, hs_spot.size)

    category = np.concatenate([bg_cat, hs_cat])
    day = np.concatenate([bg_day, hs_day])
    lat = np.concatenate([pool[pick_bg, 0], spots[pick_hs, 0]])
    lon = np.concatenate([pool[pick_bg, 1], spots[pick_hs, 1]])
    h3_cell = np.concatenate([pool_h3[pick_bg], spot_h3[pick_hs]])
    area = np.concatenate([pool_area[pick_bg], spot_area[pick_hs]])
    # Place: the area's name for background events, the hotspot's name for hotspot events.
    all_places = [a.name for a in areas] + spot_names + [MUNICIPALITY_NAME]
    place_names = list(dict.fromkeys(all_places))  # a hotspot may share its area's name
    place_code = np.array([place_names.index(p) for p in all_places])
    place = place_code[np.concatenate([bg_area, len(areas) + hs_spot])]
    total = category.size

    source = np.empty(total, dtype=np.int64)
    hour = np.empty(total, dtype=np.int64)
    description_texts = [text for code in CATS for text in DESCRIPTIONS.get(code, [])]
    description = np.full(total, -1, dtype=np.int64)
    for c, code in enumerate(CATS):
        rows = np.flatnonzero(category == c)
        if rows.size == 0:
            continue
        source[rows] = _choose(rng, SRCS, SOURCE_MIX[code], rows.size)
        shape = _weights(HOUR_SHAPES[HOUR_SHAPE_OF[code]])
        hour[rows] = rng.choice(24, size=rows.size, p=shape / shape.sum())
        texts = DESCRIPTIONS.get(code)
        if texts:
            first = description_texts.index(texts[0])
            description[rows] = first + rng.integers(0, len(texts), rows.size)

    # Time and location precision, by source.
    time_levels = ["exact", "day"]
    loc_levels = ["exact", "street", "locality", "municipality"]
    time_precision = np.zeros(total, dtype=np.int64)
    location_precision = np.ones(total, dtype=np.int64)
    for s, code in enumerate(SRCS):
        rows = np.flatnonzero(source == s)
        if rows.size == 0:
            continue
        exact_share, loc_mix = SOURCE_PRECISION[code]
        time_precision[rows[rng.random(rows.size) >= exact_share]] = 1
        location_precision[rows] = _choose(rng, loc_levels, loc_mix, rows.size)

    # Sensitive categories are only ever recorded at locality level.
    sensitive_codes = [CATS.index(c.code) for c in CATEGORIES if c.sensitive and c.code in CATS]
    location_precision[np.isin(category, sensitive_codes)] = 2

    # Coarse locations: the area's centre (locality) or the municipality's (municipality);
    # neither gets an H3 cell, so they can never be drawn as a hotspot.
    centres = [a.geometry.representative_point() for a in areas]
    centre_lat = np.array([p.y for p in centres])
    centre_lon = np.array([p.x for p in centres])
    locality = location_precision == 2
    lat[locality] = centre_lat[area[locality]]
    lon[locality] = centre_lon[area[locality]]
    municipality = location_precision == 3
    centre = border.representative_point()
    lat[municipality], lon[municipality] = centre.y, centre.x
    area[municipality] = -1
    place[municipality] = place_names.index(MUNICIPALITY_NAME)
    h3_cell[locality | municipality] = 0

    minutes = rng.integers(0, 60, total)
    exact = time_precision == 0
    occurred = days.to_numpy()[day] + np.where(exact, hour * 60 + minutes, 0).astype(
        "timedelta64[m]"
    )
    return pd.DataFrame(
        {
            "source": pd.Categorical.from_codes(source, SRCS),
            "category": pd.Categorical.from_codes(category, CATS),
            "occurred_at": occurred,
            "time_precision": pd.Categorical.from_codes(time_precision, time_levels),
            "lat": lat,
            "lon": lon,
            "location_precision": pd.Categorical.from_codes(location_precision, loc_levels),
            "h3_cell": h3_cell,
            "area_id": pd.Categorical.from_codes(area, [a.id for a in areas]),
            "place": pd.Categorical.from_codes(place, place_names),
            "description": pd.Categorical.from_codes(description, description_texts),
        }
    )


def _demo_action_rows(rng, end: dt.date, areas: list[Area]) -> list[dict]:
    """Hotspot actions with real effects, plus everyday tasks in every state."""
    places_by_spot = {}
    border = municipal_border()
    places = localities(border)
    area_lookup = {a.id: a for a in areas}
    for h in HOTSPOTS:
        places_by_spot[h.name] = km_offset(*places[h.locality], h.east_km, h.north_km)
    rows = []
    for action in DEMO_ACTIONS:
        lat, lon = places_by_spot[action.hotspot]
        area_id = assign_areas(np.array([lat]), np.array([lon]), areas)[0]
        started = end - dt.timedelta(days=action.started_days_ago)
        done = action.status == "done"
        rows.append(
            {
                "title": action.title,
                "description": f"Åtgärd vid {action.hotspot}.",
                "area_group_id": area_lookup[area_id].area_group_id,
                "area_id": area_id,
                "target_categories": list(action.categories),
                "owner_org": action.owner_org,
                "assignee": "",
                "status": action.status,
                "priority": "high",
                "origin": "situation_meeting",
                "start_date": started,
                "created_at": dt.datetime.combine(started - dt.timedelta(days=7), dt.time(15, 30)),
                # A running programme is reviewed at a date ahead, not left long overdue.
                "due_date": started + dt.timedelta(days=120)
                if done
                else max(started + dt.timedelta(days=60), end + dt.timedelta(days=40)),
                "done_at": dt.datetime.combine(started + dt.timedelta(days=90), dt.time(10))
                if done
                else None,
                "outcome": "Genomförd enligt plan." if done else "",
                "lat": lat,
                "lon": lon,
                "radius_m": action.radius_m,
                "cost_sek": action.cost_sek,
            }
        )
    everyday = [
        ("Laga trasig belysning på gångvägen", ("unsafe_place",), "street_park"),
        ("Sanera klotter på busskuren", ("graffiti",), "public_transport"),
        ("Extra tömning av papperskorgar helger", ("littering",), "street_park"),
        ("Samtal med föräldrar om ungdomsgruppen", ("youth_unrest",), "field_coordinators"),
        ("Polisens närvaro vid skolan vid skolslut", ("youth_unrest", "threat"), "police"),
        ("Trygghetsvandring med boende", ("unsafe_place",), "municipal_staff"),
        ("Byta krossade rutor i tvättstugan", ("vandalism",), "property"),
        ("Ta bort nedskräpning vid återvinningsstationen", ("littering",), "street_park"),
        ("Kontroll av mopedbuskörning", ("moped_disturbance",), "police"),
        ("Beskära buskage vid gångtunneln", ("unsafe_place",), "street_park"),
    ]
    statuses = ["open", "open", "in_progress", "done", "done", "cancelled"]
    origins = ["situation_meeting", "area_group", "safety_walk", "employee_report"]
    # Open tasks are recent (agreed at one of the last few meetings, due a week to seven weeks
    # later), so about a third have slipped past their date and a few fall due this week;
    # closed ones are spread over the past year. The draws are the same for every status, so
    # the generator's later output (the ratings) does not depend on this mix.
    for i in range(44):
        title, cats, owner = everyday[i % len(everyday)]
        area = areas[int(rng.integers(0, len(areas)))]
        days_ago = int(rng.integers(3, 400))
        status = statuses[int(rng.integers(0, len(statuses)))]
        due_after = int(rng.integers(7, 60))
        if status in ("open", "in_progress"):
            days_ago = 3 + days_ago % 35
            due_after = 7 + due_after % 42
        created = end - dt.timedelta(days=days_ago)
        due = created + dt.timedelta(days=due_after)
        done_at = None
        if status == "done":
            done_at = dt.datetime.combine(
                min(end, created + dt.timedelta(days=int(rng.integers(2, 50)))), dt.time(14)
            )
        rows.append(
            {
                "title": f"{title} ({area.name})",
                "description": "",
                "area_group_id": area.area_group_id,
                "area_id": area.id,
                "target_categories": list(cats),
                "owner_org": owner,
                "assignee": ["", "Anna L.", "Johan S.", "Maria K."][i % 4],
                "status": status,
                "priority": ["normal", "high", "low", "normal"][i % 4],
                "origin": origins[i % len(origins)],
                "start_date": created,
                "created_at": dt.datetime.combine(created, dt.time(15, 45)),
                "due_date": due,
                "done_at": done_at,
                "outcome": "Klart." if status == "done" else "",
                "lat": None,
                "lon": None,
                "radius_m": None,
                "cost_sek": float(rng.integers(1, 40) * 5000) if i % 3 == 0 else None,
            }
        )
    return rows


def _write_actions(cur, rows: list[dict]) -> None:
    for row in rows:
        action_id = db.scalar(queries.execute(cur, "demo_action_insert", **row))
        queries.execute(
            cur, "demo_action_log_created", id=action_id, at=row["created_at"], title=row["title"]
        )
        if row["status"] == "in_progress":
            queries.execute(
                cur,
                "demo_action_log_started",
                id=action_id,
                at=row["created_at"] + dt.timedelta(days=2),
            )
        if row["done_at"] is not None:
            queries.execute(cur, "demo_action_log_done", id=action_id, at=row["done_at"])


def _rating_rows(rng, end: dt.date) -> list[dict]:
    """Weekly ratings for the last 52 complete weeks, as the meeting would have set them."""
    comments = {
        1: "Mycket oroligt, flera allvarliga händelser.",
        2: "Oroligt, särskilt helgkvällar.",
        3: "Som vanligt för säsongen.",
        4: "Lugnt, enstaka händelser.",
        5: "Mycket lugnt.",
    }
    last_monday = end - dt.timedelta(days=end.weekday() + 7)
    rows = []
    for group_id, _, _ in AREA_GROUPS:
        level = 3.0
        for w in range(52, 0, -1):
            monday = last_monday - dt.timedelta(weeks=w - 1)
            level = min(5, max(1, level + rng.normal(0, 0.6) + (3.3 - level) * 0.3))
            rating = int(round(level))
            year, week, _ = monday.isocalendar()
            rows.append(
                {
                    "group": group_id,
                    "week": f"{year}-W{week:02d}",
                    "rating": rating,
                    "comment": comments[rating],
                    "at": dt.datetime.combine(monday + dt.timedelta(days=9), dt.time(16)),
                }
            )
    return rows


def build_demo(
    path: str,
    *,
    incidents: int = DEFAULT_INCIDENTS,
    seed: int = DEFAULT_SEED,
    end: dt.date | None = None,
) -> dict:
    """Create the demo database at ``path`` (which must not exist). Returns a summary."""
    end = end or clock.today()  # the demo municipality's zone (Europe/Stockholm)
    areas = build_demo_areas()
    frame = demo_costs.add_consequences(generate_incidents(incidents, end, seed, areas), seed)
    rng = np.random.default_rng(seed + 1)
    con = db.connect(path)
    try:
        with db.transaction(con) as cur:
            seed_taxonomy(cur)
            write_areas(cur, areas)
            for key, value in {
                "municipality": MUNICIPALITY_NAME,
                "municipality_code": MUNICIPALITY_CODE,
                "timezone": "Europe/Stockholm",
                "demo": "true",
                "demo_end": end.isoformat(),
                "demo_seed": str(seed),
            }.items():
                db.meta_set(cur, key, value)
            cur.register("demo_frame", frame)
            queries.execute(cur, "demo_incidents_rows")
            # Written in time order by the one writer, so DuckDB's zone maps skip whole row
            # groups for a period filter.
            insert_incidents(cur)
            cur.unregister("demo_frame")
            _write_actions(cur, _demo_action_rows(rng, end, areas))
            for row in _rating_rows(rng, end):
                queries.execute(cur, "demo_rating_insert", **row)
        queries.execute(con, "demo_checkpoint")
    finally:
        con.close()
    return {"incidents": len(frame), "areas": len(areas), "end": end.isoformat(), "seed": seed}


# --- The demo's known truth, for measuring the signals (benchmarks/signals.py) -------------------


def _mappable_share(code: str) -> float:
    """The share of a category's events that get an exact or street location (drawable)."""
    mix = SOURCE_MIX[code]
    total = sum(mix.values())
    share = 0.0
    for source, weight in mix.items():
        _, loc = SOURCE_PRECISION[source]
        share += weight / total * (loc.get("exact", 0) + loc.get("street", 0)) / sum(loc.values())
    return 0.0 if CATEGORY_BY_CODE[code].sensitive else share


def _hotspot_anchors(areas: list[Area]) -> list[tuple[float, float, str | None]]:
    """Each hotspot's anchor (lat, lon) and the area group it lies in (None: outside them)."""
    places = localities(municipal_border())
    anchors = []
    for h in HOTSPOTS:
        lat, lon = km_offset(*places[h.locality], h.east_km, h.north_km)
        group = next(
            (a.area_group_id for a in areas if a.geometry.contains(shapely.Point(lon, lat))), None
        )
        anchors.append((lat, lon, group))
    return anchors


def planted_truth(n: int, end: dt.date, areas: list[Area] | None = None) -> dict:
    """The generator's own expectations, without drawing anything: per hotspot its anchor, area
    group and true weekly mean of drawable events (weeks by Monday), and the planted changes
    (emerging and fading hotspots, the actions and their true effects). Deterministic: the
    multinomial draws have these means whatever the seed."""
    areas = areas or build_demo_areas()
    days, _, hs_w = _planned_weights(end, areas)
    start = days[0].date()
    n_hot = int(round(n * HOTSPOT_SHARE))
    hot_mean = n_hot * hs_w / hs_w.sum()
    share = np.array([_mappable_share(c) for c in CATS])
    mondays = days - pd.to_timedelta(days.day_of_week, unit="D")
    spots = []
    for h_index, (h, (lat, lon, group)) in enumerate(
        zip(HOTSPOTS, _hotspot_anchors(areas), strict=True)
    ):
        daily = (hot_mean[h_index] * share[:, None]).sum(axis=0)
        weekly = pd.Series(daily, index=mondays).groupby(level=0).sum()
        spots.append(
            {
                "name": h.name,
                "lat": lat,
                "lon": lon,
                "area_group": group,
                "profile": h.profile,
                "pivot_days_ago": h.pivot_days_ago,
                "categories": tuple(h.categories),
                "weekly": weekly,
            }
        )
    actions = [
        {
            "title": a.title,
            "hotspot": a.hotspot,
            "categories": a.categories,
            "start": end - dt.timedelta(days=a.started_days_ago),
            "effect": a.effect,
        }
        for a in DEMO_ACTIONS
    ]
    return {
        "hotspots": spots,
        "actions": actions,
        "start": start,
        "end": end,
        "background_events": n - n_hot,
        "hotspot_events": n_hot,
    }


def figure_truth(
    n: int, end: dt.date, areas: list[Area] | None = None, *, years: int = 5, window: int = 3
) -> dict:
    """The true weekly mean of every figure the Lägesbild judges, and how much of it the planted
    changes account for.

    Figures are (area group or None for the municipality, "total" | kind | category). For each:
    ``mean`` (all events, weeks by Monday) and ``planted``: the hotspots' contribution this
    week minus their contribution in the same weeks (±``window``) of up to ``years`` earlier
    years. The background's seasons, school holidays and trend recur every year and are the
    usual; an emerging or fading hotspot and an action's effect are not, until the earlier years
    hold them too. Returns {"weeks": Mondays, "mean": {figure: array}, "planted": {...}}."""
    areas = areas or build_demo_areas()
    days, bg, hs_w = _planned_weights(end, areas)
    n_hot = int(round(n * HOTSPOT_SHARE))
    bg_mean = (n - n_hot) * bg / bg.sum()
    hot_mean = n_hot * hs_w / hs_w.sum()
    mondays = days - pd.to_timedelta(days.day_of_week, unit="D")
    weeks, week_of_day = np.unique(mondays.to_numpy(), return_inverse=True)

    def weekly(values: np.ndarray) -> np.ndarray:  # (..., days) -> (..., weeks)
        out = np.zeros((*values.shape[:-1], len(weeks)))
        np.add.at(out.T, week_of_day, values.T)
        return out

    groups = sorted({a.area_group_id for a in areas if a.area_group_id})
    area_group = np.array([groups.index(a.area_group_id) for a in areas])
    bg_weekly = weekly(np.stack([bg_mean[area_group == g].sum(axis=0) for g in range(len(groups))]))
    hot_group = [
        groups.index(group) if group in groups else -1 for _, _, group in _hotspot_anchors(areas)
    ]
    hot_weekly = weekly(hot_mean)  # (H, C, W)
    # The hotspots' level in the same weeks of earlier years (what a seasonal baseline sees).
    earlier = np.zeros_like(hot_weekly)
    seen = np.zeros(len(weeks))
    for k in range(1, years + 1):
        for j in range(-window, window + 1):
            shift = 52 * k - j
            if shift >= len(weeks) or shift <= 0:
                continue
            earlier[..., shift:] += hot_weekly[..., :-shift]
            seen[shift:] += 1
    baseline = np.divide(earlier, seen, out=np.zeros_like(earlier), where=seen > 0)
    planted = np.where(seen > 0, hot_weekly - baseline, 0.0)  # (H, C, W)

    kind_of = np.array([CATEGORY_BY_CODE[c].kind for c in CATS])
    keys: dict[str, np.ndarray] = {"total": np.ones(len(CATS), bool)}
    for kind in ("incident", "qol"):
        keys[kind] = kind_of == kind
    for i, code in enumerate(CATS):
        keys[code] = np.arange(len(CATS)) == i
    mean: dict[tuple[str | None, str], np.ndarray] = {}
    moved: dict[tuple[str | None, str], np.ndarray] = {}
    hot_group_a = np.array(hot_group)
    for g in (None, *range(len(groups))):
        in_bg = slice(None) if g is None else [g]
        in_hot = np.ones(len(HOTSPOTS), bool) if g is None else hot_group_a == g
        for key, cats in keys.items():
            figure = (None if g is None else groups[g], key)
            mean[figure] = bg_weekly[in_bg][:, cats].sum(axis=(0, 1)) + hot_weekly[in_hot][
                :, cats
            ].sum(axis=(0, 1))
            moved[figure] = planted[in_hot][:, cats].sum(axis=(0, 1))
    return {"weeks": pd.DatetimeIndex(weeks), "mean": mean, "planted": moved}
