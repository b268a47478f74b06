"""The area configuration after ``init``: new areas for an existing database, and the
Administration page's changes (groups, names, populations, aliases).

Every function checks the actor's role (admin), runs as one transaction and logs each change
in ``area_log`` (who, when, what, old and new value) in that same transaction.

``replace_areas`` gives a database the municipality's own areas without losing its events:
each event is placed again in the new areas, by its point where it has one, by the place its
text names (``safetycore.places``) where it only had a coarse location, else at the
municipality's centre. Actions and ratings keep their area groups.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

from safetycore import db, geo, places, privacy, queries
from safetycore.access import Actor, require
from safetycore.errors import UsageError

MAX_NAME = 100


class AreaAdminError(UsageError):
    """A change to the areas that cannot be made; the message says why and what to do."""


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _log(cur, actor: Actor, entity: str, entity_id: str, field_name: str, old, new) -> None:
    queries.execute(
        cur,
        "area_admin_log_insert",
        at=_now(),
        by=actor.identity,
        entity=entity,
        id=entity_id,
        field=field_name,
        old=_logged(old),
        new=_logged(new),
    )


# Area names are names of places, not people: only numbers and addresses are masked in them.
_NAME_MASKS = ("pnr", "phone", "email")


def _logged(value) -> str | None:
    return None if value is None else privacy.mask(str(value), _NAME_MASKS)


def _clean_name(name: str, what: str) -> str:
    text = privacy.mask(" ".join(str(name or "").split()), _NAME_MASKS)
    if not text:
        raise AreaAdminError(f"Give the {what} a name.")
    if len(text) > MAX_NAME:
        raise AreaAdminError(f"The {what}'s name is longer than {MAX_NAME} characters.")
    return text


def _population(value) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0 or value != int(value):
            raise AreaAdminError(
                f"{value!r} is not a number of inhabitants (a whole number, 0 or more)."
            )
        return int(value)
    text = re.sub(r"[\s\u00a0\u202f]", "", str(value))
    if not re.fullmatch(r"\d+", text):
        raise AreaAdminError(
            f"{value!r} is not a number of inhabitants (a whole number, 0 or more)."
        )
    return int(text)


def _one(cur, name: str, params: dict):
    rows = queries.execute(cur, name, **params).fetchall()
    return rows[0] if rows else None


def _rebuild_rollups_for_area(cur, area_id: str) -> None:
    """The weekly rollup holds area groups: forget the fingerprints of the weeks this area has
    events in, so the write's rollup refresh rebuilds them."""
    queries.execute(cur, "area_admin_forget_area_weeks", area=area_id)


@contextmanager
def _actions_detached(con, area_ids: list[str] | None):
    """Actions placed in these areas (None: in any area), off their area for the duration.

    DuckDB refuses to change an area's group, or delete it, while a row that referred to it when
    the transaction began still does; so the actions' links are taken off in a transaction of
    their own first, the caller's transaction sets them again, and if that fails they are put
    back as they were. Yields ``{action_id: area_id}``."""
    with db.transaction(con) as cur:
        rows = queries.execute(
            cur, "area_admin_actions_in_areas", all=area_ids is None, ids=area_ids or []
        ).fetchall()
        if rows:
            queries.execute(cur, "area_admin_actions_unplace", ids=[r[0] for r in rows])
    links = dict(rows)
    try:
        yield links
    except BaseException:
        if links:
            with db.transaction(con) as cur:
                cur.register(
                    "_links", pd.DataFrame({"id": list(links), "area_id": list(links.values())})
                )
                queries.execute(cur, "area_admin_actions_relink")
        raise


# --- the Administration page's changes ---
# Each public function is one transaction; the _-functions do one change on the caller's cursor.


def _rename_area(cur, actor, area_id: str, name: str) -> None:
    name = _clean_name(name, "area")
    row = _one(cur, "area_admin_area_name", {"id": area_id})
    if row is None:
        raise AreaAdminError(f"There is no area {area_id!r}.")
    if row[0] == name:
        return
    clash = _one(
        cur,
        "area_admin_area_name_taken",
        {"name": name, "id": area_id},
    )
    if clash:
        raise AreaAdminError(f"Another area is already called {clash[0]}; area names must differ.")
    queries.execute(cur, "area_admin_area_rename", name=name, id=area_id)
    _log(cur, actor, "area", area_id, "name", row[0], name)


