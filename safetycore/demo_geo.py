"""The demo municipality's geography: Norrtälje's real border and localities, synthetic areas.

Area groups follow the way a safety unit would split Norrtälje: the three towns with their
neighbourhoods (Voronoi cells around invented neighbourhood centres, clipped to a town
circle), and the countryside as Voronoi cells around the real localities, clipped to the
municipal border. Boundaries are therefore plausible, not official.
"""

from __future__ import annotations

import csv
import json
import math

import shapely
import shapely.affinity
from shapely.geometry import MultiPoint, Point, shape

from safetycore.geo import GEO_DIR, Area, slug

MUNICIPALITY_CODE = "0188"
MUNICIPALITY_NAME = "Norrtälje"
MUNICIPALITY_POPULATION = 66_411  # SCB 2024, data/geo/sweden_municipality_population.csv

# (group id, group name, population): populations sum to the municipality's.
AREA_GROUPS = (
    ("norrtalje-stad", "Norrtälje stad", 23_000),
    ("rimbo", "Rimbo", 9_500),
    ("hallstavik", "Hallstavik", 7_800),
    ("vaddo-almsta", "Väddö/Älmsta", 6_500),
    ("skargarden", "Skärgården", 6_000),
    ("sodra-landsbygden", "Södra landsbygden", 13_611),
)

# Towns: centre locality, radius in km, neighbourhoods as (name, km east, km north).
TOWNS = {
    "norrtalje-stad": (
        "Norrtälje",
        2.6,
        (
            ("Centrum", 0.0, 0.0),
            ("Grind", -1.3, 0.7),
            ("Solbacka", 0.9, 1.1),
            ("Lommarstranden", 1.2, -0.9),
            ("Flygfältet", -1.1, -1.1),
            ("Vigelsjö", 2.0, 0.3),
        ),
    ),
    "rimbo": (
        "Rimbo",
        1.7,
        (
            ("Rimbo centrum", 0.0, 0.0),
            ("Rimbo norra", 0.2, 1.0),
            ("Rimbo södra", -0.1, -1.0),
        ),
    ),
    "hallstavik": (
        "Hallstavik",
        1.6,
        (
            ("Hallstavik centrum", 0.0, 0.0),
            ("Hallstavik västra", -1.0, 0.4),
        ),
    ),
}

# Countryside seeds: real localities (data/geo/norrtalje_localities.csv) and their group.
RURAL_SEEDS = {
    "Norrtälje": ("norrtalje-stad", "Norrtälje omland"),
    "Svanberga": ("norrtalje-stad", "Svanberga"),
    "Rimbo": ("rimbo", "Rimbo omland"),
    "Rånäs": ("rimbo", "Rånäs"),
    "Hallstavik": ("hallstavik", "Hallstavik omland"),
    "Edsbro": ("hallstavik", "Edsbro"),
    "Skebobruk": ("hallstavik", "Skebobruk"),
    "Herräng": ("hallstavik", "Herräng"),
    "Älmsta": ("vaddo-almsta", "Älmsta"),
    "Grisslehamn": ("vaddo-almsta", "Grisslehamn"),
    "Söderby-Karl": ("vaddo-almsta", "Söderby-Karl"),
    "Blidö": ("skargarden", "Blidö"),
    "Gräddö": ("skargarden", "Rådmansö"),
    "Nysättra": ("skargarden", "Nysättra"),
    "Södersvik": ("skargarden", "Södersvik"),
    "Spillersboda": ("skargarden", "Spillersboda"),
    "Bergshamra": ("sodra-landsbygden", "Bergshamra"),
    "Riala": ("sodra-landsbygden", "Riala"),
    "Finsta": ("sodra-landsbygden", "Finsta"),
    "Sättra": ("sodra-landsbygden", "Sättra"),
}


def km_offset(lat: float, lon: float, east_km: float, north_km: float) -> tuple[float, float]:
    """The point east_km east and north_km north of (lat, lon)."""
    return (
        lat + north_km / 111.2,
        lon + east_km / (111.2 * math.cos(math.radians(lat))),
    )


def municipal_border() -> shapely.Geometry:
    data = json.loads((GEO_DIR / "norrtalje_boundary.geojson").read_text(encoding="utf-8"))
    return shapely.make_valid(shape(data["features"][0]["geometry"]))


def localities(border: shapely.Geometry) -> dict[str, tuple[float, float]]:
    """Locality name -> (lat, lon), leaving out rows that lie outside the border.

    The public locality list has one row (Hästängen) in another county: real data is messy.
    """
    result = {}
    with open(GEO_DIR / "norrtalje_localities.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            lat, lon = float(row["Latitude"]), float(row["Longitude"])
            if border.contains(Point(lon, lat)):
                result[row["Locality"]] = (lat, lon)
    return result


def _circle(lat: float, lon: float, radius_km: float) -> shapely.Geometry:
    # An ellipse in degrees that is a circle on the ground at this latitude.
    unit = Point(0, 0).buffer(1.0, quad_segs=24)
    sx = radius_km / (111.2 * math.cos(math.radians(lat)))
    sy = radius_km / 111.2
    return shapely.affinity.translate(shapely.affinity.scale(unit, sx, sy, origin=(0, 0)), lon, lat)


def _voronoi(
    seeds: list[tuple[str, float, float]], clip: shapely.Geometry
) -> dict[str, shapely.Geometry]:
    """Voronoi cell of each named seed (lat, lon), clipped to ``clip``."""
    points = MultiPoint([(lon, lat) for _, lat, lon in seeds])
    cells = shapely.voronoi_polygons(points, extend_to=clip.envelope.buffer(0.5))
    result = {}
    for name, lat, lon in seeds:
        point = Point(lon, lat)
        for cell in cells.geoms:
            if cell.contains(point):
                piece = shapely.make_valid(cell.intersection(clip))
                if not piece.is_empty:
                    result[name] = piece
                break
    return result


def build_demo_areas() -> list[Area]:
    border = municipal_border()
    places = localities(border)
    group_names = {gid: name for gid, name, _ in AREA_GROUPS}
    pieces: list[tuple[str, str, shapely.Geometry, float]] = []  # (group, name, geom, weight)

    towns_union = []
    for group_id, (locality, radius, neighbourhoods) in TOWNS.items():
        lat, lon = places[locality]
        town = _circle(lat, lon, radius).intersection(border)
        towns_union.append(town)
        seeds = [(name, *km_offset(lat, lon, east, north)) for name, east, north in neighbourhoods]
        for name, geom in _voronoi(seeds, town).items():
            pieces.append((group_id, name, geom, 4.0))

    countryside = border.difference(shapely.union_all(towns_union))
    seeds = [(name, *places[loc]) for loc, (_, name) in RURAL_SEEDS.items() if loc in places]
    group_of = {name: gid for _, (gid, name) in RURAL_SEEDS.items()}
    for name, geom in _voronoi(seeds, countryside).items():
        pieces.append((group_of[name], name, geom, 1.0))

    areas = []
    for group_id, _, group_pop in AREA_GROUPS:
        members = [p for p in pieces if p[0] == group_id]
        total_weight = sum(w for *_, w in members)
        pops = [round(group_pop * w / total_weight) for *_, w in members]
        pops[0] += group_pop - sum(pops)  # rounding remainder, so groups sum exactly
        for (gid, name, geom, _), pop in zip(members, pops, strict=True):
            areas.append(
                Area(
                    id=slug(name),  # names are unique within the demo municipality
                    name=name,
                    area_group_id=gid,
                    area_group_name=group_names[gid],
                    population=pop,
                    geometry=geom,
                )
            )
    return areas
