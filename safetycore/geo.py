"""Areas, point-in-area, H3 cells and location precision.

The municipality's own split into area groups and areas comes from the files municipalities
have: GeoJSON in WGS84 or any CRS the file declares (SWEREF 99 TM, EPSG:3006, is the usual
one), a zipped Shapefile or a GeoPackage; which properties hold the area's name, its group and
its population is configurable (``read_area_file``), so another municipality can use the tool
without code changes.
"""

from __future__ import annotations

import csv
import json
import re
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from h3.api import basic_int as h3_int
from shapely.geometry import mapping, shape

from safetycore import queries
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
    aliases: tuple[str, ...] = ()


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
        population: Any = props.get("population")
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
        queries.execute(cur, "geo_group_insert", id=group_id, name=name, pop=pop, order=order)
    for a in areas:
        centre = a.geometry.representative_point()
        queries.execute(
            cur,
            "geo_area_insert",
            id=a.id,
            group=a.area_group_id,
            name=a.name,
            pop=a.population,
            geojson=json.dumps(mapping(a.geometry)),
            lat=centre.y,
            lon=centre.x,
        )
        write_aliases(cur, a.id, a.aliases)


def write_aliases(cur, area_id: str, aliases) -> None:
    """An area's aliases (inside the caller's transaction), replacing the ones it had."""
    queries.execute(cur, "geo_aliases_delete", id=area_id)
    for alias in dict.fromkeys(aliases):
        queries.execute(cur, "geo_alias_insert", id=area_id, alias=alias)


def load_areas(con) -> list[Area]:
    rows = queries.execute(con.cursor(), "geo_areas").fetchall()
    return [
        Area(r[0], r[1], r[2], r[3], r[4], shape(json.loads(r[5])), tuple(r[6] or ())) for r in rows
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
        candidates = np.flatnonzero(
            todo & (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
        )
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
        (
            cell(y, x, resolution)
            for y, x in zip(lat[valid].tolist(), lon[valid].tolist(), strict=True)
        ),
        dtype=np.uint64,
        count=valid.size,
    )
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
            id=slug(name),
            name=name,
            area_group_id=slug(name),
            area_group_name=name,
            population=municipality_population(code),
            geometry=municipality_boundary(code),
        )
    ]


# --- Area files as municipalities have them (GeoJSON in any declared CRS, Shapefile, GeoPackage) ---

WGS84 = "OGC:CRS84"  # longitude, latitude: what GeoJSON means without a declared CRS
# Zipped Shapefiles: refuse archives that would unpack to more than this.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# Names commonly used for an area's name when the file has no property called 'area'.
NAME_PROPERTIES = ("area", "name", "namn", "omrade", "område", "stadsdel", "nyko_namn")


@dataclass(frozen=True)
class AreaFeature:
    """One polygon feature as read from a file: geometry in WGS84 (lon, lat), all properties."""

    number: int
    properties: dict
    geometry_json: dict | None


@dataclass(frozen=True)
class AreaFile:
    origin: str
    crs: str  # the CRS the coordinates were read in, as the file named it
    features: tuple[AreaFeature, ...]

    def property_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for f in self.features:
            for key in f.properties:
                seen.setdefault(str(key), None)
        return list(seen)


def _crs_transformer(declared, origin: str):
    """A function (x, y arrays) -> (lon, lat) arrays for the declared CRS, or None for WGS84."""
    import pyproj

    try:
        crs = pyproj.CRS.from_user_input(declared)
    except (pyproj.exceptions.CRSError, TypeError, ValueError) as exc:
        raise AreaConfigError(
            f"{origin} declares the coordinate reference system {str(declared)[:120]!r}, which is "
            "not known; export the file in WGS84 or in SWEREF 99 TM (EPSG:3006)."
        ) from exc
    if crs.equals(pyproj.CRS.from_user_input(WGS84), ignore_axis_order=True):
        return None
    if not crs.is_projected and not crs.is_geographic:
        raise AreaConfigError(
            f"{origin}: the coordinate reference system {crs.name!r} is neither "
            "geographic nor projected; export it in SWEREF 99 TM (EPSG:3006)."
        )
    transformer = pyproj.Transformer.from_crs(crs, WGS84, always_xy=True)

    def transform(coords: np.ndarray) -> np.ndarray:
        lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return transform