def _assign_area(
    cur, actor, area_id: str, group_id: str, detached: list[int] | None = None
) -> None:
    row = _one(cur, "area_admin_area_group", {"id": area_id})
    if row is None:
        raise AreaAdminError(f"There is no area {area_id!r}.")
    if not _one(cur, "area_admin_group_exists", {"id": group_id}):
        raise AreaAdminError(f"There is no area group {group_id!r}.")
    if row[0] == group_id:
        return
    queries.execute(cur, "area_admin_area_move", g=group_id, id=area_id)
    queries.execute(cur, "area_admin_incidents_move", g=group_id, id=area_id)
    queries.execute(cur, "area_admin_actions_move", g=group_id, id=area_id, actions=detached or [])
    _rebuild_rollups_for_area(cur, area_id)
    _log(cur, actor, "area", area_id, "area_group", row[0], group_id)


def _set_population(cur, actor, table: str, area_id: str, population) -> None:
    pop = _population(population)
    entity = "area" if table == "areas" else "area_group"
    # ``table`` is one of two fixed names chosen here, never user input.
    select = {
        "areas": "area_admin_area_population",
        "area_groups": "area_admin_group_population",
    }[table]
    update = {
        "areas": "area_admin_area_set_population",
        "area_groups": "area_admin_group_set_population",
    }[table]
    row = _one(cur, select, {"id": area_id})
    if row is None:
        raise AreaAdminError(
            f"There is no {'area' if table == 'areas' else 'area group'} {area_id!r}."
        )
    if row[0] != pop:
        queries.execute(cur, update, p=pop, id=area_id)
        _log(cur, actor, entity, area_id, "population", row[0], pop)


def _set_aliases(cur, actor, area_id: str, aliases) -> None:
    if isinstance(aliases, str):
        aliases = aliases.split(",")
    cleaned = list(dict.fromkeys(_clean_name(a, "alias") for a in aliases if str(a).strip()))
    if not _one(cur, "area_admin_area_exists", {"id": area_id}):
        raise AreaAdminError(f"There is no area {area_id!r}.")
    old = [r[0] for r in queries.execute(cur, "area_admin_area_aliases", id=area_id).fetchall()]
    if old != cleaned:
        geo.write_aliases(cur, area_id, cleaned)
        _log(cur, actor, "area", area_id, "aliases", ", ".join(old), ", ".join(cleaned))


def _rename_group(cur, actor, group_id: str, name: str) -> None:
    name = _clean_name(name, "area group")
    row = _one(cur, "area_admin_group_name", {"id": group_id})
    if row is None:
        raise AreaAdminError(f"There is no area group {group_id!r}.")
    if row[0] == name:
        return
    clash = _one(
        cur,
        "area_admin_group_name_taken",
        {"name": name, "id": group_id},
    )
    if clash:
        raise AreaAdminError(f"Another area group is already called {clash[0]}.")
    queries.execute(cur, "area_admin_group_rename", name=name, id=group_id)
    _log(cur, actor, "area_group", group_id, "name", row[0], name)


_UNCHANGED = object()


def update_area(
    con,
    actor: Actor,
    area_id: str,
    *,
    name=_UNCHANGED,
    group_id=_UNCHANGED,
    population=_UNCHANGED,
    aliases=_UNCHANGED,
) -> None:
    """Change an area's name, group, population and/or aliases: all or nothing, each logged."""
    require(actor, "admin")
    with (
        _actions_detached(con, [area_id] if group_id is not _UNCHANGED else []) as links,
        db.transaction(con) as cur,
    ):
        if name is not _UNCHANGED:
            _rename_area(cur, actor, area_id, name)
        if group_id is not _UNCHANGED:
            _assign_area(cur, actor, area_id, group_id, list(links))
        if population is not _UNCHANGED:
            _set_population(cur, actor, "areas", area_id, population)
        if aliases is not _UNCHANGED:
            _set_aliases(cur, actor, area_id, aliases)


def update_group(
    con, actor: Actor, group_id: str, *, name=_UNCHANGED, population=_UNCHANGED
) -> None:
    """Change an area group's name and/or population: all or nothing, each logged."""
    require(actor, "admin")
    with db.transaction(con) as cur:
        if name is not _UNCHANGED:
            _rename_group(cur, actor, group_id, name)
        if population is not _UNCHANGED:
            _set_population(cur, actor, "area_groups", group_id, population)


def rename_area(con, actor: Actor, area_id: str, name: str) -> None:
    update_area(con, actor, area_id, name=name)


