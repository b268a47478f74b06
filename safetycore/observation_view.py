"""Rapportera's view: the areas a reporter picks from (named with their group), the pick map's
grid of cells and how it is framed for one area group, and the form's entry: what is still
missing, which personal data its texts hold, and the observation it saves.

Pure functions over a query runner (``query(name, flt, **extra)``, the dashboard passes its
cached ``ui.cache.query``): no Streamlit. The write is
``safetycore.ingest.observation.report_observation``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd
import pydeck as pdk
from shapely.geometry import shape

from safetycore import geo, maps
from safetycore.ingest import observation as obs_mod
from safetycore.privacy import kinds_found, mask

PARTS = ("exact", "morning", "afternoon", "evening", "night")  # "exact": a time of day
WHERE_MODES = ("area", "map", "place")
PII_ORDER = ("pnr", "phone", "email", "name")  # the order the warning names them in

Query = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class ObservationForm:
    """The areas and area groups the form offers. Shared between sessions through the cache:
    read it, never change it."""

    areas: Mapping[str, str]  # area id -> name, in the meeting's order
    area_group_of: Mapping[str, str]  # area id -> area group id
    groups: Mapping[str, str]  # area group id -> name, in the meeting's order
    area_labels: Mapping[str, str]  # area id -> "name (group)", or the name alone

    def area_label(self, area_id: str) -> str:
        """An area as the form names it: with its group, unless the group has its name."""
        return self.area_labels.get(area_id, area_id)

    def area_named(self, place: str) -> str | None:
        """The area a place name names (whatever its case), or None."""
        wanted = place.strip().casefold()
        return next((a for a, name in self.areas.items() if name.casefold() == wanted), None)


@dataclass(frozen=True)
class PickGrid:
    """The pick map's cells (about 0.7 km2 each) inside the areas, with their area, and the
    areas' boundaries drawn under them."""

    cells: pd.DataFrame  # hex, area_id, area
    area_of: Mapping[str, str]  # hex -> area id
    boundaries: pd.DataFrame  # as area_boundaries.sql returns them


@dataclass(frozen=True)
class PickMap:
    """The pick map for one area group: that group's cells only (a lighter map, since the
    browser's picking fails on very many cells), every boundary, framed on the group."""

    group: str
    cells: tuple[str, ...]
    boundaries: pd.DataFrame
    view: pdk.ViewState


@dataclass(frozen=True)
class Entry:
    """What the form holds when it is saved (or about to be)."""

    category: str | None
    area_id: str | None
    cell: str | None
    place: str
    day: dt.date
    part: str  # one of PARTS
    time: dt.time | None
    org: str | None
    text: str
    cost: float | None
    involved: str | None
    people: int | None
    named: bool  # the reporter is identified (logged in or named)

    def missing(self) -> tuple[str, ...]:
        """The label keys of the questions still unanswered, in the form's order."""
        out = []
        if self.category is None:
            out.append("observation.what")
        if not (self.area_id or self.cell):
            out.append("observation.where")
        if self.part == "exact" and self.time is None:
            out.append("observation.time")
        if self.org is None:
            out.append("observation.org")
        if not self.named:
            out.append("auth.your_name")
        return tuple(out)

    def personal_data(self) -> tuple[str, ...]:
        """The kinds of personal data the description and the place hold, in PII_ORDER."""
        found = kinds_found(self.text) | kinds_found(self.place)
        return tuple(k for k in PII_ORDER if k in found)

    def masked_text(self) -> str:
        """The description as it will be stored."""
        return mask(self.text) or ""

    def has_consequences(self) -> bool:
        """Whether a cost, the group involved or a number of people was given."""
        return not (self.cost is None and self.involved is None and self.people is None)

    def observation(self) -> obs_mod.Observation:
        """The observation to save: a picked cell wins over an area, a time over a part."""
        if self.category is None or self.org is None:
            raise ValueError("an entry with questions unanswered cannot be saved")
        return obs_mod.Observation(
            category=self.category,
            source=self.org,
            day=self.day,
            time=self.time,
            day_part=None if self.part == "exact" else self.part,
            area_id=None if self.cell else self.area_id,
            cell=self.cell,
            place=self.place,
            description=self.text,
            cost_sek=self.cost,
            involved=self.involved,
            people=self.people,
        )


def observation_form(run: Query) -> ObservationForm:
    """The form's areas and area groups, with the areas named as the form shows them."""
    areas = run("areas")
    groups = run("area_groups")
    names = dict(zip(areas["id"], areas["name"], strict=True))
    group_of = dict(zip(areas["id"], areas["area_group_id"], strict=True))
    group_names = dict(zip(groups["id"], groups["name"], strict=True))
    labels = {}
    for area_id, name in names.items():
        group = group_names.get(group_of.get(area_id, ""), "")
        labels[area_id] = name if not group or group == name else f"{name} ({group})"
    return ObservationForm(
        areas=MappingProxyType(names),
        area_group_of=MappingProxyType(group_of),
        groups=MappingProxyType(group_names),
        area_labels=MappingProxyType(labels),
    )


def pick_grid(run: Query) -> PickGrid:
    """The cells whose centre lies in an area, over every area (one computation a version)."""
    boundaries = run("area_boundaries")
    areas = [
        geo.Area(
            r.id,
            r.name,
            r.area_group_id,
            r.area_group_name,
            None,
            shape(json.loads(r.boundary_geojson)),
        )
        for r in boundaries.itertuples(index=False)
    ]
    cells = pd.DataFrame(obs_mod.pick_cells(areas), columns=["hex", "area_id", "area"])
    return PickGrid(
        cells=cells,
        area_of=MappingProxyType(dict(zip(cells["hex"], cells["area_id"], strict=True))),
        boundaries=boundaries,
    )


def pick_map(grid: PickGrid, form: ObservationForm, group: str) -> PickMap:
    """The pick map for one area group, framed on its areas (on all when it has none)."""
    in_group = [a for a, g in form.area_group_of.items() if g == group]
    cells = grid.cells[grid.cells["area_id"].isin(in_group)]
    boundaries = grid.boundaries
    framed = boundaries[boundaries["area_group_id"] == group]
    return PickMap(
        group=group,
        cells=tuple(cells["hex"]),
        boundaries=boundaries,
        view=maps.view_for(framed if len(framed) else boundaries),
    )