def _geojson_crs(data: dict):
    crs = data.get("crs")
    if not crs:
        return None
    props = crs.get("properties") or {} if isinstance(crs, dict) else {}
    if isinstance(crs, dict) and crs.get("type") == "EPSG" and props.get("code"):
        return f"EPSG:{props['code']}"
    if isinstance(crs, dict) and props.get("name"):
        return str(props["name"])
    return str(crs)


def _features_from_geojson(data, origin: str) -> tuple[str | None, list[AreaFeature]]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise AreaConfigError(f"{origin} is not a GeoJSON FeatureCollection.")
    features = []
    for number, feature in enumerate(data.get("features") or [], start=1):
        if not isinstance(feature, dict):
            raise AreaConfigError(f"Feature {number} in {origin} is not a GeoJSON Feature.")
        features.append(
            AreaFeature(number, dict(feature.get("properties") or {}), feature.get("geometry"))
        )
    return _geojson_crs(data), features


def _read_shapefile_zip(path: Path, origin: str) -> tuple[str | None, list[AreaFeature]]:
    import io
    import zipfile

    import shapefile  # pyshp: pure Python, reads .shp/.shx/.dbf

    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise AreaConfigError(f"Cannot read {origin} as a zip file: {exc}") from exc
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            raise AreaConfigError(
                f"{origin} unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB; "
                "that is not an area file."
            )
        shps = [
            i.filename
            for i in infos
            if i.filename.lower().endswith(".shp") and not i.filename.startswith("__MACOSX")
        ]
        if not shps:
            raise AreaConfigError(f"{origin} is a zip file without a Shapefile (.shp) in it.")
        if len(shps) > 1:
            raise AreaConfigError(
                f"{origin} holds several Shapefiles ({', '.join(shps)}); "
                "zip the one with the areas alone."
            )
        stem = shps[0][:-4]
        names = {i.filename.lower(): i.filename for i in infos}

        def member(ext: str) -> bytes | None:
            name = names.get((stem + ext).lower())
            return archive.read(name) if name else None

        shp, shx, dbf = member(".shp"), member(".shx"), member(".dbf")
        assert shp is not None  # its name came from the archive's own listing
        if dbf is None:
            raise AreaConfigError(
                f"{origin}: the Shapefile {shps[0]} has no .dbf (its properties)."
            )
        prj = member(".prj")
        cpg = member(".cpg")
    encoding = (cpg or b"utf-8").decode("ascii", errors="ignore").strip() or "utf-8"
    try:
        reader = shapefile.Reader(
            shp=io.BytesIO(shp),
            shx=io.BytesIO(shx) if shx else None,
            dbf=io.BytesIO(dbf),
            encoding=encoding,
            encodingErrors="replace",
        )
        records = [
            (rec.as_dict(), shp_.__geo_interface__ if shp_.shapeType else None)
            for shp_, rec in zip(reader.iterShapes(), reader.iterRecords(), strict=True)
        ]
    except (shapefile.ShapefileException, ValueError, LookupError, struct.error) as exc:
        raise AreaConfigError(f"Cannot read the Shapefile in {origin}: {exc}") from exc
    features = [AreaFeature(n, props, geom) for n, (props, geom) in enumerate(records, start=1)]
    crs = prj.decode("utf-8", errors="replace") if prj else None
    return crs, features


def _gpkg_geometry(blob: bytes) -> dict | None:
    """A GeoPackage geometry blob (header 'GP', optional envelope, then WKB) as GeoJSON."""
    if blob is None:
        return None
    blob = bytes(blob)
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry")
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get((flags >> 1) & 0x07)
    if envelope is None:
        raise ValueError("bad envelope flag")
    if flags & 0x10:  # empty geometry
        return None
    return mapping(shapely.from_wkb(blob[8 + envelope :]))


