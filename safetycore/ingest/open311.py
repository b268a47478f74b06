"""Open311 GeoReport v2 service requests (JSON): a list of requests with
``service_request_id``, ``service_name``/``service_code``, ``requested_datetime`` (ISO 8601
with offset), ``lat``, ``long``, ``address`` and ``description``.

Service names differ between cities: a mapping file's [categories] maps them (by name or
code); without one, a few common words are recognised (graffiti, litter, noise ...).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from safetycore.errors import UsageError
from safetycore.ingest.common import (
    RAW_MAX_CHARS,
    Context,
    Parsed,
    empty_candidates,
    norm_key,
    read_json_records,
    to_local,
)

EXPECTED = (
    "Open311 GeoReport v2 JSON (a list of service requests with service_request_id, "
    "service_name, requested_datetime, lat, long)"
)
DEFAULT_SOURCE = "open311"
KEYWORDS = (
    ("graffiti", "graffiti"),
    ("klotter", "graffiti"),
    ("litter", "littering"),
    ("dumping", "littering"),
    ("nedskräp", "littering"),
    ("noise", "disorder"),
    ("vandal", "vandalism"),
    ("skadegör", "vandalism"),
    ("drug", "drug_offence"),
    ("needle", "public_drug_use"),
    ("drunk", "public_intoxication"),
    ("street light", "unsafe_place"),
    ("belysning", "unsafe_place"),
)


def is_open311(data) -> bool:
    return (
        isinstance(data, list)
        and bool(data)
        and isinstance(data[0], dict)
        and "service_request_id" in data[0]
        and "requested_datetime" in data[0]
    )


def default_category(name: str) -> str | None:
    text = name.casefold()
    for word, code in KEYWORDS:
        if word in text:
            return code
    return None


def parse(path: Path, ctx: Context, source: str, mapping=None) -> Parsed:
    data = read_json_records(path, EXPECTED, "service_requests", "service requests")
    if data and not all("requested_datetime" in r for r in data):
        raise UsageError(f"{path.name}: requests lack requested_datetime; expected {EXPECTED}.")
    values = mapping.categories if mapping is not None else {}
    f = empty_candidates(len(data))
    frame = pd.DataFrame(data)
    for col in (
        "service_request_id",
        "service_name",
        "service_code",
        "lat",
        "long",
        "address",
        "description",
    ):
        if col not in frame.columns:
            frame[col] = None
    names = frame["service_name"].fillna(frame["service_code"]).fillna("").astype(str).str.strip()
    codes = frame["service_code"].fillna("").astype(str).str.strip()
    cats = []
    for name, code in zip(names, codes, strict=True):
        mapped = values.get(norm_key(name)) or values.get(norm_key(code))
        cats.append(mapped if mapped else default_category(name))
    f["category"] = pd.Series(cats, dtype=object)
    f["category_raw"] = names.astype(object)
    f["source_ref"] = (
        frame["service_request_id"]
        .map(lambda v: None if v is None or v != v or str(v).strip() == "" else str(v))
        .astype(object)
    )
    times = pd.to_datetime(frame["requested_datetime"], errors="coerce", utc=True, format="ISO8601")
    f["occurred_at"] = to_local(times, ctx.timezone).astype("datetime64[us]")
    f["lat"] = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    f["lon"] = pd.to_numeric(frame["long"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    f["location_precision"] = "exact"
    f["place"] = frame["address"].astype(object)
    f["description"] = frame["description"].astype(object)

    def raw(positions: np.ndarray) -> list[str]:
        return [
            json.dumps(data[i], ensure_ascii=False, default=str)[:RAW_MAX_CHARS] for i in positions
        ]

    return Parsed(frame=f, raw=raw, format="open311", source=source)
