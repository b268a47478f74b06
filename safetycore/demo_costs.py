"""The demo's costs and involved groups, and its span: what the yearly situation picture needs.

* The demo starts on 1 January three years before its last day's year, so the yearly picture
  of the current year has the two years before it complete, and the last complete year has
  three (2023, 2024, 2025 before 2026).
* The property department's and street and park's reports of damage carry a repair or
  cleaning cost (log-normal per category, some work orders without an amount, as in real
  registers); a few other organisations' damage reports do too.
* Observations (every source but the police, whose events say nothing of who was involved)
  carry the group involved, drawn per category (youth unrest is young people, public
  intoxication mostly adults ...), and for a known group about how many people.

Drawn from a generator of its own, so the events themselves stay what they were.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from safetycore.involvement import INVOLVED

YEARS_BEFORE = 3
# Median repair or cleaning cost (kronor) and the spread (sigma of the log) per category.
COST_MEDIAN = {
    "vandalism": (5_500, 0.9),
    "graffiti": (3_200, 0.7),
    "arson": (14_000, 1.1),
    "littering": (1_100, 0.6),
    "burglary": (8_500, 0.8),
    "theft": (4_000, 0.9),
    "unsafe_place": (2_500, 0.8),
    "vehicle_crime": (6_000, 0.8),
}
COST_SOURCES = {"property": 0.85, "street_park": 0.8, "public_transport": 0.35, "schools": 0.2}
# Share of youth, adults, mixed, unknown per category (the rest of the categories: DEFAULT).
INVOLVED_MIX = {
    "youth_unrest": (0.82, 0.02, 0.12, 0.04),
    "moped_disturbance": (0.85, 0.03, 0.04, 0.08),
    "vandalism": (0.5, 0.1, 0.1, 0.3),
    "graffiti": (0.55, 0.08, 0.07, 0.3),
    "arson": (0.45, 0.1, 0.05, 0.4),
    "littering": (0.25, 0.25, 0.2, 0.3),
    "disorder": (0.3, 0.35, 0.25, 0.1),
    "public_intoxication": (0.12, 0.75, 0.1, 0.03),
    "public_drug_use": (0.25, 0.6, 0.1, 0.05),
    "assault": (0.3, 0.5, 0.1, 0.1),
    "threat": (0.35, 0.45, 0.05, 0.15),
    "shoplifting": (0.35, 0.5, 0.05, 0.1),
}
DEFAULT_MIX = (0.2, 0.4, 0.1, 0.3)
# About how many people: (smallest, largest) per group; youth unrest comes in bigger groups.
PEOPLE_RANGE = {"youth": (1, 6), "adults": (1, 4), "mixed": (3, 10)}
BIG_GROUPS = {"youth_unrest": (4, 20), "disorder": (2, 10)}


def demo_start(end: dt.date) -> dt.date:
    """The demo's first day: 1 January, three years before the last day's year."""
    return dt.date(end.year - YEARS_BEFORE, 1, 1)


def add_consequences(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """``frame`` (the demo's events) with ``cost_sek``, ``involved`` and ``people``."""
    rng = np.random.default_rng([seed, 2023_196])
    n = len(frame)
    # Categorical codes, not strings: ten million events stay a few numpy passes.
    cat_codes = {c: i for i, c in enumerate(frame["category"].cat.categories)}
    src_codes = {c: i for i, c in enumerate(frame["source"].cat.categories)}
    category = frame["category"].cat.codes.to_numpy()
    source = frame["source"].cat.codes.to_numpy()

    cost = np.full(n, np.nan)
    has_cost = np.zeros(n, dtype=bool)
    for src, share in COST_SOURCES.items():
        rows = source == src_codes.get(src, -1)
        has_cost |= rows & (rng.random(n) < share)
    for code, (median, sigma) in COST_MEDIAN.items():
        rows = np.flatnonzero(has_cost & (category == cat_codes.get(code, -2)))
        cost[rows] = np.round(median * np.exp(rng.normal(0, sigma, rows.size)), -1)

    involved = np.full(n, -1, dtype=np.int64)
    observation = source != src_codes.get("police", -1)
    names = list(cat_codes)
    for c in np.unique(category[observation]):
        rows = np.flatnonzero(observation & (category == c))
        mix = np.asarray(INVOLVED_MIX.get(names[c], DEFAULT_MIX))
        involved[rows] = rng.choice(len(INVOLVED), size=rows.size, p=mix / mix.sum())
    people = np.full(n, -1, dtype=np.int64)
    for g, group in enumerate(INVOLVED):
        if group not in PEOPLE_RANGE:
            continue
        low, high = PEOPLE_RANGE[group]
        rows = np.flatnonzero(involved == g)
        people[rows] = rng.integers(low, high + 1, rows.size)
        for code, (big_low, big_high) in BIG_GROUPS.items():
            big = rows[category[rows] == cat_codes.get(code, -2)]
            people[big] = rng.integers(max(low, big_low), big_high + 1, big.size)
    # Not every report says how many.
    people[rng.random(n) < 0.25] = -1
    return frame.assign(
        cost_sek=cost,
        involved=pd.Categorical.from_codes(involved, list(INVOLVED)),
        people=pd.Series(people, index=frame.index, dtype="Int32").mask(people < 0),
    )