def _read_geopackage(path: Path, origin: str) -> tuple[str | None, list[AreaFeature]]:
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise AreaConfigError(f"Cannot open {origin} as a GeoPackage: {exc}") from exc
    try:
        try:
            layers = queries.execute(con, "geo_gpkg_layers").fetchall()
        except sqlite3.Error as exc:
            raise AreaConfigError(f"{origin} is not a GeoPackage ({exc}).") from exc
        polygons = [
            r for r in layers if "POLYGON" in str(r[2]).upper() or str(r[2]).upper() == "GEOMETRY"
        ]
        if not polygons:
            raise AreaConfigError(
                f"{origin} has no polygon layer (layers: "
                f"{', '.join(r[0] for r in layers) or 'none'})."
            )
        if len(polygons) > 1:
            raise AreaConfigError(
                f"{origin} has several polygon layers "
                f"({', '.join(r[0] for r in polygons)}); save the areas' layer alone."
            )
        table, column, _, org, org_id, definition = polygons[0]
        columns = [r[1] for r in queries.execute(con, "geo_gpkg_columns", table=table)]
        # Inline on purpose: the table and its columns are the file's own, known only once it
        # is read; identifiers come from its catalogue, quoted, and values are never formatted in.
        quoted = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
        rows = con.execute(
            f'SELECT {quoted} FROM "{table.replace(chr(34), chr(34) * 2)}"'  # noqa: S608
        ).fetchall()
    finally:
        con.close()
    features = []
    for number, row in enumerate(rows, start=1):
        values = dict(zip(columns, row, strict=True))
        try:
            geometry = _gpkg_geometry(values.pop(column))
        except (ValueError, shapely.errors.GEOSException) as exc:
            raise AreaConfigError(
                f"Feature {number} in {origin} has an unreadable geometry ({exc})."
            ) from exc
        features.append(AreaFeature(number, values, geometry))
    if org and org_id and str(org).upper() == "EPSG":
        crs = f"EPSG:{org_id}"
    elif definition and definition.strip().lower() != "undefined":
        crs = definition
    else:
        crs = None
    return crs, features


def read_area_file(path: str | Path) -> AreaFile:
    """Read a GeoJSON file, a zipped Shapefile or a GeoPackage; coordinates into WGS84.

    The CRS is the one the file declares (GeoJSON ``crs`` member, the Shapefile's .prj, the
    GeoPackage's spatial reference); a GeoJSON file without one is WGS84, as the standard says.
    """
    path = Path(path)
    origin = path.name
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise AreaConfigError(f"Cannot read {path}: {exc}") from exc
    if head.startswith(b"PK\x03\x04"):
        declared, features = _read_shapefile_zip(path, origin)
    elif head.startswith(b"SQLite format 3"):
        declared, features = _read_geopackage(path, origin)
    else:
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise AreaConfigError(
                f"Cannot read {path.name} as GeoJSON, a zipped Shapefile or a GeoPackage: {exc}"
            ) from exc
        declared, features = _features_from_geojson(data, origin)
    if not features:
        raise AreaConfigError(f"{origin} has no features.")
    transform = _crs_transformer(declared, origin) if declared else None
    converted = []
    for f in features:
        geometry = f.geometry_json
        if geometry and geometry.get("type") in ("Polygon", "MultiPolygon"):
            try:
                geom = shape(geometry)
            except (
                ValueError,
                TypeError,
                IndexError,
                AttributeError,
                shapely.errors.GEOSException,
            ) as exc:
                raise AreaConfigError(
                    f"Feature {f.number} in {origin} has unreadable coordinates ({exc})."
                ) from exc
            if transform is not None:
                geom = shapely.transform(geom, transform)
            minx, miny, maxx, maxy = geom.bounds
            if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
                hint = (
                    "the file declares no coordinate reference system, so its coordinates are "
                    "read as longitude/latitude; export it with its CRS (e.g. SWEREF 99 TM, "
                    "EPSG:3006) or in WGS84"
                    if not declared
                    else f"they do not fit the declared CRS {str(declared)[:60]!r}"
                )
                raise AreaConfigError(
                    f"Feature {f.number} in {origin} has coordinates such as "
                    f"{minx:.6g}, {miny:.6g} that are not longitude/latitude: {hint}."
                )
            geometry = mapping(geom)
        converted.append(AreaFeature(f.number, f.properties, geometry))
    name = (
        "WGS84"
        if not declared
        else (
            declared
            if len(str(declared)) < 40
            else str(declared).split('"')[1]
            if '"' in str(declared)
            else str(declared)[:40]
        )
    )
    return AreaFile(origin, name, tuple(converted))


