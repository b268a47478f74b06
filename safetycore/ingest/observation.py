"""A reporter's observation: one event written from the observation form.

Where: an area (stored at the area's centre, location precision 'locality'), a point picked
on the map (an H3 cell's centre, precision 'street'), or a place name that names an area.
What it cost (repair, cleaning), which group was involved (youth, adults, mixed, unknown;
never a name) and about how many people, all optional. When: a date and a time (precision 'exact'), or a part of the day such as "during the
evening" (precision 'day', stored at a representative hour). The free text is stored with
personal identity numbers, phone numbers and names masked.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import h3
import numpy as np
import pandas as pd

from safetycore import clock, db, geo, involvement, privacy
from safetycore.access import Actor, require
from safetycore.errors import UsageError
from safetycore.incidents import insert_incident
from safetycore.taxonomy import CATEGORY_BY_CODE

SOURCE_PREFIX = "obs-"
MAX_TEXT = 1000
# Part of the day -> the hour stored (time precision 'day': the hour is only indicative).
DAY_PARTS = {"morning": 9, "afternoon": 15, "evening": 20, "night": 2}
PICK_RESOLUTION = 8  # cells of about 0.7 km2 on the pick map


@dataclass(frozen=True)
class Observation:
    category: str
    source: str  # the reporting organisation (a source code)
    day: dt.date
    time: dt.time | None = None  # None: use day_part
    day_part: str | None = None
    area_id: str | None = None
    cell: str | None = None  # an H3 cell picked on the map
    place: str = ""
    description: str = ""
    cost_sek: float | str | None = None  # repair or cleaning cost; "1 234,50" accepted
    involved: str | None = None  # youth | adults | mixed | unknown (safetycore.involvement)
    people: int | str | None = None  # about how many


@dataclass(frozen=True)
class Saved:
    id: int
    source_ref: str
    occurred_at: dt.datetime
    time_precision: str
    area_id: str | None
    location_precision: str
    description: str
    findings: frozenset[str]


def occurred(obs: Observation) -> tuple[dt.datetime, str]:
    if obs.time is not None:
        return dt.datetime.combine(obs.day, obs.time.replace(second=0, microsecond=0)), "exact"
    if obs.day_part in DAY_PARTS:
        return dt.datetime.combine(obs.day, dt.time(DAY_PARTS[obs.day_part])), "day"
    raise UsageError("Say when it happened: a time, or a part of the day.")


def area_for_place(place: str, areas: list[geo.Area]) -> str | None:
    wanted = place.strip().casefold()
    for a in areas:
        if wanted and wanted in (a.name.casefold(), a.id.casefold()):
            return a.id
    return None


def pick_cells(areas: list[geo.Area], resolution: int = PICK_RESOLUTION) -> list[dict]:
    """The H3 cells whose centre lies in an area, with the area: the pick map's grid."""
    out: list[dict] = []
    for a in areas:
        geometry = a.geometry
        polygons = list(geometry.geoms) if hasattr(geometry, "geoms") else [geometry]
        for poly in polygons:
            if poly.geom_type != "Polygon":
                continue
            shape = h3.LatLngPoly(
                [(y, x) for x, y in poly.exterior.coords],
                *[[(y, x) for x, y in ring.coords] for ring in poly.interiors],
            )
            for cell in h3.polygon_to_cells(shape, resolution):
                out.append({"hex": cell, "area_id": a.id, "area": a.name})
    return out


class ObservationRefused(UsageError):
    """An observation that cannot be saved; ``key`` names the reason for the page's catalogue
    (``observation.refused.<key>``), the message is the command line's English."""

    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.key = key


def report_observation(
    con, actor: Actor, obs: Observation, *, now: dt.datetime | None = None
) -> Saved:
    """Validate and store one observation in its own transaction."""
    require(actor, "report_observation")
    if obs.category not in CATEGORY_BY_CODE:
        raise ObservationRefused("Choose what happened (a category).", "category_missing")
    if not obs.source:
        raise ObservationRefused("Choose the organisation you report for.", "source_missing")
    at, time_precision = occurred(obs)
    now = now or clock.now_for(con)
    if at > now + dt.timedelta(minutes=15) and time_precision == "exact":
        raise ObservationRefused("The time is in the future.", "future_time")
    if at.date() > now.date():
        raise ObservationRefused("The date is in the future.", "future_date")
    cost = involvement.parse_cost(obs.cost_sek)
    involved = involvement.parse_involved(obs.involved)
    people = involvement.parse_people(obs.people)
    text = (obs.description or "").strip()[:MAX_TEXT]
    findings = frozenset(privacy.kinds_found(text))
    masked = privacy.mask(text) or ""
    place = privacy.mask((obs.place or "").strip()[:200]) or ""
    areas = geo.load_areas(con)
    by_id = {a.id: a for a in areas}
    area_id = obs.area_id or (area_for_place(place, areas) if place else None)
    cell_int = None
    if obs.cell:
        if not h3.is_valid_cell(obs.cell):
            raise UsageError("The point on the map is not valid; pick it again.")
        lat, lon = h3.cell_to_latlng(obs.cell)
        found = geo.assign_areas(np.array([lat]), np.array([lon]), areas)[0]
        if found is None:
            raise UsageError("The point lies outside the municipality's areas.")
        area_id, precision = found, "street"
        cell_int = int(geo.h3_cells(np.array([lat]), np.array([lon]))[0])
    elif area_id:
        if area_id not in by_id:
            raise UsageError("Unknown area.")
        centre = by_id[area_id].geometry.representative_point()
        lat, lon, precision = centre.y, centre.x, "locality"
    else:
        raise UsageError("Say where: an area, a point on the map, or the name of an area.")
    ref = SOURCE_PREFIX + uuid.uuid4().hex[:16]
    with db.transaction(con) as cur:
        incident_id = insert_incident(
            cur,
            source=obs.source,
            source_ref=ref,
            category=obs.category,
            occurred_at=at,
            time_precision=time_precision,
            lat=lat,
            lon=lon,
            location_precision=precision,
            h3_cell=cell_int,
            area_id=area_id,
            place=place,
            description=masked,
            reported_by=actor.identity,
            cost_sek=cost,
            involved=involved,
            people=people,
        )
    return Saved(
        id=incident_id,
        source_ref=ref,
        occurred_at=at,
        time_precision=time_precision,
        area_id=area_id,
        location_precision=precision,
        description=masked,
        findings=findings,
    )


def pick_layer(cells: list[str], *, layer_id: str = "pick"):
    """A light, pickable H3 layer for the pick map: only the cell ids are sent."""
    import pydeck as pdk

    return pdk.Layer(
        "H3HexagonLayer",
        pd.DataFrame({"hex": cells}),
        id=layer_id,
        get_hexagon="hex",
        get_fill_color=[36, 113, 163, 40],
        get_line_color=[255, 255, 255, 90],
        line_width_min_pixels=0.3,
        stroked=True,
        extruded=False,
        pickable=True,
        auto_highlight=True,
    )


def picked_marker(cell: str, *, layer_id: str = "picked"):
    """The picked point as a marker that stays visible at any zoom."""
    import pydeck as pdk

    lat, lon = h3.cell_to_latlng(cell)
    return pdk.Layer(
        "ScatterplotLayer",
        [{"lat": lat, "lon": lon}],
        id=layer_id,
        get_position=["lon", "lat"],
        get_radius=300,
        radius_min_pixels=8,
        get_fill_color=[192, 57, 43, 240],
        get_line_color=[255, 255, 255, 255],
        stroked=True,
        line_width_min_pixels=2,
        pickable=False,
    )