def assign_area(con, actor: Actor, area_id: str, group_id: str) -> None:
    """Move an area (with its events and the actions placed in it) to another area group."""
    update_area(con, actor, area_id, group_id=group_id)


def set_area_population(con, actor: Actor, area_id: str, population) -> None:
    update_area(con, actor, area_id, population=population)


def set_aliases(con, actor: Actor, area_id: str, aliases: list[str] | str) -> None:
    """Other names of an area (comma-separated text or a list), used to place police events."""
    update_area(con, actor, area_id, aliases=aliases)


def rename_group(con, actor: Actor, group_id: str, name: str) -> None:
    update_group(con, actor, group_id, name=name)


def set_group_population(con, actor: Actor, group_id: str, population) -> None:
    update_group(con, actor, group_id, population=population)


def create_group(con, actor: Actor, name: str, population=None) -> str:
    """A new, empty area group after the others; returns its id."""
    require(actor, "admin")
    name = _clean_name(name, "area group")
    pop = _population(population)
    with db.transaction(con) as cur:
        clash = _one(cur, "area_admin_group_name_used", {"name": name})
        if clash:
            raise AreaAdminError(f"There is already an area group called {clash[0]}.")
        base = geo.slug(name)
        group_id, n = base, 1
        while _one(cur, "area_admin_group_exists", {"id": group_id}):
            n += 1
            group_id = f"{base}-{n}"
        order = _one(cur, "area_admin_group_next_order", {})[0]
        queries.execute(
            cur, "area_admin_group_insert", id=group_id, name=name, pop=pop, order=order
        )
        _log(cur, actor, "area_group", group_id, "created", None, name)
        if pop is not None:
            _log(cur, actor, "area_group", group_id, "population", None, pop)
    return group_id