def _find_property(
    area_file: AreaFile,
    wanted: str | None,
    defaults: tuple[str, ...],
    flag: str,
    what: str,
    required: bool,
) -> str | None:
    """The property the user named (it must exist) or the first default the file has."""
    names = area_file.property_names()
    listed = ", ".join(names[:30]) or "none"
    if wanted:
        if wanted in names:
            return wanted
        folded = {n.casefold(): n for n in names}
        if wanted.casefold() in folded:
            return folded[wanted.casefold()]
        raise AreaConfigError(
            f"{area_file.origin} has no property {wanted!r} ({flag}); its features have: {listed}."
        )
    folded = {n.casefold(): n for n in names}
    for candidate in defaults:
        if candidate.casefold() in folded:
            return folded[candidate.casefold()]
    if required:
        raise AreaConfigError(
            f"{area_file.origin} has no property named {defaults[0]!r} for the {what}; say which "
            f"one holds it with {flag} NAME. Its features have: {listed}."
        )
    return None


def display_name(text: str) -> str:
    """Names written in capitals only ('SÖDRA ÄNGBY', as GIS exports often have them) as a
    name is written: 'Södra Ängby'. Other names are kept as they are."""
    text = " ".join(str(text).split())
    if not text or text != text.upper() or not any(c.isalpha() for c in text):
        return text
    words = text.lower().split(" ")
    prefixes = {"norra", "södra", "östra", "västra", "stora", "lilla", "nya"}
    out = []
    for i, word in enumerate(words):
        if i == 0 or words[i - 1] in prefixes:
            word = word[:1].upper() + word[1:]
        out.append(
            "-".join(
                p[:1].upper() + p[1:] if i == 0 or j else p for j, p in enumerate(word.split("-"))
            )
            if "-" in word
            else word
        )
    return " ".join(out)


def areas_from_file(
    area_file: AreaFile,
    *,
    area_property: str | None = None,
    group_property: str | None = None,
    population_property: str | None = None,
    default_group: str = "",
) -> list[Area]:
    """The areas of a file, with the properties the user named (or the usual ones).

    Without a group property every area belongs to one group, ``default_group`` (the
    municipality's name).
    """
    origin = area_file.origin
    area_key = _find_property(
        area_file, area_property, NAME_PROPERTIES, "--area-property", "area's name", True
    )
    group_key = _find_property(
        area_file, group_property, ("area_group",), "--group-property", "area group", False
    )
    pop_key = _find_property(
        area_file,
        population_property,
        ("population",),
        "--population-property",
        "population",
        False,
    )
    alias_key = _find_property(area_file, None, ("aliases",), "", "", False)
    if group_key is None and not default_group.strip():
        raise AreaConfigError(
            f"{origin} has no area group property; say --group-property NAME "
            "or --municipality KOMMUNKOD (one group named after it)."
        )
    areas: list[Area] = []
    seen: set[str] = set()
    polygons = 0
    for f in area_file.features:
        props = f.properties
        name = display_name(props.get(area_key) or "")
        group = display_name(props.get(group_key) or "") if group_key else default_group.strip()
        if not name:
            raise AreaConfigError(f"Feature {f.number} in {origin} has no value for {area_key!r}.")
        if not group:
            raise AreaConfigError(
                f"Feature {f.number} ({name}) in {origin} has no value for {group_key!r}."
            )
        geometry_json = f.geometry_json or {}
        if geometry_json.get("type") not in ("Polygon", "MultiPolygon"):
            raise AreaConfigError(
                f"Feature {f.number} ({name}) in {origin} must be a Polygon or MultiPolygon, "
                f"not {geometry_json.get('type') or 'empty'}."
            )
        polygons += 1
        geometry = shapely.make_valid(shape(geometry_json))
        if not isinstance(geometry, shapely.Polygon | shapely.MultiPolygon):
            parts = [
                g
                for g in getattr(geometry, "geoms", [geometry])
                if isinstance(g, shapely.Polygon | shapely.MultiPolygon)
            ]
            geometry = shapely.union_all(parts) if parts else shapely.Polygon()
        if geometry.is_empty or geometry.area == 0:
            raise AreaConfigError(f"Feature {f.number} ({name}) in {origin} has an empty polygon.")
        area_id = str(props.get("id") or slug(f"{group}-{name}"))
        if area_id in seen:
            raise AreaConfigError(f"The area {name!r} in {group!r} appears twice in {origin}.")
        seen.add(area_id)
        population = _population(props.get(pop_key) if pop_key else None, f.number, name, origin)
        aliases = props.get(alias_key) if alias_key else None
        if isinstance(aliases, str):
            aliases = [a for a in (p.strip() for p in aliases.split(",")) if a]
        areas.append(
            Area(
                id=area_id,
                name=name,
                area_group_id=str(props.get("area_group_id") or slug(group))
                if group_key
                else slug(group),
                area_group_name=group,
                population=population,
                geometry=geometry,
                aliases=tuple(str(a) for a in aliases or ()),
            )
        )
    if not polygons:
        raise AreaConfigError(
            f"{origin} has no polygons; the areas must be Polygon or MultiPolygon features."
        )
    return areas


