"""Areas, point-in-area, H3 cells and location precision.

The municipality's own split into area groups and areas comes from a GeoJSON
FeatureCollection (properties ``area``, ``area_group``, optional ``population``), so another
municipality can use the tool without code changes.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from h3.api import basic_int as h3_int
from shapely.geometry import mapping, shape

from safetycore.db import PROJECT_DIR

GEO_DIR = PROJECT_DIR / "data" / "geo"
H3_RESOLUTION = 9
# Precisions that are drawn as points or cells; coarser ones only count in area figures.
MAPPABLE_PRECISIONS = ("exact", "street")
LOCATION_PRECISIONS = ("exact", "street", "locality", "municipality", "county")


class AreaConfigError(ValueError):
    """The area configuration file cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    area_group_id: str
    area_group_name: str
    population: int | None
    geometry: shapely.Geometry


def slug(text: str) -> str:
    """A stable identifier from a name: 'Väddö/Älmsta' -> 'vaddo-almsta'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "area"


def read_areas_geojson(path: str | Path) -> list[Area]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AreaConfigError(f"Cannot read {path} as GeoJSON: {exc}") from exc
    return areas_from_feature_collection(data, str(path))


def areas_from_feature_collection(data: dict, origin: str = "the area file") -> list[Area]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise AreaConfigError(f"{origin} is not a GeoJSON FeatureCollection.")
    areas: list[Area] = []
    seen: set[str] = set()
    for number, feature in enumerate(data.get("features") or [], start=1):
        props = feature.get("properties") or {}
        name = str(props.get("area") or "").strip()
        group = str(props.get("area_group") or "").strip()
        if not name or not group:
            raise AreaConfigError(
                f"Feature {number} in {origin} needs the properties 'area' and 'area_group'."
            )
        geometry_json = feature.get("geometry") or {}
        if geometry_json.get("type") not in ("Polygon", "MultiPolygon"):
            raise AreaConfigError(
                f"Feature {number} ({name}) in {origin} must be a Polygon or MultiPolygon."
            )
        geometry = shapely.make_valid(shape(geometry_json))
        if geometry.is_empty or geometry.area == 0:
            raise AreaConfigError(f"Feature {number} ({name}) in {origin} has an empty polygon.")
        area_id = str(props.get("id") or slug(f"{group}-{name}"))
        if area_id in seen:
            raise AreaConfigError(f"The area {name!r} in {group!r} appears twice in {origin}.")
        seen.add(area_id)
        population = props.get("population")
        areas.append(
            Area(
                id=area_id,
                name=name,
                area_group_id=str(props.get("area_group_id") or slug(group)),
                area_group_name=group,
                population=int(population) if population not in (None, "") else None,
                geometry=geometry,
            )
        )
    if not areas:
        raise AreaConfigError(f"{origin} has no features.")
    return areas


def write_areas(cur, areas: list[Area], group_populations: dict[str, int] | None = None) -> None:
    """Insert the area groups and areas (inside the caller's transaction)."""
    groups: dict[str, tuple[str, int | None]] = {}
    for a in areas:
        pop = groups.get(a.area_group_id, (a.area_group_name, None))[1]
        if a.population is not None:
            pop = (pop or 0) + a.population
        groups[a.area_group_id] = (a.area_group_name, pop)
    for order, (group_id, (name, pop)) in enumerate(groups.items()):
        if group_populations and group_id in group_populations:
            pop = group_populations[group_id]
        cur.execute(
            "INSERT INTO area_groups VALUES ($id, $name, $pop, $order)",
            {"id": group_id, "name": name, "pop": pop, "order": order},
        )
    for a in areas:
        centre = a.geometry.representative_point()
        cur.execute(
            "INSERT INTO areas VALUES ($id, $group, $name, $pop, $geojson, $lat, $lon, [])",
            {
                "id": a.id, "group": a.area_group_id, "name": a.name, "pop": a.population,
                "geojson": json.dumps(mapping(a.geometry)), "lat": centre.y, "lon": centre.x,
            },
        )


def load_areas(con) -> list[Area]:
    rows = con.cursor().execute(
        "SELECT a.id, a.name, a.area_group_id, g.name, a.population, a.boundary_geojson "
        "FROM areas a JOIN area_groups g ON g.id = a.area_group_id ORDER BY g.sort_order, a.name"
    ).fetchall()
    return [
        Area(r[0], r[1], r[2], r[3], r[4], shape(json.loads(r[5]))) for r in rows
    ]


def area_index(lat: np.ndarray, lon: np.ndarray, areas: list[Area]) -> np.ndarray:
    """The position in ``areas`` of the area each point lies in, or -1: vectorised.

    Each area only tests the points inside its bounding box (a cheap array comparison), so
    a million points against 31 areas cost about one polygon test per point, not 31.
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    result = np.full(lat.shape, -1, dtype=np.int32)
    todo = ~(np.isnan(lat) | np.isnan(lon))
    for i, area in enumerate(areas):
        if not todo.any():
            break
        minx, miny, maxx, maxy = area.geometry.bounds
        candidates = np.flatnonzero(todo & (lon >= minx) & (lon <= maxx)
                                    & (lat >= miny) & (lat <= maxy))
        if candidates.size == 0:
            continue
        shapely.prepare(area.geometry)
        hits = candidates[shapely.contains_xy(area.geometry, lon[candidates], lat[candidates])]
        result[hits] = i
        todo[hits] = False
    return result


def assign_areas(lat: np.ndarray, lon: np.ndarray, areas: list[Area]) -> np.ndarray:
    """The id of the area each point lies in, or None."""
    ids = np.array([a.id for a in areas] + [None], dtype=object)
    return ids[area_index(lat, lon, areas)]  # -1 picks the trailing None


def h3_cells(lat: np.ndarray, lon: np.ndarray, resolution: int = H3_RESOLUTION) -> np.ndarray:
    """H3 cells as unsigned 64-bit integers; 0 where there is no coordinate.

    The integer API of h3 (no hex strings in between): about a microsecond a point.
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    out = np.zeros(lat.shape, dtype=np.uint64)
    valid = np.flatnonzero(~(np.isnan(lat) | np.isnan(lon)))
    cell = h3_int.latlng_to_cell
    out[valid] = np.fromiter(
        (cell(y, x, resolution) for y, x in zip(lat[valid].tolist(), lon[valid].tolist(), strict=True)),
        dtype=np.uint64, count=valid.size)
    return out


# --- Swedish municipalities (bundled public data, see data/geo/PROVENANCE.md) ---


def municipality_names() -> dict[str, str]:
    with open(GEO_DIR / "sweden_municipality_codes.csv", encoding="utf-8") as fh:
        return {r["municipality_code"]: r["municipality_name"] for r in csv.DictReader(fh)}


def municipality_population(code: str) -> int | None:
    with open(GEO_DIR / "sweden_municipality_population.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["kommun_kod"] == code:
                return int(r["population"])
    return None


def municipality_boundary(code: str) -> shapely.Geometry:
    data = json.loads((GEO_DIR / "sweden_municipalities.geojson").read_text(encoding="utf-8"))
    for feature in data["features"]:
        if str(feature["properties"].get("id")) == code:
            return shapely.make_valid(shape(feature["geometry"]))
    raise AreaConfigError(
        f"No Swedish municipality has the code {code!r}; use a four-digit kommunkod such as 0188."
    )


def municipality_areas(code: str) -> list[Area]:
    """One area group = one area = the whole municipality."""
    names = municipality_names()
    if code not in names:
        raise AreaConfigError(
            f"No Swedish municipality has the code {code!r}; use a four-digit kommunkod "
            "such as 0188 (Norrtälje)."
        )
    name = names[code]
    return [
        Area(
            id=slug(name), name=name, area_group_id=slug(name), area_group_name=name,
            population=municipality_population(code), geometry=municipality_boundary(code),
        )
    ]
