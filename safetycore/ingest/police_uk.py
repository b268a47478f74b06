"""data.police.uk street-level crime CSV.

Times are months only (stored as the 1st of the month with time precision 'month');
anti-social behaviour rows have no Crime ID (a content hash identifies them); "No Location"
rows have no coordinates (rejected: they cannot be placed in an area). Coordinates are
anonymised to a nearby street point, so the location precision is 'street'.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from safetycore.ingest import limits
from safetycore.ingest.common import (
    Context,
    Parsed,
    check_text_file,
    empty_candidates,
    parse_number,
    raw_from_frame,
    read_csv_strings,
)
from safetycore.taxonomy import type_map

EXPECTED = (
    "a data.police.uk street-level CSV (columns Crime ID, Month, Longitude, Latitude, "
    "Location, Crime type)"
)
REQUIRED = ("Crime ID", "Month", "Longitude", "Latitude", "Location", "Crime type")
DEFAULT_SOURCE = "police"

# "Crime type" -> our categories: data/taxonomy/police_uk.toml (and a municipality's
# data/taxonomy.local/police_uk.toml). "Other crime", and any type the map does not name, goes
# to "other incident" (listed on the Data page for re-mapping), never dropped.
TYPE_MAP_NAME = "police_uk"


def looks_like(columns) -> bool:
    return set(REQUIRED) <= {str(c).strip() for c in columns}


def parse(path: Path, ctx: Context, source: str) -> Parsed:
    check_text_file(path, EXPECTED)
    limits.check_csv(path)  # columns and cells bounded before the table is built
    table = read_csv_strings(path, EXPECTED, REQUIRED)
    f = empty_candidates(len(table))
    f["source_ref"] = table["Crime ID"].str.strip().replace("", None).astype(object)
    crime = table["Crime type"].fillna("").str.strip()
    f["category_raw"] = crime.astype(object)
    types = type_map(TYPE_MAP_NAME)
    f["category"] = crime.map(lambda v: types.category(v) if v else None).astype(object)
    f["occurred_at"] = pd.to_datetime(
        table["Month"].str.strip(), format="%Y-%m", errors="coerce"
    ).astype("datetime64[us]")
    f["time_precision"] = "month"
    f["lat"] = parse_number(table["Latitude"])
    f["lon"] = parse_number(table["Longitude"])
    f["location_precision"] = "street"
    f["place"] = table["Location"].astype(object)
    description = crime
    if "Last outcome category" in table.columns:
        outcome = table["Last outcome category"].fillna("").str.strip()
        description = crime.where(outcome == "", crime + ": " + outcome)
    f["description"] = description.astype(object)
    return Parsed(frame=f, raw=raw_from_frame(table), format="police-uk", source=source)