def _population(value, number: int, name: str, origin: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number_value = float(str(value).replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except ValueError:
        number_value = -1
    if number_value < 0 or number_value != int(number_value):
        raise AreaConfigError(
            f"Feature {number} ({name}) in {origin} has the population "
            f"{value!r}, which is not a whole number of inhabitants."
        )
    return int(number_value)


def read_areas_file(path: str | Path, **options) -> list[Area]:
    """``read_area_file`` and ``areas_from_file`` in one step."""
    return areas_from_file(read_area_file(path), **options)


def municipality_at(areas: list[Area]) -> str | None:
    """The code of the Swedish municipality the areas lie in (at their common centre), if any."""
    if not areas:
        return None
    point = shapely.union_all([a.geometry for a in areas]).representative_point()
    data = json.loads((GEO_DIR / "sweden_municipalities.geojson").read_text(encoding="utf-8"))
    for feature in data["features"]:
        geom = shape(feature["geometry"])
        if (
            geom.bounds[0] <= point.x <= geom.bounds[2]
            and geom.bounds[1] <= point.y <= geom.bounds[3]
            and geom.contains(point)
        ):
            return str(feature["properties"].get("id"))
    return None


def bundled_aliases(code: str) -> dict[str, tuple[str, ...]]:
    """Everyday names of a municipality's areas (area name, case-folded -> aliases)."""
    path = GEO_DIR / "place_aliases.csv"
    out: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["municipality_code"] == code:
                out.setdefault(r["area"].casefold(), []).append(r["alias"])
    return {k: tuple(v) for k, v in out.items()}


def with_bundled_aliases(areas: list[Area], code: str) -> list[Area]:
    import dataclasses

    known = bundled_aliases(code) if code else {}
    return [
        dataclasses.replace(
            a, aliases=tuple(dict.fromkeys((*a.aliases, *known.get(a.name.casefold(), ()))))
        )
        for a in areas
    ]


@dataclass(frozen=True)
class Locality:
    name: str
    lat: float
    lon: float


def bundled_localities(municipality: str) -> list[Locality]:
    """The localities (tätorter and smaller places) of a municipality, from the bundled list of
    Swedish localities (see data/geo/PROVENANCE.md)."""
    wanted = municipality.strip().casefold()
    if not wanted:
        return []
    with open(GEO_DIR / "sweden_localities.csv", encoding="utf-8") as fh:
        return [
            Locality(r["Locality"], float(r["Latitude"]), float(r["Longitude"]))
            for r in csv.DictReader(fh)
            if r["Municipality"].strip().casefold() == wanted
        ]