def read_population_csv(data: bytes | str) -> list[tuple[str, int | None]]:
    """(area, population) rows of an SCB-style CSV: the first column names the area (name or
    id), the second its population; ';' or ',' or tab separated; an optional header; thousands
    separated by spaces allowed; UTF-8 or Windows-1252."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
    else:
        text = data.removeprefix("\ufeff")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise AreaAdminError("The population file is empty; expected rows of area;population.")
    try:
        dialect = csv.Sniffer().sniff(lines[0], delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    rows: list[tuple[str, int | None]] = []
    for number, cells in enumerate(
        csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter), start=1
    ):
        cells = [c.strip() for c in cells]
        if len(cells) < 2 or not cells[0]:
            raise AreaAdminError(
                f"Row {number} of the population file has no area and population; "
                "expected two columns: area, population."
            )
        try:
            pop = _population(cells[1])
        except AreaAdminError:
            if number == 1:  # a header such as "Område;Folkmängd"
                continue
            raise AreaAdminError(
                f"Row {number}: {cells[1]!r} is not a number of inhabitants."
            ) from None
        rows.append((cells[0], pop))
    if not rows:
        raise AreaAdminError("The population file has no rows with a population.")
    return rows


def import_populations(con, actor: Actor, data: bytes | str) -> int:
    """Set the populations of the areas a CSV names (all or nothing); returns how many changed.

    Names are matched to areas by name, alias or id, ignoring case; a name that matches no
    area refuses the whole file, listing the names."""
    require(actor, "admin")
    rows = read_population_csv(data)
    with db.transaction(con) as cur:
        lookup: dict[str, str] = {}
        for area_id, name, aliases in queries.execute(cur, "area_admin_area_names").fetchall():
            for key in (area_id, name, *(aliases or [])):
                lookup.setdefault(" ".join(key.split()).casefold(), area_id)
        unknown = [name for name, _ in rows if " ".join(name.split()).casefold() not in lookup]
        if unknown:
            raise AreaAdminError(
                f"{len(unknown)} names in the population file are not areas: "
                f"{', '.join(unknown[:10])}{' …' if len(unknown) > 10 else ''}. Nothing was changed."
            )
        changed = 0
        for name, pop in rows:
            area_id = lookup[" ".join(name.split()).casefold()]
            old = queries.execute(cur, "area_admin_area_population", id=area_id).fetchall()[0][0]
            if old != pop:
                queries.execute(cur, "area_admin_area_set_population", p=pop, id=area_id)
                _log(cur, actor, "area", area_id, "population", old, pop)
                changed += 1
    return changed


# --- new areas for an existing database ---


@dataclass
class ReplaceOutcome:
    areas: int
    groups: int
    kept_groups: list[str] = field(
        default_factory=list
    )  # old groups kept: actions/ratings use them
    placed: dict[str, int] = field(default_factory=dict)  # how the events were placed again


def _municipality_centre(areas: list[geo.Area]) -> tuple[float, float]:
    p = shapely.union_all([a.geometry for a in areas]).representative_point()
    return p.y, p.x


def replace_areas(
    con,
    actor: Actor,
    areas: list[geo.Area],
    municipality: str | None = None,
    municipality_code: str | None = None,
) -> ReplaceOutcome:
    """Replace the database's areas and groups with ``areas``, keeping every event (placed
    again), action and rating.

    The change itself is one transaction. DuckDB refuses to change or delete a row that
    another table referred to when the transaction began, so the actions' links to areas are
    taken off first and set again in it (``_actions_detached``), and the groups it leaves empty
    are removed after it.
    """
    require(actor, "admin")
    if not areas:
        raise AreaAdminError("The new area configuration has no areas.")
    new_area_ids = [a.id for a in areas]
    with _actions_detached(con, None) as links:
        outcome, gone = _replace_areas(
            con, actor, areas, new_area_ids, links, municipality, municipality_code
        )
    if gone:
        with db.transaction(con) as cur:  # the groups left empty
            queries.execute(cur, "area_admin_groups_delete", ids=gone)
    return outcome


def _replace_areas(con, actor, areas, new_area_ids, links, municipality, municipality_code):
    with db.transaction(con) as cur:
        old_groups = dict(queries.execute(cur, "area_admin_groups").fetchall())
        old_area_count = queries.execute(cur, "area_admin_area_count").fetchall()[0][0]
        if municipality:
            db.meta_set(cur, "municipality", municipality)
        if municipality_code is not None:
            db.meta_set(cur, "municipality_code", municipality_code)
        municipality = db.meta_get(cur, "municipality") or ""

        new_groups: dict[str, tuple[str, int | None]] = {}
        for a in areas:
            pop = new_groups.get(a.area_group_id, (a.area_group_name, None))[1]
            if a.population is not None:
                pop = (pop or 0) + a.population
            new_groups[a.area_group_id] = (a.area_group_name, pop)
        used = {r[0] for r in queries.execute(cur, "area_admin_groups_in_use").fetchall()}
        kept = sorted(g for g in used if g in old_groups and g not in new_groups)
        for order, (group_id, (name, pop)) in enumerate(new_groups.items()):
            if group_id in old_groups:
                queries.execute(
                    cur, "area_admin_group_update", id=group_id, name=name, pop=pop, order=order
                )
            else:
                queries.execute(
                    cur, "area_admin_group_insert", id=group_id, name=name, pop=pop, order=order
                )
        for order, group_id in enumerate(kept, start=len(new_groups)):
            queries.execute(cur, "area_admin_group_set_order", id=group_id, order=order)
        queries.execute(cur, "area_admin_areas_delete_others", ids=new_area_ids)
        queries.execute(cur, "area_admin_aliases_delete_others", ids=new_area_ids)
        existing = {r[0] for r in queries.execute(cur, "area_admin_area_ids").fetchall()}
        for a in areas:
            centre = a.geometry.representative_point()
            values = {
                "id": a.id,
                "group": a.area_group_id,
                "name": a.name,
                "pop": a.population,
                "geojson": json.dumps(mapping(a.geometry)),
                "lat": centre.y,
                "lon": centre.x,
            }
            if a.id in existing:
                queries.execute(cur, "area_admin_area_update", **values)
            else:
                queries.execute(cur, "area_admin_area_insert", **values)
            geo.write_aliases(cur, a.id, a.aliases)
        if links:  # their area if it stays, else the new area at their point; in their group
            moved = queries.execute(cur, "area_admin_actions_points", ids=list(links)).fetchall()
            lat = np.array([np.nan if r[1] is None else r[1] for r in moved], dtype=float)
            lon = np.array([np.nan if r[2] is None else r[2] for r in moved], dtype=float)
            found = np.array(new_area_ids + [None], dtype=object)[geo.area_index(lat, lon, areas)]
            keep = set(new_area_ids)
            cur.register(
                "_action_areas",
                pd.DataFrame(
                    {
                        "id": np.array([r[0] for r in moved], dtype=np.int64),
                        "area_id": pd.Series(
                            [
                                links[r[0]] if links[r[0]] in keep else f
                                for r, f in zip(moved, found, strict=True)
                            ],
                            dtype=object,
                        ),
                    }
                ),
            )
            queries.execute(cur, "area_admin_actions_place")
        queries.execute(cur, "area_admin_incidents_unplace")
        placed = _replace_events(cur, areas, municipality)
        queries.execute(
            cur, "area_admin_forget_all_weeks"
        )  # every week's areas changed: rebuild the rollup
        _log(
            cur,
            actor,
            "areas",
            "*",
            "replaced",
            f"{old_area_count} areas in {len(old_groups)} groups",
            f"{len(areas)} areas in {len(new_groups)} groups",
        )
    gone = [g for g in old_groups if g not in new_groups and g not in kept]
    return ReplaceOutcome(
        areas=len(areas),
        groups=len(new_groups),
        kept_groups=[old_groups[g] for g in kept],
        placed=placed,
    ), gone


def _replace_events(cur, areas: list[geo.Area], municipality: str) -> dict[str, int]:
    """Every event placed in the new areas (inside the caller's transaction)."""
    centres = {
        a.id: (a.geometry.representative_point().y, a.geometry.representative_point().x)
        for a in areas
    }
    ids = np.array([a.id for a in areas] + [None], dtype=object)
    counts = {"by_point": 0, "by_area_name": 0, "by_locality": 0, "at_centre": 0, "outside": 0}
    # Events with a street-level or exact point: by the point (vectorised).
    pts = queries.execute(cur, "area_admin_incident_points").fetchnumpy()
    if len(pts["id"]):
        found = ids[
            geo.area_index(
                np.asarray(pts["lat"], dtype=float), np.asarray(pts["lon"], dtype=float), areas
            )
        ]
        cur.register(
            "_placed_points",
            pd.DataFrame(
                {
                    "id": np.asarray(pts["id"], dtype=np.int64),
                    "area_id": pd.Series(found, dtype=object),
                }
            ),
        )
        queries.execute(cur, "area_admin_incidents_place")
        n_in = int(sum(x is not None for x in found))
        counts["by_point"] = n_in
        counts["outside"] = len(found) - n_in
    # Events with a coarse place: by the place their text names, else at the centre.
    coarse = queries.execute(cur, "area_admin_incidents_coarse").fetchall()
    if coarse:
        gaz = places.gazetteer(areas, centres, municipality)
        m_lat, m_lon = _municipality_centre(areas)
        out_id: list = []
        out_area: list[str | None] = []
        out_lat: list[float] = []
        out_lon: list[float] = []
        out_prec: list[str] = []
        out_place: list[str] = []
        point_areas = ids[
            geo.area_index(
                np.array([np.nan if r[1] is None else r[1] for r in coarse], dtype=float),
                np.array([np.nan if r[2] is None else r[2] for r in coarse], dtype=float),
                areas,
            )
        ]
        for (event_id, lat, lon, precision, place, description), in_area in zip(
            coarse, point_areas, strict=True
        ):
            hit = gaz.find(place, description)
            if hit is not None:
                out_area.append(hit.area_id)
                out_lat.append(hit.lat)
                out_lon.append(hit.lon)
                out_prec.append("locality")
                out_place.append(hit.name)
                counts["by_area_name" if hit.how == places.AREA else "by_locality"] += 1
            elif precision == "locality" and in_area is not None:
                out_area.append(in_area)
                out_lat.append(lat)
                out_lon.append(lon)
                out_prec.append("locality")
                out_place.append(place)
                counts["by_point"] += 1
            else:
                out_area.append(None)
                out_lat.append(m_lat)
                out_lon.append(m_lon)
                out_prec.append("municipality")
                out_place.append(place)
                counts["at_centre"] += 1
            out_id.append(event_id)
        cur.register(
            "_placed_coarse",
            pd.DataFrame(
                {
                    "id": np.asarray(out_id, dtype=np.int64),
                    "area_id": pd.Series(out_area, dtype=object),
                    "lat": np.asarray(out_lat, dtype=float),
                    "lon": np.asarray(out_lon, dtype=float),
                    "precision": pd.Series(out_prec, dtype=object),
                    "place": pd.Series(out_place, dtype=object),
                }
            ),
        )
        queries.execute(cur, "area_admin_incidents_place_coarse")
    queries.execute(cur, "area_admin_incidents_groups")
    return counts
