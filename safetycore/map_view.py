"""Karta's view: what the map draws for a filter, how it is framed, its legend and figures, the
hotspot table, and the events behind a chosen cell or area. Pure functions over a query
runner (``query(name, flt, **extra)``): no Streamlit, testable on a bare connection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd

from safetycore import hotspots as hotspot_model
from safetycore import maps
from safetycore.filters import Filter
from safetycore.taxonomy import KINDS

POINT_CAP = 10_000  # points sent to the browser at most (two query pages of 5,000)
POINT_PAGE = 5_000
CELL_CAP = 5_000  # map_cells returns the busiest cells up to this many
HOTSPOT_TOP = 10
HOTSPOT_WEEKS = 8
EVENT_ROWS = 1_000
EXPORT_ROWS = 5_000
LAYERS = ("cells", "points", "areas")
COLOURINGS = ("kind", "category")
MEASURES = ("count", "rate")
RESOLUTIONS = (7, 8, 9)
SCALE_LOW = (255, 245, 235)  # the choropleth's ends, as boundary_layer draws them
SCALE_HIGH = (255, 55, 35)

Query = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class MapFraming:
    """Where the map opens: the centre and zoom that frame the filter's areas, and the finest
    hexagon size readable (at least 12 px across) at that zoom."""

    latitude: float
    longitude: float
    zoom: float
    default_resolution: int


@dataclass(frozen=True)
class LegendItem:
    """One entry of the legend. ``what`` is ``scale`` (the areas' fill from 0 to ``peak``),
    ``measure`` (the areas' measure, named), ``kind`` or ``category`` (a swatch for ``code``),
    ``mix`` (the note on blended cell colours) or ``actions`` (the open actions' ring)."""

    what: str
    code: str = ""
    rgb: tuple[int, ...] = ()
    peak: float = 0.0


@dataclass(frozen=True)
class MapView:
    """Everything Karta shows for one filter and choice of layer, colouring, measure and
    cell size. Shared between sessions through the cache: read it, never change it."""

    framing: MapFraming
    layer: str
    colour_by: str
    measure: str
    resolution: int
    show_actions: bool
    total: int  # the filter's events
    drawable: int  # of them, placeable and not sensitive: what points or cells can show
    coarse: int  # only an approximate place (the police's municipal centre): not drawn
    sensitive: int  # sensitive categories: counted in the areas, never drawn
    too_many_points: bool  # points chosen but above POINT_CAP: cells drawn instead
    draw_cells: bool
    boundaries: pd.DataFrame
    area_counts: pd.DataFrame  # one row an area (area_id, n, rate, ...)
    cells: pd.DataFrame
    points: pd.DataFrame
    actions: pd.DataFrame
    fill: pd.Series | None  # the areas' choropleth values by area id (areas layer only)
    hotspots: pd.DataFrame  # the busiest cells, one row a cell (as exported)
    hotspot_rows: pd.DataFrame  # one row a place, with the space-time test's status and since
    hot_names: Mapping[str, str]  # cell -> its place's name, "(2)" on a second cell of one place
    pick_options: tuple[str, ...]  # "cell:<hex>" for each hotspot, "area:<id>" for each area
    legend: tuple[LegendItem, ...]

    @property
    def not_drawn(self) -> int:
        return self.total - self.drawable

    @property
    def areas_with_events(self) -> int:
        return int((self.area_counts["n"] > 0).sum())

    @property
    def shown(self) -> tuple[str, int]:
        """What the map draws and how many: ("areas" | "cells" | "points", count)."""
        if self.layer == "areas":
            return "areas", self.areas_with_events
        if self.draw_cells:
            return "cells", len(self.cells)
        return "points", len(self.points)

    @property
    def cell_cap_reached(self) -> bool:
        return self.draw_cells and len(self.cells) >= CELL_CAP


@dataclass(frozen=True)
class MapSelection:
    """The events behind a chosen cell or area (the newest ``EVENT_ROWS``)."""

    kind: str  # "cell" or "area"
    ident: str  # the cell's hex or the area's id
    place: str  # a cell's place: its hotspot name, else its events' commonest area
    target_area: str | None  # the area the filter can be narrowed to
    events: pd.DataFrame

    @property
    def capped(self) -> bool:
        return len(self.events) >= EVENT_ROWS


def framing(boundaries: pd.DataFrame, flt: Filter) -> MapFraming:
    """Frame the filter's areas (all areas when it names none or none is found); a large
    municipality thus opens on large hexagons."""
    framed = boundaries
    if flt.areas:
        framed = boundaries[boundaries["id"].isin(flt.areas)]
    elif flt.area_groups:
        framed = boundaries[boundaries["area_group_id"].isin(flt.area_groups)]
    view = maps.view_for(framed if len(framed) else boundaries)
    zoom = view.zoom + 0.6  # the map is wider than tall
    return MapFraming(
        latitude=view.latitude,
        longitude=view.longitude,
        zoom=zoom,
        default_resolution=maps.readable_resolution(zoom, view.latitude, RESOLUTIONS),
    )


def map_framing(query: Query, flt: Filter) -> MapFraming:
    """``framing`` of the area boundaries: needed before the controls (the default cell size)."""
    return framing(query("area_boundaries"), flt)


def place_names(hotspots: pd.DataFrame) -> pd.Series:
    """Each hotspot's place: its commonest place name, else its area."""
    return hotspots["place"].where(hotspots["place"] != "", hotspots["area"])


def hotspot_names(hotspots: pd.DataFrame) -> dict[str, str]:
    """Cell -> place name, the second cell of one place "Busstation (2)" and so on."""
    names = dict(zip(hotspots["cell"], place_names(hotspots), strict=True))
    seen: dict[str, int] = {}
    for cell in hotspots["cell"]:
        seen[names[cell]] = seen.get(names[cell], 0) + 1
        if seen[names[cell]] > 1:
            names[cell] = f"{names[cell]} ({seen[names[cell]]})"
    return names


def hotspot_rows(
    hotspots: pd.DataFrame, found: Sequence[hotspot_model.Hotspot], resolution: int
) -> pd.DataFrame:
    """One row a place ("Rimbo skatepark (Rimbo södra)"): the cells of one place merged, with
    the status and since of the space-time test's hotspot in its busiest cell ("" if none)."""
    labels = [
        p if not a or p == a else f"{p} ({a})"
        for p, a in zip(place_names(hotspots), hotspots["area"], strict=True)
    ]
    merged = maps.merge_hotspots_by_place(hotspots, pd.Series(labels))
    status = hotspot_model.status_by_cell(list(found), resolution)
    return merged.assign(
        status=[status[c][0] if c in status else "" for c in merged["cell"]],
        since=[status[c][1] if c in status else "" for c in merged["cell"]],
    )


def legend(
    *,
    layer: str,
    colour_by: str,
    measure: str,
    draw_cells: bool,
    fill: pd.Series | None,
    cells: pd.DataFrame,
    points: pd.DataFrame,
    actions: pd.DataFrame,
    category_codes: Sequence[str],
) -> tuple[LegendItem, ...]:
    """The legend of what is drawn: the areas' scale, the kinds or the categories on the map
    (commonest first), and the actions' ring when there are any."""
    items: list[LegendItem] = []
    if layer == "areas":
        peak = float(fill.max()) if fill is not None and len(fill) else 0.0
        items += [LegendItem("scale", peak=peak), LegendItem("measure", code=measure)]
    elif colour_by == "kind":
        items += [LegendItem("kind", code=k, rgb=tuple(maps.KIND_RGB[k])) for k in KINDS]
        if draw_cells:
            items.append(LegendItem("mix"))
    else:
        shown = (
            cells["top_category"]
            if draw_cells and not cells.empty
            else (points["category"] if not points.empty else pd.Series(dtype=str))
        )
        palette = maps.category_colour_map(list(category_codes))
        items += [
            LegendItem("category", code=c, rgb=tuple(palette[c]))
            for c in shown.value_counts().index
            if c in palette
        ]
    if not actions.empty:
        items.append(LegendItem("actions", rgb=tuple(maps.ACTION_RGB)))
    return tuple(items)


def map_view(
    query: Query,
    flt: Filter,
    found: Sequence[hotspot_model.Hotspot] = (),
    *,
    layer: str = "cells",
    colour_by: str = "kind",
    measure: str = "count",
    resolution: int = 8,
    show_actions: bool = True,
    today: dt.date,
) -> MapView:
    """Karta for ``flt``. ``found`` is the space-time test's hotspots of the filter's last
    whole week (``hotspots.for_filter``), passed in so that it is computed once per filter
    rather than once per choice of layer."""
    boundaries = query("area_boundaries")
    coverage = query("map_coverage", flt).iloc[0]
    total, drawable = int(coverage["total"]), int(coverage["drawable"])
    area_counts = query("map_areas", flt)
    too_many_points = layer == "points" and drawable > POINT_CAP
    draw_cells = layer == "cells" or too_many_points
    empty = pd.DataFrame()
    cells = query("map_cells", flt, resolution=resolution) if draw_cells else empty
    points = empty
    if layer == "points" and not too_many_points and drawable:
        pages = [query("map_points", flt, offset=o) for o in range(0, drawable, POINT_PAGE)]
        points = pd.concat(pages, ignore_index=True)
    actions = query("map_actions", flt, today=today) if show_actions else empty
    fill = None
    if layer == "areas":
        indexed = area_counts.set_index("area_id")
        fill = indexed["rate" if measure == "rate" else "n"].fillna(0.0)
    hotspots = query(
        "map_hotspots", flt, resolution=resolution, top=HOTSPOT_TOP, weeks=HOTSPOT_WEEKS
    )
    options = [f"cell:{c}" for c in hotspots["cell"]] + [
        f"area:{a}" for a in area_counts["area_id"]
    ]
    return MapView(
        framing=framing(boundaries, flt),
        layer=layer,
        colour_by=colour_by,
        measure=measure,
        resolution=resolution,
        show_actions=show_actions,
        total=total,
        drawable=drawable,
        coarse=int(coverage["coarse"]),
        sensitive=int(coverage["sensitive"]),
        too_many_points=too_many_points,
        draw_cells=draw_cells,
        boundaries=boundaries,
        area_counts=area_counts,
        cells=cells,
        points=points,
        actions=actions,
        fill=fill,
        hotspots=hotspots,
        hotspot_rows=hotspot_rows(hotspots, found, resolution),
        hot_names=MappingProxyType(hotspot_names(hotspots)),
        pick_options=tuple(options),
        legend=legend(
            layer=layer,
            colour_by=colour_by,
            measure=measure,
            draw_cells=draw_cells,
            fill=fill,
            cells=cells,
            points=points,
            actions=actions,
            category_codes=list(query("categories")["code"]),
        ),
    )


def selection(query: Query, flt: Filter, pick: tuple, hot_names: Mapping[str, str]) -> MapSelection:
    """The events behind ``pick``: ("cell", hex, resolution) or ("area", id, None)."""
    kind, ident, res = pick
    events = query(
        "map_selection",
        flt,
        limit=EVENT_ROWS,
        cell=int(ident, 16) if kind == "cell" else None,
        area=ident if kind == "area" else None,
        resolution=int(res or 9),
    )
    place = ""
    if kind == "cell":
        place = hot_names.get(ident) or (
            events["area"].mode().iloc[0] if events["area"].notna().any() else ident
        )
    target = (
        ident
        if kind == "area"
        else (events["area_id"].mode().iloc[0] if events["area_id"].notna().any() else None)
    )
    return MapSelection(kind=kind, ident=ident, place=place, target_area=target, events=events)
